// ipc: the sandbox's System V IPC namespace outlives each run (one per sandbox), so what a run
// leaves there — shared memory segments above all, whose pages stay charged to the sandbox's
// memory — would pile up across the tests of a submission. init removes every object after
// each run. (POSIX message queues are refused outright by RLIMIT_MSGQUEUE = 0 on every run.)
#pragma once

namespace autograder::sandbox {

// Removes every shared memory segment, message queue and semaphore set of the calling process's
// IPC namespace. Runs in init: system calls only, no allocation. Returns how many were removed.
int clear_ipc_objects();

}  // namespace autograder::sandbox
