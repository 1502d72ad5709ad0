#include "server_log.hpp"

#include <atomic>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "http_errors.hpp"

namespace autograder::server {
namespace {

std::atomic<bool> json_logs{false};

}  // namespace

void setup_logging(bool json_lines) {
    json_logs = json_lines;
    // stderr, unbuffered line by line: tests and supervisors read the start-up lines as they come.
    auto logger = spdlog::stderr_logger_mt("autograder-server");
    logger->flush_on(spdlog::level::info);
    if (json_lines)
        logger->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})", spdlog::pattern_time_type::utc);
    else
        logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
    spdlog::set_default_logger(logger);
}

void log_event(LogLevel level, std::string_view message, const nlohmann::json& fields) {
    const auto spd_level = level == LogLevel::info      ? spdlog::level::info
                           : level == LogLevel::warning ? spdlog::level::warn
                                                        : spdlog::level::err;
    std::string line;
    if (json_logs) {
        nlohmann::json object = {{"message", message}};
        for (const auto& [key, value] : fields.items()) object[key] = value;
        line = json_text(object);
        line = line.substr(1, line.size() - 2);  // the pattern adds the braces around time and level
    } else {
        line = std::string(message);
        for (const auto& [key, value] : fields.items())
            line += " " + key + "=" + (value.is_string() ? value.get<std::string>() : json_text(value));
    }
    spdlog::log(spd_level, "{}", line);
}

}  // namespace autograder::server
