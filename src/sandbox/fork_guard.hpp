// A file the host writes into a sandbox and a run then executes must not be open in any other
// process when the run calls execve, or the exec fails with ETXTBSY ("Text file busy"). A sandbox
// being made in another thread forks, and its child holds a copy of every descriptor open at that
// moment until it closes them, a moment later. So writers hold this guard shared from opening the
// file to closing it, and the fork holds it exclusively: no file being written is open across it.
#pragma once

#include <shared_mutex>

namespace autograder::sandbox {

inline std::shared_mutex& fork_guard() {
    static std::shared_mutex guard;
    return guard;
}

}  // namespace autograder::sandbox
