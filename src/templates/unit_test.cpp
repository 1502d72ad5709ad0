// The unit_test template: the instructor's own unit tests run against the student's code in the
// sandbox, each case becoming a test of the result tree.
//
// pytest runs as the grader (uid 1001) in /grader, where the instructor's test files sit read-only
// and the student's runs can neither read nor write. The student's code is importable from the end
// of sys.path only, so nothing it ships (a conftest.py, a pytest.ini, a module named like the
// instructor's tests or like a library) is loaded in place of the instructor's. Because the
// student's code runs inside the runner's process, the engine does not take the report on trust:
// a small runner prints a secret nonce (read from stdin before any student code is imported) after
// pytest returns and leaves through os._exit, so an exit from the student's code, an atexit hook
// rewriting the report, or a crash all end without that last line and give no points; the report
// must also agree with pytest's exit code and name only the instructor's test modules.
#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "templates/builtin_templates.hpp"
#include "templates/junit_report.hpp"
#include "templates/localized.hpp"
#include "templates/program_runs.hpp"
#include "text/utf8.hpp"

namespace autograder::templates {
namespace {

constexpr std::string_view kRunnerName = "autograder_pytest_runner.py";
constexpr std::string_view kReportName = "autograder-pytest-report.xml";
constexpr std::string_view kFinishedMarker = "autograder-pytest-finished";  // as the runner prints it
constexpr int64_t kMaxReportBytes = 8LL << 20;
constexpr std::size_t kMaxCases = 2000;
constexpr std::size_t kMaxCaseReportBytes = 3000;

// Reads the nonce before anything of the student's is imported, runs pytest, then prints the nonce
// and pytest's exit code as the last line of stdout and leaves without running atexit hooks or
// finalizers that the code under test may have registered.
constexpr std::string_view kRunnerSource = R"PY(import os
import sys


def _run(nonce):
    sys.stdin = open(os.devnull)
    # The student's code: importable, but after the standard library, the installed packages and
    # the instructor's files, so it shadows none of them.
    sys.path.append("/workspace")
    try:
        import pytest
        code = int(pytest.main(sys.argv[1:]))
    except BaseException:
        code = 98
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass
    os.write(1, ("\nautograder-pytest-finished %s %d\n" % (nonce, code)).encode())
    os._exit(0)


_run(sys.stdin.readline().strip())
)PY";

std::string random_nonce() {
    std::random_device device;
    std::string nonce;
    for (int i = 0; i < 4; ++i) nonce += fmt::format("{:08x}", device());
    return nonce;
}

std::vector<std::string> path_list(const TestSpec& spec, std::string_view name, bool required) {
    const nlohmann::json* value = spec.parameter(name);
    if (!value || value->is_null()) {
        if (required) throw std::invalid_argument("missing parameter '" + std::string(name) + "'");
        return {};
    }
    if (!value->is_array()) throw std::invalid_argument(std::string(name) + " must be a list of paths");
    std::vector<std::string> paths;
    for (const auto& entry : *value) {
        if (!entry.is_string()) throw std::invalid_argument(std::string(name) + " must be a list of paths");
        std::filesystem::path relative(entry.get<std::string>());
        const std::string normal = relative.lexically_normal().string();
        if (relative.empty() || relative.is_absolute() || normal.starts_with("..") || !relative.has_filename())
            throw std::invalid_argument(std::string(name) + ": '" + relative.string() +
                                        "' must be a file inside the assignment");
        paths.push_back(normal);
    }
    if (required && paths.empty()) throw std::invalid_argument(std::string(name) + " must name at least one file");
    return paths;
}

std::string read_assignment_file(const TestContext& context, const std::string& relative) {
    const std::string& base = context.execution.pipeline.options().assignment_directory;
    std::ifstream in(std::filesystem::path(base) / relative, std::ios::binary);
    if (!in) throw std::invalid_argument("cannot read the assignment file '" + relative + "'");
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

// Per-case weights: [{"pattern": "test_calc::test_add*", "weight": 3}, ...], the first pattern
// that matches the case's full name or its bare test name wins; default_case_weight otherwise.
class CaseWeights {
public:
    explicit CaseWeights(const TestSpec& spec) {
        if (const auto* fallback = spec.parameter("default_case_weight"); fallback && !fallback->is_null()) {
            if (!fallback->is_number() || fallback->get<double>() < 0)
                throw std::invalid_argument("default_case_weight must be a number >= 0");
            default_weight_ = fallback->get<double>();
        }
        const nlohmann::json* weights = spec.parameter("case_weights");
        if (!weights || weights->is_null()) return;
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

    double of(const std::string& full_name, const std::string& bare_name) const {
        for (const auto& [pattern, weight] : rules_)
            if (fnmatch(pattern.c_str(), full_name.c_str(), 0) == 0 ||
                fnmatch(pattern.c_str(), bare_name.c_str(), 0) == 0)
                return weight;
        return default_weight_;
    }

private:
    std::vector<std::pair<std::string, double>> rules_;
    double default_weight_ = 1;
};

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
    return output.substr(start == std::string::npos ? 0 : start + 1,
                         end + 1 - (start == std::string::npos ? 0 : start + 1));
}

TestOutcome no_points(Locale locale, std::string why, const RunReport& run) {
    std::string text = std::move(why);
    if (!run.stdout_text.empty())
        text += "\n\n" + localized(locale, "Test output:") + "\n" + fenced(tail_of(run.stdout_text));
    if (!run.stderr_text.empty())
        text += "\n" + localized(locale, "Error output:") + "\n" + fenced(tail_of(run.stderr_text));
    return {0, text, resources_of(run)};
}

class Pytest final : public TestFunction {
public:
    std::string key() const override { return "pytest"; }
    std::string description() const override {
        return "Runs the instructor's pytest (or unittest) files against the student's Python code; every test "
               "case is a test of the result.";
    }
    bool needs_sandbox() const override { return true; }
    std::vector<ParameterDoc> parameters() const override {
        std::vector<ParameterDoc> docs = {
            {"test_files",
             "list",
             true,
             "the instructor's test files (relative to the assignment folder), run by pytest; unittest "
             "TestCase classes are collected too",
             {},
             {},
             std::nullopt,
             std::nullopt,
             /*assignment_files=*/true},
            {"support_files",
             "list",
             false,
             "other instructor files placed beside the tests but not run (conftest.py, helpers, data)",
             {},
             {},
             std::nullopt,
             std::nullopt,
             /*assignment_files=*/true},
            {"case_weights", "list", false,
             "[{\"pattern\", \"weight\"}]: weight of the cases whose name (\"test_calc::test_add\", "
             "\"test_calc.TestMore::test_big\") or bare test name matches the glob pattern; first match wins"},
            {"default_case_weight", "number", false, "weight of a case no pattern matches (default 1)", {}, {}, 0.0}};
        // time_limit, wall_time_limit, memory_limit: for the whole test run (not program_command:
        // the runner is pytest).
        auto limits = program_run_parameter_docs();
        docs.insert(docs.end(), limits.begin() + 1, limits.end());
        return docs;
    }

    TestOutcome run(const TestContext& context) const override {
        const TestSpec& spec = context.spec;
        if (context.execution.language_key != "python")
            throw std::invalid_argument("pytest grades Python submissions, not " + context.execution.language_key);
        const auto test_files = path_list(spec, "test_files", true);
        const auto support_files = path_list(spec, "support_files", false);
        const CaseWeights weights(spec);
        Sandbox& sandbox = *context.sandbox;
        const std::string folder = std::string(kGraderPath) + "/";

        // Fresh instructor files, owned by root: not even the code under test (running as the
        // grader) can change them.
        sandbox.clear_grader_files();
        std::set<std::string> modules;
        std::vector<std::string> argv = {context.execution.language->run.at(0), std::string(kRunnerName)};
        for (const auto& file : support_files)
            sandbox.write_file(folder + std::filesystem::path(file).filename().string(),
                               read_assignment_file(context, file), false, true);
        std::vector<std::string> test_names;
        for (const auto& file : test_files) {
            const std::filesystem::path name = std::filesystem::path(file).filename();
            sandbox.write_file(folder + name.string(), read_assignment_file(context, file), false, true);
            modules.insert(name.stem().string());
            test_names.push_back(name.string());
        }
        sandbox.write_file(folder + std::string(kRunnerName), kRunnerSource, false, true);
        const std::string report_path = folder + std::string(kReportName);
        argv.insert(argv.end(),
                    {"-q", "-p", "no:cacheprovider", "--rootdir=/grader", "-c", "/dev/null", "--confcutdir=/grader",
                     "--junitxml=" + report_path, "-o", "junit_family=xunit2", "-o", "junit_logging=no", "--"});
        argv.insert(argv.end(), test_names.begin(), test_names.end());

        const std::string nonce = random_nonce();
        RunRequest request;
        request.argv = argv;
        request.stdin_data = nonce + "\n";
        request.env = context.execution.language->env;
        request.env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1";
        request.env["PYTHONDONTWRITEBYTECODE"] = "1";
        request.limits = test_limits(context);
        request.run_as = RunAs::grader;
        RunReport run = sandbox.run(request);

        std::string report_xml;
        bool report_read = false;
        try {
            report_xml = sandbox.read_file(report_path, kMaxReportBytes);
            report_read = true;
        } catch (const std::exception&) {
        }
        sandbox.clear_grader_files();
        return judge(locale_of(context), run, nonce, report_read ? &report_xml : nullptr, modules, weights);
    }

private:
    static TestOutcome judge(Locale locale, const RunReport& run, const std::string& nonce,
                             const std::string* report_xml, const std::set<std::string>& modules,
                             const CaseWeights& weights) {
        if (run.status != RunStatus::ok)
            return no_points(locale, localized(locale, "The tests did not finish. {}", explain_run(locale, run)), run);
        // The runner's last words: anything else means the run was cut short from inside.
        const std::string finished = last_line(run.stdout_text);
        const std::string expected_prefix = fmt::format("{} {} ", kFinishedMarker, nonce);
        if (!finished.starts_with(expected_prefix))
            return no_points(locale,
                             localized(locale,
                                       "The tests did not finish: the code under test ended the test run early (for "
                                       "example with sys.exit or os._exit), so no test counts."),
                             run);
        const std::string code = finished.substr(expected_prefix.size());
        if (code == "2" || code == "98")
            return no_points(locale,
                             localized(locale,
                                       "The tests could not run, most often because importing your code failed (an "
                                       "error or an exit while it was imported), so no test counts."),
                             run);
        if (code != "0" && code != "1")
            return no_points(locale, localized(locale, "The test run ended abnormally (pytest exit status {}).", code),
                             run);
        if (report_xml == nullptr)
            return no_points(locale, localized(locale, "The test run left no report, so no test counts."), run);

        std::vector<JunitCase> cases;
        try {
            cases = parse_junit_report(*report_xml, kMaxCases);
        } catch (const std::exception& error) {
            return no_points(locale,
                             localized(locale, "The test report cannot be read ({}), so no test counts.", error.what()),
                             run);
        }
        std::size_t not_passed = 0;
        for (const auto& junit_case : cases) {
            const std::string module = junit_case.classname.substr(0, junit_case.classname.find('.'));
            if (!modules.contains(module))
                return no_points(
                    locale,
                    localized(locale, "The test report names tests that are not the instructor's, so no test counts."),
                    run);
            if (junit_case.outcome != JunitCase::Outcome::passed) ++not_passed;
        }
        // pytest says 0 when every case passed (or was skipped) and 1 when some failed.
        const bool any_failed = std::any_of(cases.begin(), cases.end(), [](const JunitCase& c) {
            return c.outcome == JunitCase::Outcome::failed || c.outcome == JunitCase::Outcome::error;
        });
        if (cases.empty() || (code == "0") == any_failed)
            return no_points(locale,
                             localized(locale, "The test report does not match the test run, so no test counts."), run);

        TestOutcome outcome;
        outcome.resources = resources_of(run);
        for (const auto& junit_case : cases) {
            CaseOutcome result;
            result.name = junit_case.classname + "::" + junit_case.name;
            result.weight = weights.of(result.name, junit_case.name);
            switch (junit_case.outcome) {
                case JunitCase::Outcome::passed:
                    result.score = 100;
                    result.report = localized(locale, "Passed.");
                    break;
                case JunitCase::Outcome::failed:
                    result.report =
                        localized(locale, "Failed:") + "\n" + fenced(junit_case.message, kMaxCaseReportBytes);
                    break;
                case JunitCase::Outcome::error:
                    result.report =
                        localized(locale, "Error:") + "\n" + fenced(junit_case.message, kMaxCaseReportBytes);
                    break;
                case JunitCase::Outcome::skipped:
                    result.report = localized(locale, "Skipped (a skipped test gives no points):") + "\n" +
                                    fenced(junit_case.message, kMaxCaseReportBytes);
                    break;
            }
            outcome.cases.push_back(std::move(result));
        }
        outcome.report =
            localized(locale, "{} of {} instructor tests passed.", cases.size() - not_passed, cases.size());
        return outcome;
    }
};

}  // namespace

Template unit_test_template() {
    Template t;
    t.name = "unit_test";
    t.description = "Runs the instructor's unit tests against the student's code in the sandbox.";
    auto pytest = std::make_shared<Pytest>();
    t.functions[pytest->key()] = pytest;
    return t;
}

}  // namespace autograder::templates
