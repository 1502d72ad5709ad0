// The unit_test template's junit5 function: the instructor's JUnit 5 (Jupiter) test classes run
// against the student's Java code by the JUnit console launcher (Debian package junit5), each case a
// test of the result.
//
// Everything happens as the grader in /grader, out of the student's runs' reach. The student's
// sources are compiled there again, apart from the instructor's classes: only .class files made
// from the submission's .java files reach the class path, so nothing else the submission ships (a
// junit-platform.properties, a META-INF/services file registering a listener, an extension, a
// filter or an engine) is ever seen by JUnit, and the class path puts the instructor's classes and
// JUnit before the student's, so a student class named like a test class or like a JUnit class
// shadows nothing. Only the classes compiled from the instructor's files are scanned for tests.
// The student's code runs inside the launcher's JVM, so, as for pytest, a small runner reads a
// nonce from stdin before any student class loads, prints it with the launcher's exit code and
// test count after the launcher returns, and halts the JVM: an exit from a static initializer or a
// test, a shutdown hook or a crash leaves no such line and gives no points, and the report must
// agree with the launcher's figures and name only the instructor's classes.
#include <algorithm>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <tuple>

#include <fmt/format.h>

#include "templates/builtin_templates.hpp"
#include "templates/unit_test/instructor_tests.hpp"
#include "templates/localized.hpp"
#include "templates/parameter_reader.hpp"
#include "templates/program_runs.hpp"
#include "templates/unit_test/unit_test_functions.hpp"

namespace autograder::templates {
namespace {

constexpr std::string_view kLauncherJar = "/usr/share/java/junit-platform-console-standalone.jar";
constexpr std::string_view kRunnerClass = "AutograderJunit5Runner";
constexpr std::string_view kFinishedMarker = "autograder-junit5-finished";  // as the runner prints it
constexpr std::string_view kTestClasses = "/grader/classes";
constexpr std::string_view kStudentClasses = "/grader/student-classes";
constexpr std::string_view kReportsDir = "/grader/reports";
constexpr std::string_view kReportPath = "/grader/reports/TEST-junit-jupiter.xml";
constexpr double kDefaultCaseSeconds = 5;
constexpr double kDefaultRunCpuSeconds = 20;

constexpr std::string_view kRunnerSource = R"JAVA(import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.junit.platform.console.ConsoleLauncher;
import org.junit.platform.console.ConsoleLauncherExecutionResult;

// Runs the console launcher, then prints the nonce (read before any student class loads) with the
// exit code and the number of tests found, and halts: no shutdown hook of the code under test runs.
public final class AutograderJunit5Runner {
    public static void main(String[] arguments) {
        String nonce = "";
        int code = 98;
        long found = -1;
        try {
            nonce = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            System.setIn(new java.io.ByteArrayInputStream(new byte[0]));
            ConsoleLauncherExecutionResult result = ConsoleLauncher.execute(System.out, System.err, arguments);
            code = result.getExitCode();
            if (result.getTestExecutionSummary().isPresent())
                found = result.getTestExecutionSummary().get().getTestsFoundCount();
        } catch (Throwable error) {
            code = 98;
        }
        System.out.flush();
        System.err.flush();
        System.out.print("\nautograder-junit5-finished " + nonce + " " + code + " " + found + "\n");
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
)JAVA";

std::string java_class_path(std::initializer_list<std::string_view> entries) {
    std::string path;
    for (auto entry : entries) path += (path.empty() ? "" : ":") + std::string(entry);
    return path;
}

bool is_java_source(const std::string& name) {
    return name.ends_with(".java");
}

// "AutograderJunit5Runner", "pkg.CalculatorTest$Nested" -> "CalculatorTest"
std::string top_level_simple_name(const std::string& class_name) {
    std::string name = class_name.substr(0, class_name.find('$'));
    if (auto dot = name.rfind('.'); dot != std::string::npos) name = name.substr(dot + 1);
    return name;
}

// "addsTwoNumbers()" -> "addsTwoNumbers"; parameterised invocations keep their "(int)[1]".
std::string case_name(const JunitCase& c) {
    std::string method = c.name;
    if (method.ends_with("()")) method.resize(method.size() - 2);
    return c.classname + "::" + method;
}

// JUnit's duration syntax: "5s" (its messages then say "5 seconds"), or milliseconds.
std::string timeout_text(double seconds) {
    if (seconds == static_cast<double>(static_cast<int64_t>(seconds)))
        return fmt::format("{}s", static_cast<int64_t>(seconds));
    return fmt::format("{}ms", std::max<int64_t>(1, static_cast<int64_t>(seconds * 1000)));
}

// The JVM running the console launcher through the runner, as the grader in /grader.
std::vector<std::string> launcher_command(const std::string& java_binary, int64_t heap_mb, double case_seconds) {
    return {java_binary, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+DisableAttachMechanism",
            "-XX:-UsePerfData", fmt::format("-Xmx{}m", heap_mb), "-cp",
            java_class_path({kTestClasses, kLauncherJar, kStudentClasses}), std::string(kRunnerClass),
            "--disable-banner", "--disable-ansi-colors", "--details=none", "--fail-if-no-tests",
            "--include-engine=junit-jupiter", "--scan-classpath=" + std::string(kTestClasses), "--include-classname=.*",
            "--exclude-classname=" + std::string(kRunnerClass), "--reports-dir=" + std::string(kReportsDir),
            "--config=junit.jupiter.execution.timeout.default=" + timeout_text(case_seconds),
            // A case that never yields (an endless loop) is left behind in its own thread, so the
            // next cases still run.
            "--config=junit.jupiter.execution.timeout.thread.mode.default=SEPARATE_THREAD",
            "--config=junit.jupiter.execution.timeout.mode=enabled",
            "--config=junit.jupiter.execution.parallel.enabled=false",
            "--config=junit.jupiter.extensions.autodetection.enabled=false",
            "--config=junit.jupiter.testmethod.order.default=org.junit.jupiter.api.MethodOrderer$MethodName"};
}

class Junit5 final : public TestFunction {
public:
    std::string key() const override { return "junit5"; }
    std::string description() const override {
        return "Runs the instructor's JUnit 5 test classes against the student's Java code with the JUnit console "
               "launcher; every test case is a test of the result.";
    }
    bool needs_sandbox() const override { return true; }
    std::vector<ParameterDoc> parameters() const override {
        auto docs = instructor_test_parameter_docs(
            "the instructor's JUnit 5 test classes (.java files relative to the assignment folder), compiled "
            "against the student's classes; their @Test methods are run",
            "other instructor files placed beside the tests: .java helpers compiled with them (not scanned for "
            "tests unless listed in test_files), data files the tests read from their working folder",
            "\"CalculatorTest::addsTwoNumbers\", \"CalculatorTest$Nested::edge\", \"CalculatorTest::sum(int)[2]\"");
        ParameterDoc per_case{"case_time_limit", "number", false,
                              "seconds one test case may run (default 5): a case that runs longer fails as timed "
                              "out and the others still count; time_limit caps the whole run (default 20 CPU s)"};
        per_case.minimum = 0.001;
        per_case.maximum = 600;
        docs.push_back(per_case);
        return docs;
    }

