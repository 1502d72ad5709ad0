#include "templates/unit_test/instructor_tests.hpp"

#include "templates/localized.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "templates/parameter_reader.hpp"
#include "templates/program_runs.hpp"

namespace autograder::templates {
namespace {

constexpr std::size_t kMaxCaseReportBytes = 3000;

std::string read_assignment_file(const TestContext& context, const std::string& relative) {
    const std::string& base = context.execution.pipeline.options().assignment_directory;
    std::ifstream in(std::filesystem::path(base) / relative, std::ios::binary);
    if (!in) throw std::invalid_argument("cannot read the assignment file '" + relative + "'");
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

std::string tail_of(const std::string& text, std::size_t max_bytes = 3000) {
    if (text.size() <= max_bytes) return text;
    std::size_t start = text.size() - max_bytes;
    while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) ++start;
    return "…" + text.substr(start);
}

// The last non-empty line of the run's output.
std::string last_line(const std::string& output) {
    std::size_t end = output.find_last_not_of("\r\n");
    if (end == std::string::npos) return {};
    std::size_t start = output.rfind('\n', end);
    start = start == std::string::npos ? 0 : start + 1;
    return output.substr(start, end + 1 - start);
}

}  // namespace

namespace {

// The parameters every instructor-tests function has: their names, types and bounds are the same
// whichever function reads them (only the descriptions differ).
ParameterReader instructor_parameters(const TestSpec& spec) {
    return ParameterReader(spec, instructor_test_parameter_docs({}, {}, {}));
}

}  // namespace

std::vector<std::string> assignment_paths(const TestSpec& spec, std::string_view name, bool required) {
    const auto listed = instructor_parameters(spec).string_list(name);
    if (!listed) {
        if (required) throw std::invalid_argument("missing parameter '" + std::string(name) + "'");
        return {};
    }
    std::vector<std::string> paths;
    for (const auto& entry : *listed) {
        std::filesystem::path relative(entry);
        const std::string normal = relative.lexically_normal().string();
        if (relative.empty() || relative.is_absolute() || normal.starts_with("..") || !relative.has_filename())
            throw std::invalid_argument(std::string(name) + ": '" + relative.string() +
                                        "' must be a file inside the assignment");
        paths.push_back(normal);
    }
    if (required && paths.empty()) throw std::invalid_argument(std::string(name) + " must name at least one file");
    return paths;
}

CaseWeights::CaseWeights(const TestSpec& spec) {
    const ParameterReader given = instructor_parameters(spec);
    default_weight_ = given.number_or("default_case_weight", default_weight_);
    const nlohmann::json* weights = given.value("case_weights");
    if (!weights) return;
    if (!weights->is_array())
        throw std::invalid_argument("case_weights must be a list of {\"pattern\", \"weight\"} objects");
    for (const auto& entry : *weights) {
        if (!entry.is_object() || !entry.contains("pattern") || !entry["pattern"].is_string() ||
            !entry.contains("weight") || !entry["weight"].is_number() || entry["weight"].get<double>() < 0)
            throw std::invalid_argument(
                "case_weights: every entry needs a \"pattern\" (text) and a \"weight\" (number >= 0)");
        rules_.emplace_back(entry["pattern"].get<std::string>(), entry["weight"].get<double>());
    }
}

double CaseWeights::of(const std::string& full_name, const std::string& bare_name) const {
    for (const auto& [pattern, weight] : rules_)
        if (fnmatch(pattern.c_str(), full_name.c_str(), 0) == 0 || fnmatch(pattern.c_str(), bare_name.c_str(), 0) == 0)
            return weight;
    return default_weight_;
}

std::vector<ParameterDoc> instructor_test_parameter_docs(std::string test_files, std::string support_files,
                                                         std::string case_name_example) {
    std::vector<ParameterDoc> docs = {
        {"test_files",
         "list",
         true,
         std::move(test_files),
         {},
         {},
         std::nullopt,
         std::nullopt,
         /*assignment_files=*/true},
        {"support_files",
         "list",
         false,
         std::move(support_files),
         {},
         {},
         std::nullopt,
         std::nullopt,
         /*assignment_files=*/true},
        {"case_weights", "list", false,
         "[{\"pattern\", \"weight\"}]: weight of the cases whose name (" + case_name_example +
             ") or bare test name matches the glob pattern; first match wins"},
        {"default_case_weight", "number", false, "weight of a case no pattern matches (default 1)", {}, {}, 0.0}};
    // time_limit, wall_time_limit, memory_limit: for the whole test run (not program_command:
    // the runner is the framework's).
    auto limits = program_run_parameter_docs();
    docs.insert(docs.end(), limits.begin() + 1, limits.end());
    return docs;
}

std::vector<std::string> place_instructor_files(const TestContext& context, const std::vector<std::string>& paths) {
    const std::string folder = std::string(kGraderPath) + "/";
    std::vector<std::string> names;
    for (const auto& path : paths) {
        const std::string name = std::filesystem::path(path).filename().string();
        context.sandbox->write_file(folder + name, read_assignment_file(context, path), false, true);
        names.push_back(name);
    }
    return names;
}

Limits instructor_run_limits(const TestContext& context, double cpu_s) {
    Limits limits = test_limits(context);
    if (context.spec.parameter("time_limit") != nullptr) return limits;
    limits.cpu_time_s = std::max(limits.cpu_time_s, cpu_s);
    if (context.spec.parameter("wall_time_limit") == nullptr)
        limits.wall_time_s = std::max(limits.wall_time_s, 2 * cpu_s);
    // The configuration's time budget still caps the run.
    if (const auto& budget = context.execution.pipeline.config().time_budget_s) {
        const double left =
            *budget -
            std::chrono::duration<double>(std::chrono::steady_clock::now() - context.execution.started).count();
        limits.cpu_time_s = std::min(limits.cpu_time_s, left);
        limits.wall_time_s = std::min(limits.wall_time_s, left);
    }
    return limits;
}

std::string random_nonce() {
    std::random_device device;
    std::string nonce;
    for (int i = 0; i < 4; ++i) nonce += fmt::format("{:08x}", device());
    return nonce;
}

std::optional<std::vector<std::string>> runner_finished(const RunReport& run, std::string_view marker,
                                                        const std::string& nonce) {
    const std::string finished = last_line(run.stdout_text);
    const std::string prefix = fmt::format("{} {} ", marker, nonce);
    if (!finished.starts_with(prefix)) return std::nullopt;
    std::vector<std::string> fields;
    std::istringstream words(finished.substr(prefix.size()));
    for (std::string word; words >> word;) fields.push_back(word);
    return fields;
}

std::optional<std::string> read_grader_report(Sandbox& sandbox, const std::string& path) {
    try {
        return sandbox.read_file(path, kMaxTestReportBytes);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

TestOutcome no_points(Locale locale, std::string why, const RunReport& run) {
    std::string text = std::move(why);
    if (!run.stdout_text.empty())
        text += "\n\n" + localized(locale, "Test output:") + "\n" + fenced(tail_of(run.stdout_text));
    if (!run.stderr_text.empty())
        text += "\n" + localized(locale, "Error output:") + "\n" + fenced(tail_of(run.stderr_text));
    return {0, text, resources_of(run)};
}

std::variant<std::vector<std::string>, TestOutcome> checked_runner_fields(Locale locale, const RunReport& run,
                                                                          std::string_view marker,
                                                                          const std::string& nonce,
                                                                          std::size_t field_count,
                                                                          const std::string& cut_short) {
    if (run.status != RunStatus::ok)
        return no_points(locale, localized(locale, "The tests did not finish. {}", explain_run(locale, run)), run);
    auto finished = runner_finished(run, marker, nonce);
    if (!finished || finished->size() != field_count) return no_points(locale, cut_short, run);
    return std::move(*finished);
}

std::variant<std::vector<JunitCase>, TestOutcome> checked_report_cases(
    Locale locale, const RunReport& run, const std::optional<std::string>& report_xml, std::size_t max_cases,
    bool runner_saw_failure, const std::function<bool(const JunitCase&)>& is_instructors) {
    if (!report_xml)
        return no_points(locale, localized(locale, "The test run left no report, so no test counts."), run);
    std::vector<JunitCase> cases;
    try {
        cases = parse_junit_report(*report_xml, max_cases);
    } catch (const std::exception& error) {
        return no_points(
            locale, localized(locale, "The test report cannot be read ({}), so no test counts.", error.what()), run);
    }
    for (const auto& junit_case : cases)
        if (!is_instructors(junit_case))
            return no_points(
                locale,
                localized(locale, "The test report names tests that are not the instructor's, so no test counts."),
                run);
    const bool any_failed = std::any_of(cases.begin(), cases.end(), [](const JunitCase& c) {
        return c.outcome == JunitCase::Outcome::failed || c.outcome == JunitCase::Outcome::error;
    });
    if (cases.empty() || any_failed != runner_saw_failure)
        return no_points(locale, localized(locale, "The test report does not match the test run, so no test counts."),
                         run);
    return cases;
}

TestOutcome outcome_of_cases(Locale locale, const std::vector<JunitCase>& cases,
                             const std::function<std::string(const JunitCase&)>& full_name, const CaseWeights& weights,
                             const RunReport& run) {
    TestOutcome outcome;
    outcome.resources = resources_of(run);
    std::size_t passed = 0;
    for (const auto& junit_case : cases) {
        CaseOutcome result;
        result.name = full_name(junit_case);
        result.weight = weights.of(result.name, junit_case.name);
        switch (junit_case.outcome) {
            case JunitCase::Outcome::passed:
                result.score = 100;
                result.report = localized(locale, "Passed.");
                ++passed;
                break;
            case JunitCase::Outcome::failed:
                result.report = localized(locale, "Failed:") + "\n" + fenced(junit_case.message, kMaxCaseReportBytes);
                break;
            case JunitCase::Outcome::error:
                result.report = localized(locale, "Error:") + "\n" + fenced(junit_case.message, kMaxCaseReportBytes);
                break;
            case JunitCase::Outcome::skipped:
                result.report = localized(locale, "Skipped (a skipped test gives no points):") + "\n" +
                                fenced(junit_case.message, kMaxCaseReportBytes);
                break;
        }
        outcome.cases.push_back(std::move(result));
    }
    outcome.report = localized(locale, "{} of {} instructor tests passed.", passed, cases.size());
    return outcome;
}

}  // namespace autograder::templates
