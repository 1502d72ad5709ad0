// The run report: what one run of a program inside the sandbox produced. The same fields appear in
// the C++ API, the C ABI, Python, the CLI and the REST server (see docs/sandbox.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace autograder {

enum class RunStatus {
    ok,                  // exited with code 0
    runtime_error,       // non-zero exit code, or killed by a signal the sandbox did not send
    time_limit,          // CPU time (whole process tree) or wall time exceeded
    memory_limit,        // the memory limit (whole process tree) was hit
    output_limit,        // stdout or stderr exceeded its cap
    security_violation,  // killed by the seccomp filter (a forbidden system call)
    internal_error,      // the sandbox itself failed; the message says why
};

// "ok", "runtime_error", ... exactly as in the JSON report.
std::string_view to_string(RunStatus status);
std::optional<RunStatus> run_status_from_string(std::string_view name);

struct RunReport {
    RunStatus status = RunStatus::internal_error;
    int exit_code = -1;  // -1 when the process did not exit normally
    int signal = 0;      // the signal that ended the process, 0 if none
    int64_t cpu_ms = 0;  // user + system time summed over every process of the run
    int64_t wall_ms = 0;
    int64_t peak_memory_kb = 0;  // peak memory of the whole process tree
    std::string stdout_text;     // "stdout" in JSON; at most the output cap
    std::string stderr_text;     // "stderr" in JSON; at most the output cap
    bool stdout_truncated = false;
    bool stderr_truncated = false;
    std::string message;  // one human sentence explaining the status

    nlohmann::json to_json() const;
    static RunReport from_json(const nlohmann::json& json);  // throws std::invalid_argument
};

}  // namespace autograder
