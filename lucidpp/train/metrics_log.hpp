#pragma once
// MetricsLog: metrics.jsonl, one JSON object per line, as a run's evaluations happen.
//
//   {"step":0,"epoch":0,"train_loss":"nan","val_loss":2.08,"lr":0.01,"seconds":0.0}
//   {"step":50,"epoch":1,"train_loss":1.91,"val_loss":1.87,"lr":0.01,"seconds":1.2}
//
// Floats are written as io::float_to_json writes them (a number, or "nan", "inf", "-inf", which
// Python's float() reads back). append() adds one line with a single write(2) to a file opened
// with O_APPEND, so a crash leaves whole lines (at worst the last one missing), and a reader
// tailing the file never sees half a record. rewrite() replaces the whole file atomically, for a
// resumed run that starts again from a checkpoint's records.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace lucid::training {

class MetricsLog {
public:
    // Appends to `path` (created if missing; an existing file is kept).
    explicit MetricsLog(std::string path);

    const std::string& path() const { return path_; }

    // One record, one line.
    void append(const nlohmann::ordered_json& record) const;
    // Replaces the file with these records, atomically.
    void rewrite(const std::vector<nlohmann::ordered_json>& records) const;

    // The records of a metrics.jsonl file; an error names the file and the line.
    static std::vector<nlohmann::json> read(const std::string& path);

private:
    std::string path_;
};

// The lines of metrics.jsonl for these records.
std::string metrics_jsonl(const std::vector<nlohmann::ordered_json>& records);

}  // namespace lucid::training
