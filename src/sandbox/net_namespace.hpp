// net: the sandbox's network namespace starts empty (not even loopback is up), so nothing is
// reachable. A template that needs a local server gets loopback only.
#pragma once

namespace autograder::sandbox {

// Brings "lo" up inside the current network namespace. Returns 0 or an errno value.
// Allocation-free (runs in init).
int bring_up_loopback();

}  // namespace autograder::sandbox
