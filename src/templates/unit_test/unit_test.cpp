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
#include "templates/unit_test/instructor_tests.hpp"
#include "templates/unit_test/junit_report.hpp"
#include "templates/localized.hpp"
#include "templates/parameter_reader.hpp"
#include "templates/program_runs.hpp"
#include "templates/unit_test/unit_test_functions.hpp"
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
        auto docs = instructor_test_parameter_docs(
            "the instructor's test files (relative to the assignment folder), run by pytest; unittest TestCase "
            "classes are collected too",
            "other instructor files placed beside the tests but not run (conftest.py, helpers, data)",
            "\"test_calc::test_add\", \"test_calc.TestMore::test_big\"");
        ParameterDoc per_case{"case_time_limit", "number", false,
                              "seconds one test case may run, its fixtures included (default 5; pytest-timeout, "
                              "Debian package python3-pytest-timeout): a case that runs longer fails as timed out "
                              "and the others still count; time_limit caps the whole run"};
        per_case.minimum = 0.001;
        per_case.maximum = 600;
        docs.push_back(per_case);
        return docs;
    }

    TestOutcome run(const TestContext& context) const override {
        const Locale locale = locale_of(context);
        const TestSpec& spec = context.spec;
        if (context.execution.language_key != "python")
            throw std::invalid_argument("pytest grades Python submissions, not " + context.execution.language_key);
        const auto test_files = assignment_paths(spec, "test_files", true);
        const auto support_files = assignment_paths(spec, "support_files", false);
        const CaseWeights weights(spec);
        const double case_seconds = ParameterReader(spec, parameters()).number_or("case_time_limit", 5);
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
        argv.insert(
            argv.end(),
            {"-q", "-p", "no:cacheprovider", "--rootdir=/grader", "-c", "/dev/null", "--confcutdir=/grader",
             "--junitxml=" + report_path, "-o", "junit_family=xunit2", "-o", "junit_logging=no",
             // A case that runs too long is interrupted by SIGALRM and fails; the next runs.
             "-p", "pytest_timeout", fmt::format("--timeout={}", case_seconds), "--timeout-method=signal", "--"});
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
        // The runner's last words: anything else means the run was cut short from inside.
        auto finished = checked_runner_fields(
            locale, run, kFinishedMarker, nonce, 1,
            localized(locale,
                      "The tests did not finish: the code under test ended the test run early (for example with "
                      "sys.exit or os._exit), so no test counts."));
        if (auto* cut_short = std::get_if<TestOutcome>(&finished)) return std::move(*cut_short);
        const std::string code = std::get<std::vector<std::string>>(finished).front();
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
        // pytest says 0 when every case passed (or was skipped) and 1 when some failed.
        auto cases = checked_report_cases(
            locale, run, report_xml, kMaxTestCases, code == "1",
            [&modules](const JunitCase& c) { return modules.contains(c.classname.substr(0, c.classname.find('.'))); });
        if (auto* untrusted = std::get_if<TestOutcome>(&cases)) return std::move(*untrusted);
        return outcome_of_cases(
            locale, std::get<std::vector<JunitCase>>(cases),
            [](const JunitCase& c) { return c.classname + "::" + c.name; }, weights, run);
    }
};

}  // namespace

Template unit_test_template() {
    Template t;
    t.name = "unit_test";
    t.description = "Runs the instructor's unit tests against the student's code in the sandbox.";
    auto pytest = std::make_shared<Pytest>();
    t.functions[pytest->key()] = pytest;
    for (auto function : {junit5_function(), node_test_function(), doctest_function()})
        t.functions[function->key()] = function;
    return t;
}

}  // namespace autograder::templates
