#include "seccomp_filter.hpp"

#include <cerrno>
#include <iterator>

#include <linux/seccomp.h>
#include <sys/prctl.h>

namespace autograder::sandbox {
namespace {

// Compiled from seccomp_rules.cpp by the build (seccomp_program_generator.cpp).
constexpr sock_filter kProgram[] = {
#include "seccomp_program.inc"
};

}  // namespace

const std::vector<sock_filter>& seccomp_program() {
    // Never destroyed, like the cgroup layout: in use until the very end of the process.
    static const std::vector<sock_filter>* program =
        new std::vector<sock_filter>(std::begin(kProgram), std::end(kProgram));
    return *program;
}

int install_seccomp(const std::vector<sock_filter>& program) {
    sock_fprog prog{static_cast<unsigned short>(program.size()), const_cast<sock_filter*>(program.data())};
    if (::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) return errno;
    return 0;
}

}  // namespace autograder::sandbox
