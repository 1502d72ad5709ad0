// What sandboxes of ended processes left on the host. A process SIGKILLed while it held sandboxes
// cannot remove their cgroups ("ag-<pid>-<n>" under each hierarchy's parent) or the empty
// directories it built roots on ("/tmp/autograder-root-<pid>-*"); the next process to make a
// sandbox removes them, so a host that is killed now and then does not fill up with them.
#pragma once

#include <string>
#include <thread>

#include "cgroup.hpp"

namespace autograder::sandbox {

// The names every sandbox's cgroups and staging directory start with, followed by "<pid>-".
inline constexpr const char* kSandboxCgroupPrefix = "ag-";
inline constexpr const char* kStagingDirectoryPrefix = "autograder-root-";

// Removes the empty leftovers named after a process that no longer runs, older than a minute (a
// process in another pid namespace may be making one just now: its pid means nothing here).
// rmdir only, so a cgroup that still holds a process, or a non-empty directory, is never touched.
// Best effort: never throws; returns how many it removed.
int remove_leftovers_of_ended_processes(const CgroupLayout& layout, const std::string& staging_parent = "/tmp");

// The same, on a thread of its own, at most once per process (at its first sandbox): the thread
// returned, or none when it ran already (or no thread could be started; a later call tries again).
std::jthread remove_leftovers_of_ended_processes_in_background_once();

}  // namespace autograder::sandbox
