// POST /execute: compile and run files without grading or storing anything; one run report per
// test case (a list of stdin lines), in order.
#include <chrono>
#include <sstream>

#include <fmt/format.h>

#include "autograder/languages.hpp"
#include "json_fields.hpp"
#include "program_runs.hpp"
#include "routes.hpp"
#include "submitted_files.hpp"

namespace autograder::server {
namespace {

constexpr std::size_t kMaxCommandBytes = 1024;
constexpr std::size_t kMaxStdinBytes = 1u << 20;

std::vector<std::string> split_command(const std::string& command) {
    std::istringstream words(command);
    std::vector<std::string> argv;
    for (std::string word; words >> word;) argv.push_back(word);
    return argv;
}

Limits read_limits(const nlohmann::json& body, const LiveRunLimits& defaults, Problems& problems) {
    LiveRunLimits live = defaults;
    FieldReader fields(body, "", problems);
    const auto* limits = fields.of_type("limits", Presence::optional, nlohmann::json::value_t::object, "an object");
    if (!limits) return limits_of(live);
    FieldReader limit(*limits, "limits", problems);
    limit.refuse_unknown({"time_s", "memory_mb", "processes", "output_kb"});
    if (auto time = limit.number("time_s", Presence::optional, 0.01, 60)) live.time_s = *time;
    if (auto memory = limit.integer("memory_mb", Presence::optional, 16, 2048)) live.memory_mb = *memory;
    if (auto processes = limit.integer("processes", Presence::optional, 1, 256))
        live.processes = static_cast<int>(*processes);
    if (auto output = limit.integer("output_kb", Presence::optional, 1, 16384)) live.output_kb = *output;
    return limits_of(live);
}

std::vector<std::optional<std::string>> read_test_cases(const nlohmann::json& body, std::size_t max_cases,
                                                        Problems& problems) {
    FieldReader fields(body, "", problems);
    const auto* cases = fields.of_type("test_cases", Presence::optional, nlohmann::json::value_t::array,
                                       "a list of test cases (each a list of stdin lines)");
    if (!cases) return {std::nullopt};  // one run, stdin at end-of-file
    if (cases->empty()) problems.add("test_cases", "must hold at least one test case when given");
    if (cases->size() > max_cases)
        problems.add("test_cases",
                     fmt::format("holds {} test cases; at most {} are accepted", cases->size(), max_cases));
    std::vector<std::optional<std::string>> stdins;
    for (std::size_t i = 0; i < cases->size() && i < max_cases; ++i) {
        const auto path = index_path("test_cases", i);
        const auto& lines = (*cases)[i];
        if (!lines.is_array()) {
            problems.add(path, fmt::format("must be a list of stdin lines, not {}", lines.type_name()));
            continue;
        }
        std::string input;
        for (std::size_t j = 0; j < lines.size(); ++j) {
            if (!lines[j].is_string()) {
                problems.add(index_path(path, j), fmt::format("must be a string, not {}", lines[j].type_name()));
                continue;
            }
            input += lines[j].get_ref<const std::string&>() + "\n";
        }
        if (input.size() > kMaxStdinBytes)
            problems.add(path,
                         fmt::format("is {} bytes of input; at most {} are accepted", input.size(), kMaxStdinBytes));
        stdins.emplace_back(std::move(input));
    }
    return stdins;
}

}  // namespace

void add_execute_routes(Router& router, ServerContext& context) {
    router.add(
        "POST", std::string(kApiPrefix) + "/execute", Access::token,
        [&context](const httplib::Request& request, httplib::Response& response, const PathParams&) {
            const auto body = parse_json_object(request);
            Problems problems;
            FieldReader fields(body, "", problems);
            auto language_name = fields.text("language", Presence::required, 64);
            const Language* language = nullptr;
            if (language_name && !(language = context.pool->languages().find(*language_name)))
                problems.add("language", fmt::format("'{}' is not a known language", *language_name));
            const auto submitted = read_files(body, "submission_files", context.options, problems);
            auto command = fields.text("program_command", Presence::optional, kMaxCommandBytes);
            if (command && split_command(*command).empty())
                problems.add("program_command", "must name a program to run");
            const auto stdins = read_test_cases(body, context.options.max_test_cases, problems);
            const Limits limits = read_limits(body, context.options.live, problems);
            problems.throw_if_any();

            Language run_language = *language;
            if (command) run_language.run = split_command(*command);  // argv, never a shell
            std::vector<SourceFile> files;
            for (const auto& file : submitted) files.push_back({file.filename, file.content, false});
            const auto started = std::chrono::steady_clock::now();
            std::vector<ExecuteResult> results;
            try {
                results = run_cases(*context.pool, run_language, files, stdins, limits, std::chrono::seconds(30));
            } catch (const SandboxError& e) {
                throw ApiError(503, fmt::format("no sandbox is available: {}", e.what()))
                    .with_header("Retry-After", "5");
            }
            context.metrics.execute_seconds.observe(
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
            nlohmann::json reports = nlohmann::json::array();
            for (std::size_t i = 0; i < results.size(); ++i) {
                auto report = results[i].to_json();
                report["test_case"] = i;
                reports.push_back(std::move(report));
            }
            const auto& last = results.back();
            send_json(response, 200,
                      {{"language", run_language.name},
                       {"status", last.status},
                       {"compile", results.front().compile ? results.front().compile->to_json() : nlohmann::json()},
                       {"results", reports}});
        });
}

}  // namespace autograder::server
