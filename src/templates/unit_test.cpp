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
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "templates/builtin_templates.hpp"
#include "templates/instructor_tests.hpp"
#include "templates/junit_report.hpp"
#include "templates/localized.hpp"
#include "templates/program_runs.hpp"
#include "templates/unit_test_functions.hpp"
#include "text/utf8.hpp"

namespace autograder::templates {
namespace {

constexpr std::string_view kRunnerName = "autograder_pytest_runner.py";
constexpr std::string_view kReportName = "autograder-pytest-report.xml";
constexpr std::string_view kFinishedMarker = "autograder-pytest-finished";  // as the runner prints it

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

class Pytest final : public TestFunction {
public:
    std::string key() const override { return "pytest"; }
    std::string description() const override {
        return "Runs the instructor's pytest (or unittest) files against the student's Python code; every test "
               "case is a test of the result.";
    }
    bool needs_sandbox() const override { return true; }
    std::vector<ParameterDoc> parameters() const override {
        return instructor_test_parameter_docs(
            "the instructor's test files (relative to the assignment folder), run by pytest; unittest TestCase "
            "classes are collected too",
            "other instructor files placed beside the tests but not run (conftest.py, helpers, data)",
            "\"test_calc::test_add\", \"test_calc.TestMore::test_big\"");
    }

    TestOutcome run(const TestContext& context) const override {
        const Locale locale = locale_of(context);
        const TestSpec& spec = context.spec;
        if (context.execution.language_key != "python")
            throw std::invalid_argument("pytest grades Python submissions, not " + context.execution.language_key);
        const auto test_files = assignment_paths(spec, "test_files", true);
        const auto support_files = assignment_paths(spec, "support_files", false);
        const CaseWeights weights(spec);
        Sandbox& sandbox = *context.sandbox;
        const std::string folder = std::string(kGraderPath) + "/";

        // Fresh instructor files, owned by root: not even the code under test (running as the
        // grader) can change them.
        sandbox.clear_grader_files();
        place_instructor_files(context, support_files);
        const std::vector<std::string> test_names = place_instructor_files(context, test_files);
        std::set<std::string> modules;
        for (const auto& name : test_names) modules.insert(std::filesystem::path(name).stem().string());
        std::vector<std::string> argv = {context.execution.language->run.at(0), std::string(kRunnerName)};
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

        const std::optional<std::string> report_xml = read_grader_report(sandbox, report_path);
        sandbox.clear_grader_files();
        return judge(locale, run, nonce, report_xml, modules, weights);
    }

private:
    static TestOutcome judge(Locale locale, const RunReport& run, const std::string& nonce,
                             const std::optional<std::string>& report_xml, const std::set<std::string>& modules,
                             const CaseWeights& weights) {
        if (run.status != RunStatus::ok)
            return no_points(locale, localized(locale, "The tests did not finish. {}", explain_run(locale, run)), run);
        // The runner's last words: anything else means the run was cut short from inside.
        const auto finished = runner_finished(run, kFinishedMarker, nonce);
        if (!finished || finished->size() != 1)
            return no_points(
                locale,
                localized(locale,
                          "The tests did not finish: the code under test ended the test run early (for example with "
                          "sys.exit or os._exit), so no test counts."),
                run);
        const std::string& code = finished->front();
        if (code == "2" || code == "98")
            return no_points(
                locale,
                localized(locale,
                          "The tests could not run, most often because importing your code failed (an error or an exit "
                          "while it was imported), so no test counts."),
                run);
        if (code != "0" && code != "1")
            return no_points(locale, localized(locale, "The test run ended abnormally (pytest exit status {}).", code),
                             run);
        if (!report_xml)
            return no_points(locale, localized(locale, "The test run left no report, so no test counts."), run);

        std::vector<JunitCase> cases;
        try {
            cases = parse_junit_report(*report_xml, kMaxTestCases);
        } catch (const std::exception& error) {
            return no_points(locale,
                             localized(locale, "The test report cannot be read ({}), so no test counts.", error.what()),
                             run);
        }
        for (const auto& junit_case : cases) {
            const std::string module = junit_case.classname.substr(0, junit_case.classname.find('.'));
            if (!modules.contains(module))
                return no_points(
                    locale,
                    localized(locale, "The test report names tests that are not the instructor's, so no test counts."),
                    run);
        }
        // pytest says 0 when every case passed (or was skipped) and 1 when some failed.
        const bool any_failed = std::any_of(cases.begin(), cases.end(), [](const JunitCase& c) {
            return c.outcome == JunitCase::Outcome::failed || c.outcome == JunitCase::Outcome::error;
        });
        if (cases.empty() || (code == "0") == any_failed)
            return no_points(locale,
                             localized(locale, "The test report does not match the test run, so no test counts."), run);

        return outcome_of_cases(
            locale, cases, [](const JunitCase& c) { return c.classname + "::" + c.name; }, weights, run);
    }
};

}  // namespace

Template unit_test_template() {
    Template t;
    t.name = "unit_test";
    t.description = "Runs the instructor's unit tests against the student's code in the sandbox.";
    auto pytest = std::make_shared<Pytest>();
    t.functions[pytest->key()] = pytest;
    for (auto function : {junit5_function(), node_test_function()}) t.functions[function->key()] = function;
    return t;
}

}  // namespace autograder::templates
