#include "run_verdict.hpp"

#include <csignal>
#include <cstring>

#include <fmt/format.h>
#include <sys/wait.h>

namespace autograder::sandbox {
namespace {

std::string signal_description(int sig) {
    switch (sig) {
        case SIGSEGV:
            return "SIGSEGV (segmentation fault: an invalid memory access, or a stack overflow)";
        case SIGABRT:
            return "SIGABRT (aborted, e.g. a failed assertion or an uncaught exception)";
        case SIGFPE:
            return "SIGFPE (arithmetic error, e.g. an integer division by zero)";
        case SIGBUS:
            return "SIGBUS (bus error)";
        case SIGILL:
            return "SIGILL (illegal instruction)";
        case SIGXFSZ:
            return "SIGXFSZ (a file grew past the file size limit)";
        case SIGXCPU:
            return "SIGXCPU (CPU time limit)";
        case SIGPIPE:
            return "SIGPIPE (wrote to a closed pipe)";
        case SIGKILL:
            return "SIGKILL";
        default:
            return fmt::format("signal {} ({})", sig, ::strsignal(sig));
    }
}

std::string seconds(double s) {
    return fmt::format("{:g} s", s);
}

}  // namespace

void decide_verdict(const RunObservation& o, RunReport& report) {
    const int status = o.wait_status;
    report.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    report.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    const auto& limits = o.limits;
    std::string pids_note = o.usage.pids_limit_hits > 0 ? fmt::format(" The process limit ({}) was reached {} time(s).",
                                                                      limits.processes, o.usage.pids_limit_hits)
                                                        : std::string();

    // What the supervisor decided comes first: it is why the program was killed.
    if (o.killed_by_supervisor == KillReason::wall_time) {
        report.status = RunStatus::time_limit;
        report.message = "Wall time limit of " + seconds(limits.wall_time_s) +
                         " exceeded (the program was waiting or sleeping)." + pids_note;
        return;
    }
    bool cpu_exceeded = o.killed_by_supervisor == KillReason::cpu_time || report.signal == SIGXCPU ||
                        o.cpu_ms > static_cast<int64_t>(limits.cpu_time_s * 1000);
    if (cpu_exceeded) {
        report.status = RunStatus::time_limit;
        report.message = "CPU time limit of " + seconds(limits.cpu_time_s) +
                         " exceeded (counted over every process and thread)." + pids_note;
        return;
    }
    if (o.killed_by_supervisor == KillReason::memory || o.usage.oom_kills > 0 ||
        (o.usage.memory_limit_hit && report.signal == SIGKILL)) {
        report.status = RunStatus::memory_limit;
        report.message = fmt::format("Memory limit of {} MiB exceeded.", limits.memory_bytes >> 20);
        return;
    }
    if (o.killed_by_supervisor == KillReason::output) {
        report.status = RunStatus::output_limit;
        report.message =
            fmt::format("Output limit of {} KiB exceeded; the output was cut there.", limits.output_bytes >> 10);
        return;
    }
    if (report.signal == SIGSYS) {
        report.status = RunStatus::security_violation;
        report.message =
            "Killed for a forbidden system call (the sandbox does not allow it: e.g. ptrace, "
            "mount, bpf, new namespaces or a 32-bit system call).";
        return;
    }
    if (report.signal != 0) {
        report.status = RunStatus::runtime_error;
        report.message = "Killed by " + signal_description(report.signal) + "." + pids_note;
        if (report.signal == SIGSEGV && o.usage.memory_limit_hit)
            report.message += " The memory limit was reached just before.";
        return;
    }
    if (report.exit_code != 0) {
        report.status = RunStatus::runtime_error;
        report.message = fmt::format("Exited with code {}.", report.exit_code) + pids_note;
        return;
    }
    report.status = RunStatus::ok;
    report.message = "Exited normally." + pids_note;
}

}  // namespace autograder::sandbox
