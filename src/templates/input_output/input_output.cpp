// The input_output template: tests that run the student's program in the sandbox and judge what
// it prints or writes. A time-out, crash or compile error scores 0 with a report saying so.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "languages/command_line.hpp"
#include "templates/builtin_templates.hpp"
#include "templates/input_output/line_diff.hpp"
#include "templates/localized.hpp"
#include "templates/input_output/output_comparison.hpp"
#include "templates/parameter_reader.hpp"
#include "templates/program_runs.hpp"
#include "text/utf8.hpp"

namespace autograder::templates {
namespace {

TestOutcome failed_run(const TestContext& context, const RunReport& report) {
    std::string text = explain_run(locale_of(context), report);
    // What the program printed before it stopped is often the best clue (pytest, a trace).
    if (!report.stdout_text.empty())
        text += "\n\n" + localized(context, "Output before it stopped:") + "\n" + fenced(report.stdout_text, 2048);
    if (!report.stderr_text.empty())
        text += "\n\n" + localized(context, "Error output:") + "\n" + fenced(report.stderr_text);
    return {0, text, resources_of(report)};
}

std::vector<ParameterDoc> with_run_parameters(std::vector<ParameterDoc> docs) {
    for (auto& doc : program_run_parameter_docs()) docs.push_back(std::move(doc));
    return docs;
}

ParameterDoc choice(std::string name, std::string description, std::vector<std::string> choices) {
    ParameterDoc doc{std::move(name), "string", false, std::move(description)};
    doc.choices = std::move(choices);
    return doc;
}

ParameterDoc tolerance(std::string name, std::string description) {
    ParameterDoc doc{std::move(name), "number", false, std::move(description)};
    doc.minimum = 0;
    return doc;
}

// Expected and actual output side by side; for long outputs (more than kDiffFromLines lines) a
// unified diff of the lines that differ instead. A checker's expected output stays hidden.
constexpr size_t kDiffFromLines = 8;

std::string differences(const TestContext& context, const CompareSpec& compare, const std::string& expected,
                        const std::string& actual) {
    const std::string your_output = "\n" + localized(context, "Your output:") + "\n";
    if (compare.mode == CompareMode::checker) return your_output + fenced(actual);
    auto line_count = [](const std::string& text) { return std::count(text.begin(), text.end(), '\n'); };
    bool long_output = std::max(line_count(expected), line_count(actual)) > static_cast<long>(kDiffFromLines);
    if (long_output && compare.mode != CompareMode::regex) {
        std::string want = compare.normalize ? normalize_output(expected) : expected;
        std::string got = compare.normalize ? normalize_output(actual) : actual;
        if (auto diff = unified_diff(want, got))
            return "\n" + localized(context, "Differences (- expected, + your output):") + "\n" + fenced(*diff);
    }
    return "\n" + localized(context, "Expected output:") + "\n" + fenced(expected) + your_output + fenced(actual);
}

std::string string_or(const TestSpec& spec, std::string_view name, std::string fallback) {
    const nlohmann::json* value = spec.parameter(name);
    return value && value->is_string() ? value->get<std::string>() : fallback;
}

// The student's program, once; nullopt and an outcome when it did not end normally.
struct ProgramResult {
    RunReport report;
    std::optional<TestOutcome> failure;
};

ProgramResult run_student_program(const TestContext& context, const std::string& stdin_data) {
    RunReport report = run_program(context, program_command(context), stdin_data);
    if (report.status != RunStatus::ok) return {report, failed_run(context, report)};
    return {report, std::nullopt};
}

// Runs the instructor's checker on fresh copies of input, output and expected output, as the
// grader's user in the grader's own folder: the student's runs can neither read these files nor
// plant anything on the checker's search paths (modules, classes, node_modules).
Comparison run_checker(const TestContext& context, const ParameterReader& parameters, const std::string& input,
                       const std::string& output, const std::string& expected, double& partial_score) {
    std::string command = parameters.required_text("checker");
    Sandbox& sandbox = *context.sandbox;
    const std::string folder = std::string(kGraderPath) + "/";
    // Whatever an earlier checker left is gone before this one starts.
    sandbox.clear_grader_files();
    if (auto files = parameters.string_list("checker_files")) {
        const std::string& base = context.execution.pipeline.options().assignment_directory;
        for (const auto& file : *files) {
            std::filesystem::path relative(file);
            if (relative.is_absolute() || relative.lexically_normal().string().starts_with(".."))
                throw std::invalid_argument("checker_files: '" + relative.string() +
                                            "' must stay inside the assignment");
            std::ifstream in(std::filesystem::path(base) / relative, std::ios::binary);
            if (!in) throw std::invalid_argument("checker_files: cannot read '" + relative.string() + "'");
            std::ostringstream content;
            content << in.rdbuf();
            sandbox.write_file(folder + relative.filename().string(), content.str(), true);
        }
    }
    sandbox.write_file(folder + "input.txt", input);
    sandbox.write_file(folder + "output.txt", output);
    sandbox.write_file(folder + "expected.txt", expected);
    RunRequest request;
    request.argv = split_command_line(command);
    request.argv.insert(request.argv.end(), {"input.txt", "output.txt", "expected.txt"});
    request.run_as = RunAs::grader;
    request.stdin_data = std::string();
    request.env = context.execution.language->env;
    request.limits = Limits{};
    RunReport report = sandbox.run(request);
    sandbox.clear_grader_files();
    if (report.exit_code == 42) return {true, {}};
    if (report.exit_code == 43)
        return {false, report.stdout_text.empty()
                           ? localized(context, "the checker rejected the output")
                           : localized(context, "the checker rejected the output: {}", report.stdout_text)};
    if (report.status == RunStatus::ok) {
        try {
            size_t used = 0;
            std::string text = normalize_output(report.stdout_text);
            double fraction = std::stod(text, &used);
            if (used == text.size() && fraction >= 0 && fraction <= 1) {
                partial_score = fraction * 100;
                return {fraction >= 1,
                        fraction >= 1 ? "" : localized(context, "the checker gave {:.0f}% credit", fraction * 100)};
            }
        } catch (const std::exception&) {
        }
    }
    throw std::runtime_error(
        "the checker did not give a verdict (exit 42 accepted, 43 wrong, or a score from 0 to 1 "
        "on stdout): " +
        report.message + " " + std::string(text::utf8_prefix(report.stderr_text, 500)));
}

class ExpectOutput final : public TestFunction {
public:
    std::string key() const override { return "expect_output"; }
    std::string description() const override {
        return "Runs the program with the given input lines and compares its output with the expected output.";
    }
    bool needs_sandbox() const override { return true; }
    std::vector<ParameterDoc> parameters() const override {
        ParameterDoc files{"checker_files", "list", false,
                           "checker mode: files of the assignment folder copied, fresh, next to the checker before "
                           "it runs (each must exist)"};
        files.assignment_files = true;
        return with_run_parameters(
            {{"inputs", "text", false,
              "stdin: a list of lines (joined by newlines, with a trailing newline) or one string; default: "
              "empty (end-of-file at once)"},
             {"expected_output", "text", true,
              "the expected output (a string or a list of lines); in regex mode a pattern; in checker mode "
              "handed to the checker as expected.txt"},
             {"normalization", "boolean", false,
              "CRLF and CR become LF, trailing spaces of each line and of the whole text go (default true)"},
             choice("compare",
                    "how the output is compared: exact (default), whitespace (runs of whitespace are equal), "
                    "case_insensitive, float (numbers within abs_tol or rel_tol), regex (the whole output must "
                    "match), contains, checker (an instructor program decides)",
                    {"exact", "whitespace", "case_insensitive", "float", "regex", "contains", "checker"}),
             tolerance("abs_tol", "float mode: absolute tolerance (default 1e-9)"),
             tolerance("rel_tol", "float mode: relative tolerance (default 1e-9)"),
             {"checker", "string", false,
              "checker mode (required there): the command run in the sandbox with input.txt output.txt "
              "expected.txt; exit 42 accepts, 43 rejects, or a score from 0 to 1 on stdout gives partial credit"},
             files});
    }
    bool parameters_complete() const override { return true; }
    std::vector<ParameterProblem> check_parameters(const TestSpec& spec) const override {
        std::vector<ParameterProblem> problems;
        std::string mode = string_or(spec, "compare", "exact");
        bool has_checker = spec.parameter("checker") && !spec.parameter("checker")->is_null();
        if (mode == "checker" && !has_checker)
            problems.push_back(
                {"compare", "compare is \"checker\": the parameter 'checker' (its command) is required"});
        if (mode != "checker" && has_checker)
            problems.push_back({"checker", "'checker' is only used with \"compare\": \"checker\""});
        if (mode != "checker" && spec.parameter("checker_files"))
            problems.push_back({"checker_files", "'checker_files' is only used with \"compare\": \"checker\""});
        if (mode == "regex")
            if (const auto* pattern = spec.parameter("expected_output"); pattern && pattern->is_string())
                if (auto problem = regex_problem(pattern->get<std::string>()))
                    problems.push_back({"expected_output", *problem});
        return problems;
    }
    TestOutcome run(const TestContext& context) const override {
        const ParameterReader parameters(context.spec, this->parameters());
        std::string expected = parameters.required_text("expected_output");
        CompareSpec compare;
        compare.mode = compare_mode_from_string(parameters.text_or("compare", "exact"));
        compare.normalize = parameters.boolean_or("normalization", true);
        compare.abs_tol = parameters.number_or("abs_tol", 1e-9);
        compare.rel_tol = parameters.number_or("rel_tol", 1e-9);
        std::string input = stdin_of(parameters.value("inputs"));
        auto program = run_student_program(context, input);
        if (program.failure) return *program.failure;
        const std::string& actual = program.report.stdout_text;
        double score = 0;
        Comparison comparison;
        if (compare.mode == CompareMode::checker) {
            comparison = run_checker(context, parameters, input, actual, expected, score);
            if (comparison.passed) score = 100;
        } else {
            comparison = compare_output(compare, expected, actual, locale_of(context));
            score = comparison.passed ? 100 : 0;
        }
        std::string report =
            comparison.passed ? localized(context, "The output is correct.")
                              : localized(context, "The output is not what was expected: {}.", comparison.explanation);
        if (!comparison.passed) {
            if (!input.empty()) report += "\n\n" + localized(context, "Input:") + "\n" + fenced(input);
            report += differences(context, compare, expected, actual);
        }
        return {score, report, resources_of(program.report)};
    }
};

class DontFail final : public TestFunction {
public:
    std::string key() const override { return "dont_fail"; }
    std::string description() const override {
        return "Runs the program and passes unless it times out, crashes or does not compile.";
    }
    bool needs_sandbox() const override { return true; }
    std::vector<ParameterDoc> parameters() const override {
        ParameterDoc input{"user_input", "text", false,
                           "stdin: a list of lines or one string; default: empty (end-of-file at once)"};
        input.aliases = {"input", "inputs"};
        return with_run_parameters({input});
    }
    bool parameters_complete() const override { return true; }
    TestOutcome run(const TestContext& context) const override {
        std::string input = stdin_of(ParameterReader(context.spec, parameters()).value("user_input"));
        auto program = run_student_program(context, input);
        if (program.failure) return *program.failure;
        return {100, localized(context, "The program ran without failing."), resources_of(program.report)};
    }
};

class ExpectFileArtifact final : public TestFunction {
public:
    std::string key() const override { return "expect_file_artifact"; }
    std::string description() const override {
        return "Runs the program, then checks a file it must write in its working directory.";
    }
    bool needs_sandbox() const override { return true; }
    std::vector<ParameterDoc> parameters() const override {
        return with_run_parameters(
            {{"artifact_path", "string", true, "relative path of the file, inside the workspace (no \"..\")"},
             {"expected_content", "text", true, "what the file must hold (in regex mode, a pattern)"},
             choice("match_mode",
                    "exact (default), contains, or regex (found anywhere in the file, as Python's re.search; "
                    "inline flags such as (?m) work)",
                    {"exact", "contains", "regex"}),
             {"inputs", "text", false, "stdin: a list of lines or one string; default: empty"},
             {"normalization", "boolean", false, "normalise both texts before comparing (default true)"}});
    }
    bool parameters_complete() const override { return true; }
    std::vector<ParameterProblem> check_parameters(const TestSpec& spec) const override {
        std::vector<ParameterProblem> problems;
        std::string path = string_or(spec, "artifact_path", "x");
        std::filesystem::path relative(path);
        std::string normal = relative.lexically_normal().string();
        if (path.empty() || relative.is_absolute() || normal == ".." || normal.starts_with("../"))
            problems.push_back({"artifact_path", "'" + path + "' must be a relative path inside the workspace"});
        if (string_or(spec, "match_mode", "exact") == "regex")
            if (const auto* pattern = spec.parameter("expected_content"); pattern && pattern->is_string())
                if (auto problem = regex_problem(pattern->get<std::string>()))
                    problems.push_back({"expected_content", *problem});
        return problems;
    }
    TestOutcome run(const TestContext& context) const override {
        const ParameterReader parameters(context.spec, this->parameters());
        std::string path = parameters.required_text("artifact_path");
        std::filesystem::path relative(path);
        if (path.empty() || relative.is_absolute() || relative.lexically_normal().string().starts_with(".."))
            throw std::invalid_argument("artifact_path '" + path + "' must be a relative path inside the workspace");
        std::string mode = parameters.text_or("match_mode", "exact");
        CompareSpec compare;
        if (mode == "exact")
            compare.mode = CompareMode::exact;
        else if (mode == "contains")
            compare.mode = CompareMode::contains;
        else if (mode == "regex") {
            compare.mode = CompareMode::regex;
            compare.search = true;  // Python's re.search, as the reference engine
        } else {
            throw std::invalid_argument("match_mode '" + mode + "' must be exact, contains or regex");
        }
        compare.normalize = parameters.boolean_or("normalization", true);
        std::string expected = parameters.required_text("expected_content");
        // A file left by an earlier test must not pass this one.
        context.sandbox->remove_file(path);
        auto program = run_student_program(context, stdin_of(parameters.value("inputs")));
        if (program.failure) return *program.failure;
        std::string content;
        try {
            content = context.sandbox->read_file(path, 1 << 20);
        } catch (const SandboxError& e) {
            return {0, localized(context, "The program did not leave a readable file '{}': {}", path, e.what()),
                    resources_of(program.report)};
        }
        Comparison comparison = compare_output(compare, expected, content, locale_of(context));
        if (comparison.passed)
            return {100, localized(context, "The file '{}' is correct.", path), resources_of(program.report)};
        return {0,
                localized(context, "The file '{}' is not what was expected: {}.", path, comparison.explanation) +
                    "\n\n" + localized(context, "Its content:") + "\n" + fenced(content),
                resources_of(program.report)};
    }
};

}  // namespace

Template input_output_template() {
    Template t;
    t.name = "input_output";
    t.description = "Runs the student's program in the sandbox and judges its output and files.";
    for (std::shared_ptr<const TestFunction> f :
         {std::shared_ptr<const TestFunction>(std::make_shared<ExpectOutput>()),
          std::shared_ptr<const TestFunction>(std::make_shared<DontFail>()),
          std::shared_ptr<const TestFunction>(std::make_shared<ExpectFileArtifact>())})
        t.functions[f->key()] = f;
    return t;
}

}  // namespace autograder::templates
