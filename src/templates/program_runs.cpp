#include "templates/program_runs.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "feedback/markdown_text.hpp"
#include "languages/command_line.hpp"
#include "templates/localized.hpp"
#include "templates/parameter_reader.hpp"
#include "templates/run_messages.hpp"
#include "text/utf8.hpp"

namespace autograder::templates {

std::vector<ParameterDoc> program_run_parameter_docs() {
    ParameterDoc command{"program_command", "string|object", false,
                         "the command that runs the program: a string (split like a shell would, never run by one), "
                         "an object with one command per language ({\"python\": \"python3 calc.py\"}), or \"CMD\" "
                         "(the default): the language's own run command"};
    ParameterDoc time{"time_limit", "number", false,
                      "CPU seconds for this test (default 2, times the language's factor)"};
    time.minimum = 0.001;
    time.maximum = 600;
    ParameterDoc wall{"wall_time_limit", "number", false,
                      "wall-clock seconds for this test, sleeping and waiting included (default: 2.5 times the CPU "
                      "limit, at least 5)"};
    wall.minimum = 0.001;
    wall.maximum = 600;
    ParameterDoc memory{"memory_limit", "number", false, "MB of memory for this test (default 256)"};
    memory.minimum = 4;
    memory.maximum = 65536;
    return {command, time, wall, memory};
}

std::vector<std::string> program_command(const TestContext& context) {
    const nlohmann::json* command =
        ParameterReader(context.spec, program_run_parameter_docs()).value("program_command");
    const PipelineExecution& execution = context.execution;
    const Language& language = *execution.language;
    nlohmann::json chosen = command ? *command : nlohmann::json("CMD");
    if (chosen.is_object()) {
        // Per-language commands: the canonical key, then the table's name and aliases.
        std::vector<std::string> keys = {execution.language_key, language.name};
        keys.insert(keys.end(), language.aliases.begin(), language.aliases.end());
        nlohmann::json found;
        for (const auto& key : keys)
            if (chosen.contains(key)) {
                found = chosen[key];
                break;
            }
        if (found.is_null())
            throw std::invalid_argument("program_command has no entry for language '" + execution.language_key + "'");
        chosen = found;
    }
    if (!chosen.is_string()) throw std::invalid_argument("program_command must be a string or an object of strings");
    std::string text = chosen.get<std::string>();
    if (text == "CMD") {
        CommandContext placeholders = command_context(language, execution.submission.files);
        placeholders.memory_mb = std::max<int64_t>(16, (test_limits(context).memory_bytes >> 20) * 3 / 4);
        return expand_command(language.run, placeholders);
    }
    return split_command_line(text);
}

std::string stdin_of(const nlohmann::json* inputs) {
    if (!inputs || inputs->is_null()) return {};
    if (inputs->is_string()) return inputs->get<std::string>();
    if (!inputs->is_array()) throw std::invalid_argument("inputs must be a list of lines or a string");
    std::string joined;
    for (const auto& line : *inputs) {
        if (line.is_string())
            joined += line.get<std::string>();
        else if (line.is_number() || line.is_boolean())
            joined += line.dump();
        else
            throw std::invalid_argument("inputs must hold strings");
        joined += '\n';
    }
    return joined;
}

Limits test_limits(const TestContext& context) {
    Limits limits = scaled_limits(*context.execution.language, Limits{});
    // Bounds as documented (and checked when the pipeline was made): program_run_parameter_docs().
    const ParameterReader parameters(context.spec, program_run_parameter_docs());
    if (auto time = parameters.number("time_limit")) {
        limits.cpu_time_s = *time * context.execution.language->time_factor;
        limits.wall_time_s = std::max(limits.wall_time_s, limits.cpu_time_s * 2.5);
    }
    if (auto wall = parameters.number("wall_time_limit")) {
        limits.wall_time_s = *wall * context.execution.language->time_factor;
    }
    if (auto memory = parameters.number("memory_limit")) {
        limits.memory_bytes = static_cast<int64_t>(*memory * context.execution.language->memory_factor) << 20;
    }
    if (const auto& budget = context.execution.pipeline.config().time_budget_s) {
        double used =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - context.execution.started).count();
        double left = *budget - used;
        if (left < 0.1)  // a shorter run would only report a time-out
            throw TimeBudgetSpent(localized(
                context, "the submission's time budget of {:g} s was used up by the tests before it", *budget));
        limits.wall_time_s = std::min(limits.wall_time_s, left);
        limits.cpu_time_s = std::min(limits.cpu_time_s, left);
    }
    return limits;
}

RunReport run_program(const TestContext& context, const std::vector<std::string>& argv, const std::string& stdin_data) {
    if (!context.sandbox) throw std::logic_error("this test needs a sandbox, and none was acquired");
    RunRequest request;
    request.argv = argv;
    request.stdin_data = stdin_data;
    request.env = context.execution.language->env;
    request.limits = test_limits(context);
    request.warm_interpreter = context.execution.language->warm_interpreter;
    return context.sandbox->run(request);
}

TestResources resources_of(const RunReport& report) {
    return {report.cpu_ms, report.wall_ms, report.peak_memory_kb};
}

std::string explain_run(Locale locale, const RunReport& report) {
    const std::string message = localized_run_message(locale, report.message);
    switch (report.status) {
        case RunStatus::ok:
            return {};
        case RunStatus::time_limit:
            return localized(locale, "The program ran out of time: {}", message);
        case RunStatus::memory_limit:
            return localized(locale, "The program used too much memory: {}", message);
        case RunStatus::output_limit:
            return localized(locale, "The program printed too much: {}", message);
        case RunStatus::security_violation:
            return localized(locale, "The program was stopped: {}", message);
        case RunStatus::runtime_error:
            return localized(locale, "The program failed: {}", message);
        case RunStatus::internal_error:
            return localized(locale, "The grader could not run the program: {}", message);
    }
    return message;
}

std::string fenced(std::string_view text, size_t max_bytes) {
    std::string shown(text::utf8_prefix(text, max_bytes));
    if (text.size() > shown.size()) shown += "\n… (" + std::to_string(text.size() - shown.size()) + " more bytes)";
    return feedback_detail::fenced_block(shown);
}

}  // namespace autograder::templates
