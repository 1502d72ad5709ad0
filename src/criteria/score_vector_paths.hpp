// The score vector's path rule, shared by the result tree and the report formats that read a
// result JSON back: a path seen before gets "#2", "#3"... so every test has its own path.
#pragma once

#include <set>
#include <string>

#include <fmt/format.h>

namespace autograder::criteria {

class ScoreVectorPaths {
public:
    // `path` itself the first time; later the first of path#2, path#3... not yet taken (a test
    // may itself be named "x#2").
    std::string claim(const std::string& path) {
        if (taken_.insert(path).second) return path;
        for (std::size_t copy = 2;; ++copy) {
            auto candidate = fmt::format("{}#{}", path, copy);
            if (taken_.insert(candidate).second) return candidate;
        }
    }

private:
    std::set<std::string> taken_;
};

}  // namespace autograder::criteria
