#include <csignal>

#include <doctest/doctest.h>

#include "sandbox/run_verdict.hpp"

using autograder::RunReport;
using autograder::RunStatus;
using autograder::sandbox::KillReason;
using autograder::sandbox::RunObservation;

namespace {

int exited_with(int code) {
    return code << 8;
}
int killed_by(int sig) {
    return sig;
}

RunReport verdict(const RunObservation& o) {
    RunReport report;
    autograder::sandbox::decide_verdict(o, report);
    return report;
}

}  // namespace

TEST_CASE("verdict: a normal exit is ok, a non-zero exit a runtime error with its code") {
    RunObservation o;
    o.wait_status = exited_with(0);
    auto ok = verdict(o);
    CHECK(ok.status == RunStatus::ok);
    CHECK(ok.exit_code == 0);
    o.wait_status = exited_with(3);
    auto bad = verdict(o);
    CHECK(bad.status == RunStatus::runtime_error);
    CHECK(bad.exit_code == 3);
    CHECK(bad.message.find("code 3") != std::string::npos);
}

TEST_CASE("verdict: the supervisor's reason wins over the signal it sent") {
    RunObservation o;
    o.wait_status = killed_by(SIGKILL);
    o.killed_by_supervisor = KillReason::wall_time;
    CHECK(verdict(o).status == RunStatus::time_limit);
    o.killed_by_supervisor = KillReason::cpu_time;
    CHECK(verdict(o).status == RunStatus::time_limit);
    o.killed_by_supervisor = KillReason::output;
    CHECK(verdict(o).status == RunStatus::output_limit);
}

TEST_CASE("verdict: CPU over the limit is a time limit even if the program finished") {
    RunObservation o;
    o.limits.cpu_time_s = 1.0;
    o.cpu_ms = 1001;
    o.wait_status = exited_with(0);
    CHECK(verdict(o).status == RunStatus::time_limit);
    o.cpu_ms = 1000;  // exactly the limit is allowed
    CHECK(verdict(o).status == RunStatus::ok);
    o.wait_status = killed_by(SIGXCPU);  // the rlimit backstop fired
    CHECK(verdict(o).status == RunStatus::time_limit);
}

TEST_CASE("verdict: an OOM kill is a memory limit, SIGSYS a security violation") {
    RunObservation o;
    o.wait_status = killed_by(SIGKILL);
    o.usage.oom_kills = 1;
    CHECK(verdict(o).status == RunStatus::memory_limit);
    o.usage.oom_kills = 0;
    CHECK(verdict(o).status == RunStatus::runtime_error);  // a SIGKILL from elsewhere
    o.killed_by_supervisor = KillReason::memory;           // v1: found waiting for memory, ended by the supervisor
    CHECK(verdict(o).status == RunStatus::memory_limit);
    o.killed_by_supervisor = KillReason::none;
    o.wait_status = killed_by(SIGSYS);
    auto report = verdict(o);
    CHECK(report.status == RunStatus::security_violation);
    CHECK(report.signal == SIGSYS);
    CHECK(report.exit_code == -1);
}

TEST_CASE("verdict: signals are explained, and a reached process limit is mentioned") {
    RunObservation o;
    o.wait_status = killed_by(SIGSEGV);
    auto segv = verdict(o);
    CHECK(segv.status == RunStatus::runtime_error);
    CHECK(segv.message.find("stack overflow") != std::string::npos);
    o.wait_status = exited_with(1);
    o.usage.pids_limit_hits = 5;
    o.limits.processes = 16;
    CHECK(verdict(o).message.find("process limit (16)") != std::string::npos);
}
