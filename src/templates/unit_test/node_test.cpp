// The unit_test template's node_test function: the instructor's node:test files run against the
// student's JavaScript, each case a test of the result.
//
// A small runner (as the grader, in /grader) hands each instructor test file to node's own test
// runner (run() of node:test, what `node --test` does), which runs it in a child process of its own,
// and writes that file's JUnit report (node's `junit` reporter) to /grader/reports. The student's
// code runs only in those children, never in the runner, which prints a secret nonce (read from
// stdin first) and whether each file had a failure once every report is written. A file whose
// child exited, crashed or timed out before reporting its tests shows up as a single case named
// after the file: its cases are unknown, so the run gives no points (the other files' cases alone
// would be worth the whole weight). The tests load the student's files by their absolute path
// (/workspace/<file>): the grader's runs have no search path into the student's folder.
#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

#include "templates/unit_test/instructor_tests.hpp"
#include "templates/localized.hpp"
#include "templates/parameter_reader.hpp"
#include "templates/program_runs.hpp"
#include "templates/unit_test/unit_test_functions.hpp"

namespace autograder::templates {
namespace {

constexpr std::string_view kRunnerName = "autograder-node-test-runner.mjs";
constexpr std::string_view kFinishedMarker = "autograder-node-test-finished";  // as the runner prints it
constexpr std::string_view kReportsDir = "/grader/reports";
constexpr double kDefaultFileSeconds = 10;
constexpr double kDefaultRunCpuSeconds = 10;

constexpr std::string_view kRunnerSource = R"JS(import { mkdirSync, readFileSync, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { run } from 'node:test';
import { junit } from 'node:test/reporters';

const nonce = readFileSync(0, 'utf8').split('\n')[0].trim();
const [reports, timeout, ...files] = process.argv.slice(2);
mkdirSync(reports, { recursive: true });
const failed = [];
for (let i = 0; i < files.length; i++) {
  let failure = 0;
  const stream = run({ files: [files[i]], timeout: Number(timeout), concurrency: 1 });
  stream.on('test:fail', () => { failure = 1; });
  await pipeline(stream.compose(junit), createWriteStream(`${reports}/${i}.xml`));
  failed.push(failure);
}
process.stdout.write(`\nautograder-node-test-finished ${nonce} ${failed.join(',')}\n`, () => process.exit(0));
)JS";

// "wordcount.test.js" -> "wordcount.test"
std::string stem_of(const std::string& file) {
    return std::filesystem::path(file).stem().string();
}

class NodeTest final : public TestFunction {
public:
    std::string key() const override { return "node_test"; }
    std::string description() const override {
        return "Runs the instructor's node:test files (what `node --test` runs) against the student's JavaScript; "
               "every test case is a test of the result.";
    }
    bool needs_sandbox() const override { return true; }
    std::vector<ParameterDoc> parameters() const override {
        auto docs = instructor_test_parameter_docs(
            "the instructor's node:test files (relative to the assignment folder), each run in a process of its "
            "own; they load the student's code by its path, require('/workspace/wordcount.js')",
            "other instructor files placed beside the tests but not run (helpers, data)",
            "\"wordcount.test::counts words\", \"wordcount.test::edge cases > empty text\"");
        ParameterDoc per_file{"file_time_limit", "number", false,
                              "seconds one test file may run (default 10); a file that runs longer gives no points, "
                              "as its cases are unknown; time_limit caps the whole run (default 10 CPU s)"};
        per_file.minimum = 0.001;
        per_file.maximum = 600;
        docs.push_back(per_file);
        return docs;
    }

