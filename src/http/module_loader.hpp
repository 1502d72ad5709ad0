// Finding and loading libautograder-http.so, once per process.
#pragma once

#include <string>
#include <vector>

#include "http/http_module.hpp"

namespace autograder::http {

struct LoadedModule {
    PostEntry post = nullptr;  // null when no usable module was found (then digest is null too)
    DigestEntry digest = nullptr;
    std::string problem;  // then: where it looked and why each place failed
};

// The first of `candidates` that loads and comes from this build; else a problem naming each.
LoadedModule load_module(const std::vector<std::string>& candidates);

// Loads the module on the first call (thread-safe); later calls return the same answer.
const LoadedModule& http_module();

// Where the module is looked for, in order: $AUTOGRADER_HTTP_MODULE alone when it is set; else
// beside the binary or library that holds the engine, in ../<libdir>/ from it (an installed
// CLI), in the build tree, and in the installation's library folder.
std::vector<std::string> module_candidates();

}  // namespace autograder::http
