#include "lucidpp/train/evaluation.hpp"

namespace lucid::train {

EvalModeGuard::EvalModeGuard(nn::Module& model) : model_(model), was_training_(model.is_training()) {
    model_.eval();
}

EvalModeGuard::~EvalModeGuard() {
    model_.train(was_training_);
}

}  // namespace lucid::train