    TestOutcome run(const TestContext& context) const override {
        const Locale locale = locale_of(context);
        const TestSpec& spec = context.spec;
        if (context.execution.language->name != "javascript" && context.execution.language_key != "node")
            throw std::invalid_argument("node_test grades JavaScript submissions, not " +
                                        context.execution.language_key);
        const auto test_files = assignment_paths(spec, "test_files", true);
        const auto support_files = assignment_paths(spec, "support_files", false);
        const CaseWeights weights(spec);
        const double file_seconds =
            ParameterReader(spec, parameters()).number_or("file_time_limit", kDefaultFileSeconds);

        Sandbox& sandbox = *context.sandbox;
        sandbox.clear_grader_files();
        const std::string folder = std::string(kGraderPath) + "/";
        place_instructor_files(context, support_files);
        const std::vector<std::string> test_names = place_instructor_files(context, test_files);
        sandbox.write_file(folder + std::string(kRunnerName), kRunnerSource, false, true);

        const Language& node = *context.execution.language;
        RunRequest request;
        request.argv = {node.run.empty() ? "/usr/bin/node" : node.run.front(), folder + std::string(kRunnerName),
                        std::string(kReportsDir),
                        std::to_string(std::max<int64_t>(1, static_cast<int64_t>(file_seconds * 1000)))};
        for (const auto& name : test_names) request.argv.push_back(folder + name);
        const std::string nonce = random_nonce();
        request.stdin_data = nonce + "\n";
        request.env = node.env;
        request.limits = instructor_run_limits(context, kDefaultRunCpuSeconds);
        request.run_as = RunAs::grader;
        RunReport run = sandbox.run(request);

        std::vector<std::optional<std::string>> reports;
        for (std::size_t i = 0; i < test_names.size(); ++i)
            reports.push_back(read_grader_report(sandbox, fmt::format("{}/{}.xml", kReportsDir, i)));
        sandbox.clear_grader_files();
        return judge(locale, run, nonce, test_names, reports, weights);
    }

private:
    static TestOutcome judge(Locale locale, const RunReport& run, const std::string& nonce,
                             const std::vector<std::string>& files,
                             const std::vector<std::optional<std::string>>& reports, const CaseWeights& weights) {
        auto finished = checked_runner_fields(
            locale, run, kFinishedMarker, nonce, 1,
            localized(locale, "The test run was cut short (the runner did not finish), so no test counts."));
        if (auto* cut_short = std::get_if<TestOutcome>(&finished)) return std::move(*cut_short);
        const std::string flags = std::get<std::vector<std::string>>(finished).front();
        std::vector<std::string> failed_flags;
        for (std::size_t start = 0; start <= flags.size();) {
            std::size_t comma = flags.find(',', start);
            if (comma == std::string::npos) comma = flags.size();
            failed_flags.push_back(flags.substr(start, comma - start));
            start = comma + 1;
        }
        if (failed_flags.size() != files.size())
            return no_points(locale,
                             localized(locale, "The test run does not match its test files, so no test counts."), run);

        std::vector<JunitCase> cases;
        for (std::size_t i = 0; i < files.size(); ++i) {
            if (failed_flags[i] != "0" && failed_flags[i] != "1")
                return no_points(
                    locale, localized(locale, "The test report does not match the test run, so no test counts."), run);
            auto checked = checked_report_cases(locale, run, reports[i], kMaxTestCases - cases.size(),
                                                failed_flags[i] == "1", [](const JunitCase&) { return true; });
            if (auto* untrusted = std::get_if<TestOutcome>(&checked)) return std::move(*untrusted);
            auto& file_cases = std::get<std::vector<JunitCase>>(checked);
            for (const auto& c : file_cases)
                if (c.suites.empty() && (c.name == files[i] || c.name.ends_with("/" + files[i]))) {
                    std::string why =
                        c.outcome == JunitCase::Outcome::passed
                            ? localized(locale, "it ended before running its tests (for example with process.exit)")
                            : localized(locale, "it did not run to the end: {}", c.message);
                    return no_points(locale,
                                     localized(locale,
                                               "The tests of {} did not report their results: {}. So no test "
                                               "counts.",
                                               files[i], why),
                                     run);
                }
            // node's reporter names no file: the case's "class" is the file and its describe() blocks.
            for (auto& c : file_cases) {
                c.classname = stem_of(files[i]) + "::";
                for (const auto& suite : c.suites) c.classname += suite + " > ";
                cases.push_back(std::move(c));
            }
        }
        return outcome_of_cases(
            locale, cases, [](const JunitCase& c) { return c.classname + c.name; }, weights, run);
    }
};

}  // namespace

std::shared_ptr<const TestFunction> node_test_function() {
    return std::make_shared<NodeTest>();
}

}  // namespace autograder::templates
