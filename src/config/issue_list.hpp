// Collects every error and warning of one parse, so a teacher sees all problems at once.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "autograder/config.hpp"
#include "config/json_path.hpp"

namespace autograder::config_parsing {

class IssueList {
public:
    void error(const JsonPath& path, std::string message) { errors_.push_back({shown(path), std::move(message)}); }
    void warning(const JsonPath& path, std::string message) { warnings_.push_back({shown(path), std::move(message)}); }
    bool has_errors() const noexcept { return !errors_.empty(); }
    std::vector<ConfigIssue>& errors() noexcept { return errors_; }
    std::vector<ConfigIssue>& warnings() noexcept { return warnings_; }

private:
    // The root of the document is written "$", as in JSONPath.
    static std::string shown(const JsonPath& path) { return path.text().empty() ? "$" : path.text(); }

    std::vector<ConfigIssue> errors_;
    std::vector<ConfigIssue> warnings_;
};

}  // namespace autograder::config_parsing
