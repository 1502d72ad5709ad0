// seccomp: the system-call filter of every run, compiled with libseccomp when the library is built
// (seccomp_rules.cpp) and installed once per sandbox by its init when set-up is done (inherited by
// every run it forks).
#pragma once

#include <vector>

#include <linux/filter.h>

namespace autograder::sandbox {

// The compiled BPF program (thread-safe).
const std::vector<sock_filter>& seccomp_program();

// Installs `program` on the calling thread (no_new_privs must be set). Async-signal-safe: returns
// 0 or an errno value.
int install_seccomp(const std::vector<sock_filter>& program);

}  // namespace autograder::sandbox