    TestOutcome run(const TestContext& context) const override {
        const Locale locale = locale_of(context);
        const TestSpec& spec = context.spec;
        if (context.execution.language_key != "java")
            throw std::invalid_argument("junit5 grades Java submissions, not " + context.execution.language_key);
        if (!std::filesystem::exists(kLauncherJar))
            throw std::invalid_argument("JUnit 5 is not installed on the grading machine (" +
                                        std::string(kLauncherJar) + " is missing: install the Debian package junit5)");
        const auto test_files = assignment_paths(spec, "test_files", true);
        const auto support_files = assignment_paths(spec, "support_files", false);
        const CaseWeights weights(spec);
        const double case_seconds =
            ParameterReader(spec, parameters()).number_or("case_time_limit", kDefaultCaseSeconds);
        for (const auto& file : test_files)
            if (!is_java_source(file)) throw std::invalid_argument("test_files: '" + file + "' is not a .java file");

        Sandbox& sandbox = *context.sandbox;
        const Language& java = *context.execution.language;
        sandbox.clear_grader_files();
        const std::string folder = std::string(kGraderPath) + "/";
        std::vector<std::string> instructor_sources;
        std::set<std::string> instructor_classes;
        for (const auto& name : place_instructor_files(context, support_files))
            if (is_java_source(name)) {
                instructor_sources.push_back(folder + name);
                instructor_classes.insert(std::filesystem::path(name).stem().string());
            }
        for (const auto& name : place_instructor_files(context, test_files)) {
            instructor_sources.push_back(folder + name);
            instructor_classes.insert(std::filesystem::path(name).stem().string());
        }
        sandbox.write_file(folder + std::string(kRunnerClass) + ".java", kRunnerSource, false, true);
        instructor_sources.push_back(folder + std::string(kRunnerClass) + ".java");

        // The student's sources, compiled apart: javac runs no code of theirs (no annotation
        // processors), and nothing but the classes it makes reaches the class path.
        std::vector<std::string> student_sources;
        for (const auto& file : context.execution.submission.files)
            if (is_java_source(file.path)) student_sources.push_back(std::string(kWorkspacePath) + "/" + file.path);
        if (student_sources.empty()) throw std::invalid_argument("the submission has no .java file");
        const std::string javac = java.compile.empty() ? "/usr/bin/javac" : java.compile.front();
        if (auto failed =
                compile(context, javac, std::string(kStudentClasses), std::string(kStudentClasses), student_sources))
            return no_points(locale, localized(locale, "Your code does not compile, so no test counts."), *failed);
        if (auto failed = compile(context, javac, std::string(kTestClasses),
                                  java_class_path({kStudentClasses, kLauncherJar}), instructor_sources))
            return no_points(
                locale,
                localized(
                    locale,
                    "The instructor's tests do not compile against your code (a class, method or signature they use "
                    "is missing or different), so no test counts."),
                *failed);

        RunRequest request;
        request.limits = instructor_run_limits(context, kDefaultRunCpuSeconds);
        const int64_t heap_mb = std::max<int64_t>(32, (request.limits.memory_bytes >> 20) * 3 / 4);
        const std::string java_binary = java.run.empty() ? "/usr/bin/java" : java.run.front();
        request.argv = launcher_command(java_binary, heap_mb, case_seconds);
        const std::string nonce = random_nonce();
        request.stdin_data = nonce + "\n";
        request.env = java.env;
        request.run_as = RunAs::grader;
        RunReport run = sandbox.run(request);

        const std::optional<std::string> report_xml = read_grader_report(sandbox, std::string(kReportPath));
        sandbox.clear_grader_files();
        return judge(locale, run, nonce, report_xml, instructor_classes, weights);
    }

private:
    // Runs javac as the grader; the failed run when it does not compile.
    static std::optional<RunReport> compile(const TestContext& context, const std::string& javac,
                                            const std::string& output, const std::string& class_path,
                                            const std::vector<std::string>& sources) {
        RunRequest request;
        request.argv = {javac,
                        "-J-XX:+UseSerialGC",
                        "-J-XX:TieredStopAtLevel=1",
                        "-J-Xshare:auto",
                        "-encoding",
                        "UTF-8",
                        "-proc:none",
                        "-implicit:none",
                        "-nowarn",
                        "-sourcepath",
                        "",
                        "-cp",
                        class_path,
                        "-d",
                        output};
        request.argv.insert(request.argv.end(), sources.begin(), sources.end());
        request.stdin_data = std::string();
        request.env = context.execution.language->env;
        request.limits = context.execution.pipeline.options().languages.compile_limits;
        request.run_as = RunAs::grader;
        RunReport run = context.sandbox->run(request);
        if (run.status == RunStatus::ok) return std::nullopt;
        return run;
    }

