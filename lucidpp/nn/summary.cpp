#include "lucidpp/nn/summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "lucidpp/autograd/grad_mode.hpp"
#include "lucidpp/nn/forward_hook.hpp"
#include "lucidpp/tensor/byte_size.hpp"

namespace lucid::nn {

namespace {

struct Call {
    std::vector<Tensor> outputs;  // of the first call
    std::int64_t count = 0;
};

struct Row {
    std::string layer, output, params;
};

// 12,864 as Keras and torchinfo write counts.
std::string grouped(std::int64_t count) {
    const std::string digits = std::to_string(count);
    std::string text;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
        text += digits[i];
    }
    return text;
}

std::string output_text(const std::map<const Module*, Call>& calls, const Module* module) {
    const auto found = calls.find(module);
    if (found == calls.end()) return "--";
    std::string text;
    for (const Tensor& output : found->second.outputs) {
        text += fmt::format("{}{}", text.empty() ? "" : ", ", output.shape());
    }
    if (found->second.count > 1) text += fmt::format(" x {}", found->second.count);
    return text;
}

std::string params_text(const Module& module) {
    std::int64_t own = 0;
    for (const Tensor& parameter : module.parameters(/*recurse=*/false)) own += parameter.numel();
    return own == 0 && !module.children().empty() ? "--" : grouped(own);
}

// One row per module, depth first, drawn as a tree under the model's row.
void add_rows(const Module& module, const std::string& prefix,
              const std::map<const Module*, Call>& calls, std::vector<Row>& rows) {
    const auto children = module.named_children();
    for (std::size_t i = 0; i < children.size(); ++i) {
        const bool last = i + 1 == children.size();
        const auto& [name, child] = children[i];
        rows.push_back(
            {fmt::format("{}{}{} ({})", prefix, last ? "└─ " : "├─ ", name, child->name()),
             output_text(calls, child), params_text(*child)});
        add_rows(*child, prefix + (last ? "   " : "│  "), calls, rows);
    }
}

// Columns as wide as their widest cell; the box-drawing characters count as one each.
std::size_t display_width(const std::string& text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string pad(const std::string& text, std::size_t width, bool right) {
    const std::string fill(width - std::min(width, display_width(text)), ' ');
    return right ? fill + text : text + fill;
}

std::string render(const std::vector<Row>& rows, const Module& model) {
    std::size_t w0 = 0, w1 = 0, w2 = 0;
    for (const Row& row : rows) {
        w0 = std::max(w0, display_width(row.layer));
        w1 = std::max(w1, display_width(row.output));
        w2 = std::max(w2, display_width(row.params));
    }
    const std::string rule(w0 + w1 + w2 + 4, '=');
    std::string text;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        text += fmt::format("{}  {}  {}\n", pad(rows[i].layer, w0, false),
                            pad(rows[i].output, w1, false), pad(rows[i].params, w2, true));
        if (i == 0) text += rule + "\n";
    }
    std::int64_t total = 0, trainable = 0, bytes = 0;
    for (const Tensor& parameter : model.parameters()) {
        total += parameter.numel();
        if (parameter.requires_grad()) trainable += parameter.numel();
        bytes += parameter.numel() * static_cast<std::int64_t>(element_size(parameter.dtype()));
    }
    text += rule + "\n";
    text += fmt::format("Total params: {} ({})\n", grouped(total),
                        byte_size(static_cast<double>(bytes)));
    text += fmt::format("Trainable params: {}\n", grouped(trainable));
    text += fmt::format("Non-trainable params: {}\n", grouped(total - trainable));
    return text;
}

// Eval mode for the run; afterwards every module gets its own flag back (parents first, so
// each module's own train() call is the last to touch it).
class EvalModeGuard {
public:
    explicit EvalModeGuard(Module& model) {
        for (Module* module : model.modules()) flags_.emplace_back(module, module->is_training());
        model.eval();
    }
    ~EvalModeGuard() {
        for (auto [module, training] : flags_) module->train(training);
    }
    EvalModeGuard(const EvalModeGuard&) = delete;
    EvalModeGuard& operator=(const EvalModeGuard&) = delete;

private:
    std::vector<std::pair<Module*, bool>> flags_;
};

}  // namespace

std::string detail::summary_table(Module& model, const std::function<std::vector<Tensor>()>& run) {
    std::map<const Module*, Call> calls;
    {
        EvalModeGuard eval_mode(model);
        NoGradGuard no_grad;
        ForwardHookGuard hook([&](const Module& module, const std::vector<Tensor>& outputs) {
            Call& call = calls[&module];
            if (call.count++ == 0) call.outputs = outputs;
        });
        std::vector<Tensor> outputs = run();
        if (!calls.contains(&model)) calls[&model] = {outputs, 1};
    }
    std::vector<Row> rows{{"Layer (type)", "Output shape", "Param #"}};
    rows.push_back({model.name(), output_text(calls, &model), params_text(model)});
    add_rows(model, "", calls, rows);
    return render(rows, model);
}

}  // namespace lucid::nn
