// Size and nesting limits for configuration documents, so a hostile document cannot exhaust the
// stack or the memory of the process that parses it.
#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "autograder/config.hpp"

namespace autograder::config_parsing {

// Checks an already-built document without recursion. Returns a message when a limit is exceeded.
std::optional<std::string> check_document_limits(const nlohmann::json& document, const ConfigLimits& limits);

// Parses JSON text, stopping as soon as a limit is exceeded. Throws ConfigError (path `label`) on a
// syntax error or an exceeded limit.
nlohmann::json parse_limited_json(std::string_view text, const ConfigLimits& limits, std::string_view label);

}  // namespace autograder::config_parsing
