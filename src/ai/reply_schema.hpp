// The JSON Schema subset our reply schemas use (type, properties, required, additionalProperties,
// items, enum, minimum, maximum), checked on what the model answered: the request asks for
// structured output, but an endpoint may ignore the request, and a model may still err.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace autograder::ai {

// Why `value` does not match `schema` ("results[0].score: expected a number"), or nullopt.
std::optional<std::string> schema_violation(const nlohmann::json& value, const nlohmann::json& schema);

}  // namespace autograder::ai
