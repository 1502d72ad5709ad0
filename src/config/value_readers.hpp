// Typed reads of JSON values that report a located issue instead of throwing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/issue_list.hpp"
#include "config/json_path.hpp"

namespace autograder::config_parsing {

// "a string", "an array", ... for messages.
std::string describe_type(const nlohmann::json& value);

bool expect_object(const nlohmann::json& value, const JsonPath& path, IssueList& issues);
std::optional<std::string> read_non_empty_string(const nlohmann::json& value, const JsonPath& path, IssueList& issues);
std::optional<std::string> read_string(const nlohmann::json& value, const JsonPath& path, IssueList& issues);
std::optional<bool> read_bool(const nlohmann::json& value, const JsonPath& path, IssueList& issues);
// The largest test weight accepted (docs/configuration.md, "Weights").
inline constexpr double kMaxTestWeight = 1e6;
// A weight: a finite number >= 0, at most kMaxTestWeight, and at most 100 when `at_most_100`.
std::optional<double> read_weight(const nlohmann::json& value, const JsonPath& path, IssueList& issues,
                                  bool at_most_100);
// A list of non-empty strings; a lone string is accepted as a list of one.
std::optional<std::vector<std::string>> read_string_list(const nlohmann::json& value, const JsonPath& path,
                                                         IssueList& issues);

// A whole number from `low` to `high`.
std::optional<int> read_bounded_int(const nlohmann::json& value, const JsonPath& path, int low, int high,
                                    IssueList& issues);

}  // namespace autograder::config_parsing