    static TestOutcome judge(Locale locale, const RunReport& run, const std::string& nonce,
                             const std::optional<std::string>& report_xml, const std::set<std::string>& classes,
                             const CaseWeights& weights) {
        auto finished = checked_runner_fields(
            locale, run, kFinishedMarker, nonce, 2,
            localized(locale,
                      "The tests did not finish: the code under test ended the test run early (for example with "
                      "System.exit in a static initializer or a test), so no test counts."));
        if (auto* cut_short = std::get_if<TestOutcome>(&finished)) return std::move(*cut_short);
        const std::string code = std::get<std::vector<std::string>>(finished)[0];
        const std::string found = std::get<std::vector<std::string>>(finished)[1];
        if (code == "2")
            return no_points(
                locale,
                localized(locale, "The instructor's classes hold no test the launcher could find, so no test counts."),
                run);
        if (code != "0" && code != "1")
            return no_points(locale,
                             localized(locale, "The test run ended abnormally (launcher exit status {}).", code), run);
        // The launcher says 0 when nothing failed and 1 otherwise; the report holds every test it
        // found (a test of a class whose set-up failed is reported as an error).
        auto checked = checked_report_cases(
            locale, run, report_xml, kMaxTestCases, code == "1",
            [&classes](const JunitCase& c) { return classes.contains(top_level_simple_name(c.classname)); });
        if (auto* untrusted = std::get_if<TestOutcome>(&checked)) return std::move(*untrusted);
        auto& cases = std::get<std::vector<JunitCase>>(checked);
        if (found != std::to_string(cases.size()))
            return no_points(locale,
                             localized(locale, "The test report does not match the test run, so no test counts."), run);
        // The report lists cases in no useful order: by class, then method name, as they ran.
        std::stable_sort(cases.begin(), cases.end(), [](const JunitCase& a, const JunitCase& b) {
            return std::tie(a.classname, a.name) < std::tie(b.classname, b.name);
        });
        return outcome_of_cases(locale, cases, case_name, weights, run);
    }
};

}  // namespace

std::shared_ptr<const TestFunction> junit5_function() {
    return std::make_shared<Junit5>();
}

}  // namespace autograder::templates
