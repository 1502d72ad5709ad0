// The system-call filter's rules, compiled to BPF with libseccomp (see seccomp_filter.hpp).
#pragma once

#include <vector>

#include <linux/filter.h>

namespace autograder::sandbox {

// The filter as a BPF program for this architecture. Throws std::runtime_error if libseccomp
// fails.
std::vector<sock_filter> compile_seccomp_rules();

}  // namespace autograder::sandbox
