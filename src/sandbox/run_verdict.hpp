// The verdict of a run: which status and which sentence, from what the supervisor saw. Kept apart
// from the process plumbing so that every rule is unit-tested.
#pragma once

#include <cstdint>
#include <string>

#include "autograder/run_report.hpp"
#include "autograder/sandbox.hpp"
#include "cgroup.hpp"

namespace autograder::sandbox {

enum class KillReason { none, wall_time, cpu_time, output, memory };

struct RunObservation {
    KillReason killed_by_supervisor = KillReason::none;
    int wait_status = 0;  // as from waitpid
    CgroupUsage usage;
    int64_t cpu_ms = 0;
    Limits limits;
};

// Fills status, exit_code, signal and message of `report`.
void decide_verdict(const RunObservation& observation, RunReport& report);

}  // namespace autograder::sandbox
