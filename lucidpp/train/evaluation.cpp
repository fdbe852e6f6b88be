#include "lucidpp/train/evaluation.hpp"

namespace lucid::training {

EvalModeGuard::EvalModeGuard(nn::Module& model)
    : model_(model), was_training_(model.is_training()) {
    model_.eval();
}

EvalModeGuard::~EvalModeGuard() {
    model_.train(was_training_);
}

}  // namespace lucid::training
