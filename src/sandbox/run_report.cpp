#include "autograder/run_report.hpp"

#include <array>
#include <stdexcept>
#include <utility>

#include <nlohmann/json.hpp>

#include "text/utf8.hpp"

namespace autograder {
namespace {

constexpr std::array<std::pair<RunStatus, std::string_view>, 7> kStatusNames{{
    {RunStatus::ok, "ok"},
    {RunStatus::runtime_error, "runtime_error"},
    {RunStatus::time_limit, "time_limit"},
    {RunStatus::memory_limit, "memory_limit"},
    {RunStatus::output_limit, "output_limit"},
    {RunStatus::security_violation, "security_violation"},
    {RunStatus::internal_error, "internal_error"},
}};

}  // namespace

std::string_view to_string(RunStatus status) {
    for (const auto& [value, name] : kStatusNames)
        if (value == status) return name;
    return "internal_error";
}

std::optional<RunStatus> run_status_from_string(std::string_view name) {
    for (const auto& [value, known] : kStatusNames)
        if (known == name) return value;
    return std::nullopt;
}

namespace {

// Program output is arbitrary bytes: invalid UTF-8 becomes U+FFFD, and a character that the output
// cap cut in two is left out rather than shown as U+FFFD.
std::string shown_output(const std::string& output, bool truncated) {
    return text::valid_utf8(truncated ? text::without_cut_character(output) : std::string_view(output));
}

}  // namespace

nlohmann::json RunReport::to_json() const {
    return {
        {"status", to_string(status)},
        {"exit_code", exit_code},
        {"signal", signal},
        {"cpu_ms", cpu_ms},
        {"wall_ms", wall_ms},
        {"peak_memory_kb", peak_memory_kb},
        {"stdout", shown_output(stdout_text, stdout_truncated)},
        {"stderr", shown_output(stderr_text, stderr_truncated)},
        {"stdout_truncated", stdout_truncated},
        {"stderr_truncated", stderr_truncated},
        {"message", text::valid_utf8(message)},
    };
}

RunReport RunReport::from_json(const nlohmann::json& json) {
    if (!json.is_object()) throw std::invalid_argument("run report: expected a JSON object");
    RunReport report;
    auto name = json.value("status", std::string{});
    auto status = run_status_from_string(name);
    if (!status) throw std::invalid_argument("run report: unknown status '" + name + "'");
    report.status = *status;
    report.exit_code = json.value("exit_code", -1);
    report.signal = json.value("signal", 0);
    report.cpu_ms = json.value("cpu_ms", int64_t{0});
    report.wall_ms = json.value("wall_ms", int64_t{0});
    report.peak_memory_kb = json.value("peak_memory_kb", int64_t{0});
    report.stdout_text = json.value("stdout", std::string{});
    report.stderr_text = json.value("stderr", std::string{});
    report.stdout_truncated = json.value("stdout_truncated", false);
    report.stderr_truncated = json.value("stderr_truncated", false);
    report.message = json.value("message", std::string{});
    return report;
}

}  // namespace autograder
