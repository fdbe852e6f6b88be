#pragma once
// What Adam and AdamW share: the update of one parameter, the option checks and the JSON form
// of options and state. Included by adam.cpp and adamw.cpp only.
#include <nlohmann/json.hpp>

#include <string>

#include "lucidpp/optim/adam.hpp"

namespace lucid::optim::detail {

// Throws "<name>: Invalid ..." with PyTorch's wording.
void check_adam_options(const AdamOptions& options, const std::string& name);

// One Adam step of `param` (see adam.hpp); decoupled_weight_decay makes it AdamW's.
void adam_update(const Tensor& param, const Tensor& grad, AdamState& state, double lr,
                 const AdamOptions& options, bool decoupled_weight_decay, const std::string& name);

nlohmann::json adam_options_to_json(const AdamOptions& options);
AdamOptions adam_options_from_json(const nlohmann::json& json, const std::string& where);
nlohmann::json adam_state_to_json(const AdamState& state);
AdamState adam_state_from_json(const nlohmann::json& json, const Tensor& param,
                               const std::string& where);

}  // namespace lucid::optim::detail
