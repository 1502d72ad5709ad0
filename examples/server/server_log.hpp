// The server's log: one line per event, as text ("message key=value ...") or, with --json-logs,
// as one JSON object per line ({"time", "level", "message", ...fields}). Request lines carry
// request_id; job lines carry job_id.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace autograder::server {

void setup_logging(bool json_lines);

enum class LogLevel { info, warning, error };
void log_event(LogLevel level, std::string_view message, const nlohmann::json& fields = nlohmann::json::object());
inline void log_info(std::string_view message, const nlohmann::json& fields = nlohmann::json::object()) {
    log_event(LogLevel::info, message, fields);
}
inline void log_warning(std::string_view message, const nlohmann::json& fields = nlohmann::json::object()) {
    log_event(LogLevel::warning, message, fields);
}
inline void log_error(std::string_view message, const nlohmann::json& fields = nlohmann::json::object()) {
    log_event(LogLevel::error, message, fields);
}

}  // namespace autograder::server
