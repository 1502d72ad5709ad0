// autograder grade: grade one submission (a folder or files), or every sub-folder of a batch
// directory in parallel over one pipeline and one sandbox pool.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "autograder/batch.hpp"
#include "autograder/pipeline.hpp"
#include "autograder/submission_reader.hpp"
#include "commands.hpp"
#include "json_file.hpp"
#include "report_output.hpp"
#include "text/utf8.hpp"

namespace autograder::cli {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

struct GradeOptions {
    std::string config_path;
    std::string template_name;
    std::string criteria_path, setup_path, feedback_path;
    std::string language;
    std::string locale = "en";
    bool json = false;
    std::string audience;  // empty: student for Markdown, teacher for --json and --format other than markdown
    bool after_due_date = false;
    std::string batch_dir;
    std::string summary_prefix;
    std::string baseline_path;
    int jobs = 0;
    std::vector<std::string> submission;
    ReportOutputOptions report;  // --format, --output, --metadata (report_output.hpp)
};

// Exit codes of `grade`.
constexpr int kGraded = 0, kPipelineFailed = 1, kUsage = 2;

std::shared_ptr<const Pipeline> make_pipeline(const GradeOptions& o, PipelineOptions options) {
    auto locale = locale_from_string(o.locale);
    if (!locale) throw std::runtime_error("unknown --locale '" + o.locale + "' (en, pt_br)");
    options.locale = *locale;
    if (!o.config_path.empty()) {
        options.assignment_directory = fs::absolute(o.config_path).parent_path().string();
        return Pipeline::create(read_json_file(o.config_path, "configuration"), std::move(options));
    }
    // The reference engine's separate documents.
    SeparateDocuments documents;
    documents.template_name = o.template_name;
    documents.criteria = read_json_file(o.criteria_path, "criteria");
    if (!o.setup_path.empty()) documents.setup = read_json_file(o.setup_path, "setup");
    if (!o.feedback_path.empty()) documents.feedback = read_json_file(o.feedback_path, "feedback");
    options.assignment_directory = fs::absolute(o.criteria_path).parent_path().string();
    auto parsed = parse_separate_documents(documents, options.templates.catalog());
    return Pipeline::create(std::move(parsed.config), std::move(options));
}

void print_config_error(const ConfigError& e) {
    std::cerr << "autograder grade: the configuration is invalid:\n";
    for (const auto& issue : e.issues()) std::cerr << "  " << issue.path << ": " << issue.message << "\n";
}

int grade_one(const GradeOptions& o, const Pipeline& pipeline) {
    Submission submission;
    try {
        submission.files = read_submission_files(o.submission);
    } catch (const std::exception& e) {
        std::cerr << "autograder grade: " << e.what() << "\n";
        return kUsage;
    }
    submission.language = o.language;
    submission.metadata = metadata_from_options(o.report);
    // Machine-read reports (JSON, Gradescope, JUnit, TAP) default to the teacher's result, which
    // keeps every test with its visibility; Markdown for the student.
    const bool machine_report = o.json || (!o.report.format.empty() && o.report.format != "markdown");
    Audience audience = machine_report ? Audience::teacher : Audience::student;
    if (o.audience == "student") audience = Audience::student;
    if (o.audience == "teacher") audience = Audience::teacher;
    if (audience == Audience::student && o.after_due_date) audience = Audience::student_after_due_date;
    GradingResult result = pipeline.grade(submission);
    if (wants_report(o.report)) {
        if (!write_report(o.report, o.json, result, audience)) return kPipelineFailed;
        return result.status == PipelineStatus::success ? kGraded : kPipelineFailed;
    }
    const std::string& feedback = result.feedback_for(audience);
    std::optional<ResultComparison> comparison;
    if (!o.baseline_path.empty() && result.result_tree) {
        try {
            comparison = compare_results(ScoreSnapshot::from_result_json(read_json_file(o.baseline_path, "baseline")),
                                         ScoreSnapshot::of(*result.result_tree));
        } catch (const std::exception& e) {
            std::cerr << "autograder grade: --baseline: " << e.what() << "\n";
            return kUsage;
        }
    }
    if (o.json) {
        auto json = result.to_json(audience);
        if (comparison) json["comparison"] = comparison->to_json();
        std::cout << text::json_text(json) << "\n";
    } else if (comparison) {
        std::cout << feedback
                  << fmt::format("\nCompared with the baseline: {:+.2f} points ({:.2f} → {:.2f})\n",
                                 comparison->score_delta, comparison->baseline_score, comparison->current_score);
        const auto unseen = unseen_paths(*result.result_tree, audience);
        for (const auto& path : comparison->paths)
            if (path.change != ScoreChange::unchanged && !unseen.contains(path.path))
                std::cout << "- " << to_string(path.change) << ": " << path.path << "\n";
    } else if (!feedback.empty()) {
        std::cout << feedback << (feedback.back() == '\n' ? "" : "\n");
    } else {
        std::cout << fmt::format("{} at {}: {}\n", to_string(result.status), result.failed_at_step.value_or("-"),
                                 failed_step_message(result));
    }
    return result.status == PipelineStatus::success ? kGraded : kPipelineFailed;
}

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

struct BatchRow {
    std::string submission;
    std::string status;  // SUCCESS, FAILED or INTERRUPTED, as for one submission
    std::optional<std::string> failed_at_step;
    double score = 0;
    double duration_ms = 0;
    std::string message;
    ScoreVector scores;                    // for the class's pass rates
    std::optional<double> baseline_delta;  // with --baseline DIR, when DIR has this submission
};

// The sub-folders of a batch directory that are submissions: hidden folders (.git, .venv) and
// archive debris (__MACOSX) are not students.
// `results_dir` (this batch's own output, when it is inside the batch directory) is skipped too.
std::vector<fs::path> batch_folders(const std::string& batch_dir, const fs::path& results_dir, std::error_code& error) {
    std::vector<fs::path> folders;
    for (const auto& entry : fs::directory_iterator(batch_dir, error)) {
        std::string name = entry.path().filename().string();
        if (name.starts_with(".") || name == "__MACOSX") continue;
        std::error_code ignored;
        if (fs::equivalent(entry.path(), results_dir, ignored)) continue;
        if (entry.is_directory() && !entry.is_symlink()) folders.push_back(entry.path());
    }
    std::sort(folders.begin(), folders.end());
    return folders;
}

// Where a batch writes each student's files: PREFIX-results/<submission>.md (the feedback) and,
// with --json, <submission>.json (the whole result, as `grade --json` prints it).
fs::path student_results_dir(const std::string& prefix) {
    return fs::path(prefix + "-results");
}

void write_student_files(const GradeOptions& o, const fs::path& dir, const std::string& submission,
                         const GradingResult& result, const std::optional<ResultComparison>& comparison) {
    std::ofstream(dir / (submission + ".md")) << result.feedback;
    if (!o.json) return;
    auto json = result.to_json();
    if (comparison) json["comparison"] = comparison->to_json();
    std::ofstream(dir / (submission + ".json")) << json.dump(2) << "\n";
}

// With --baseline DIR in a batch: DIR/<submission>.json, a result an earlier batch wrote with --json.
std::optional<ResultComparison> compare_with_baseline_dir(const std::string& baseline_dir,
                                                          const std::string& submission, const GradingResult& result) {
    fs::path file = fs::path(baseline_dir) / (submission + ".json");
    std::error_code error;
    if (baseline_dir.empty() || !result.result_tree || !fs::is_regular_file(file, error)) return std::nullopt;
    return compare_results(ScoreSnapshot::from_result_json(read_json_file(file.string(), "baseline")),
                           ScoreSnapshot::of(*result.result_tree));
}

// For every test path of the class: how many submissions passed it (score 100) of those graded.
void print_pass_rates(const ClassSummary& summary, std::ostream& out, const std::string& csv_path) {
    if (summary.pass_rates.empty()) return;
    std::ofstream csv(csv_path);
    csv << "test,passed,graded,pass_rate\n";
    size_t widest = 4;
    for (const auto& rate : summary.pass_rates) widest = std::max(widest, rate.test.size());
    out << "pass rate per test:\n";
    for (const auto& [test, passed, graded] : summary.pass_rates) {
        double rate = 100.0 * passed / graded;
        out << fmt::format("  {:<{}}  {:>4}/{:<4} {:>5.1f}%\n", test, widest, passed, graded, rate);
        csv << csv_field(test) << "," << passed << "," << graded << "," << fmt::format("{:.2f}", rate) << "\n";
    }
}

class ProgressBar {
public:
    ProgressBar(size_t total, bool live) : total_(total), live_(live), start_(Clock::now()) {}
    void advance() {
        std::lock_guard lock(mutex_);
        ++done_;
        if (!live_) return;
        double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
        double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0;
        double eta = rate > 0 ? static_cast<double>(total_ - done_) / rate : 0;
        constexpr size_t kWidth = 30;
        size_t filled = total_ ? done_ * kWidth / total_ : kWidth;
        std::cerr << fmt::format("\r[{}{}] {}/{} ({:.0f}%) {:.1f}/s ETA {:.0f}s ", std::string(filled, '#'),
                                 std::string(kWidth - filled, '.'), done_, total_,
                                 total_ ? 100.0 * static_cast<double>(done_) / static_cast<double>(total_) : 100.0,
                                 rate, eta)
                  << std::flush;
        if (done_ == total_) std::cerr << "\n";
    }

private:
    size_t total_, done_ = 0;
    bool live_;
    Clock::time_point start_;
    std::mutex mutex_;
};

// The batch's one row for a graded submission, after writing its files (and its comparison
// with --baseline): what the summaries are made of.
BatchRow batch_row(const GradeOptions& o, const fs::path& results_dir, const std::string& name,
                   const GradingResult& result) {
    BatchRow row;
    row.submission = name;
    row.status = std::string(to_string(result.status));
    row.failed_at_step = result.failed_at_step;
    row.score = result.final_score;
    row.scores = result.score_vector;
    row.duration_ms = result.execution_time_ms;
    if (!result.steps.empty() && result.status != PipelineStatus::success) row.message = failed_step_message(result);
    auto add_problem = [&row](const std::string& problem) {
        row.message += (row.message.empty() ? "" : "; ") + problem;
    };
    try {
        if (wants_report(o.report))
            if (auto problem = write_batch_report(o.report, row.submission, result); !problem.empty())
                add_problem(problem);
        std::optional<ResultComparison> comparison;
        try {
            comparison = compare_with_baseline_dir(o.baseline_path, row.submission, result);
            if (comparison) row.baseline_delta = comparison->score_delta;
        } catch (const std::exception& e) {
            add_problem("--baseline: " + text::valid_utf8(e.what()));
        }
        write_student_files(o, results_dir, row.submission, result, comparison);
    } catch (const std::exception& e) {
        add_problem(text::valid_utf8(e.what()));  // this student's files only; the summary goes on
    }
    return row;
}

// PREFIX.csv and PREFIX.jsonl: one line per submission. False when they cannot be written.
bool write_batch_summaries(const GradeOptions& o, const std::string& prefix, const std::vector<BatchRow>& rows) {
    std::ofstream csv(prefix + ".csv"), jsonl(prefix + ".jsonl");
    if (!csv || !jsonl) return false;
    const bool baseline = !o.baseline_path.empty();
    csv << "submission,status,score,duration_ms,failed_at_step,message" << (baseline ? ",baseline_delta" : "") << "\n";
    for (const auto& row : rows) {
        csv << csv_field(row.submission) << "," << row.status << "," << fmt::format("{:.4f}", row.score) << ","
            << fmt::format("{:.1f}", row.duration_ms) << "," << csv_field(row.failed_at_step.value_or("")) << ","
            << csv_field(row.message);
        if (baseline)
            csv << "," << (row.baseline_delta ? fmt::format("{:.4f}", rounded_score(*row.baseline_delta)) : "");
        csv << "\n";
        nlohmann::json line{
            {"submission", row.submission},
            {"status", row.status},
            {"score", rounded_score(row.score)},
            {"duration_ms", row.duration_ms},
            {"failed_at_step", row.failed_at_step ? nlohmann::json(*row.failed_at_step) : nlohmann::json(nullptr)},
            {"message", row.message}};
        if (baseline)
            line["baseline_delta"] =
                row.baseline_delta ? nlohmann::json(rounded_score(*row.baseline_delta)) : nlohmann::json(nullptr);
        jsonl << text::json_text(line) << "\n";
    }
    return true;
}

// The class at a glance on stdout: counts, score statistics, a histogram, pass rates per test.
void print_batch_statistics(const GradeOptions& o, const std::string& prefix, const fs::path& results_dir,
                            const std::vector<BatchRow>& rows, double elapsed, int jobs) {
    std::vector<ClassSummaryRow> class_rows;
    for (const auto& row : rows) class_rows.push_back({row.status, row.score, row.scores});
    const ClassSummary summary = ClassSummary::of(class_rows);
    std::cout << fmt::format("graded {} submissions ({} SUCCESS, {} not) in {:.1f} s ({:.1f}/s) with {} jobs\n",
                             summary.submissions, summary.success, summary.submissions - summary.success, elapsed,
                             static_cast<double>(rows.size()) / elapsed, jobs);
    std::cout << fmt::format("score: mean {:.2f}, median {:.2f}, min {:.2f}, max {:.2f}\n", summary.mean,
                             summary.median, summary.min, summary.max);
    int widest = *std::max_element(summary.histogram.begin(), summary.histogram.end());
    for (int b = 0; b < 10; ++b)
        std::cout << fmt::format(
            "{:>3}-{:<3} {:>5} {}\n", b * 10, b == 9 ? 100 : b * 10 + 9, summary.histogram[b],
            std::string(widest ? static_cast<size_t>(summary.histogram[b] * 40 / widest) : 0, '#'));
    print_pass_rates(summary, std::cout, prefix + "-tests.csv");
    std::cout << "summary: " << prefix << ".csv, " << prefix << ".jsonl, " << prefix << "-tests.csv; each student's "
              << (o.json ? "feedback and result: " : "feedback: ") << results_dir.string() << "/\n";
}

int grade_batch(const GradeOptions& o, const Pipeline& pipeline) {
    std::error_code error;
    std::string prefix =
        o.summary_prefix.empty() ? (fs::path(o.batch_dir) / "autograder-summary").string() : o.summary_prefix;
    const fs::path results_dir = student_results_dir(prefix);
    std::vector<fs::path> folders = batch_folders(o.batch_dir, results_dir, error);
    if (error) {
        std::cerr << "autograder grade: cannot list --batch " << o.batch_dir << ": " << error.message() << "\n";
        return kUsage;
    }
    if (!o.baseline_path.empty() && !fs::is_directory(o.baseline_path, error)) {
        std::cerr << "autograder grade: with --batch, --baseline is the folder of an earlier batch's results "
                     "(PREFIX-results, written with --json)\n";
        return kUsage;
    }
    if (folders.empty()) {
        std::cerr << "autograder grade: --batch " << o.batch_dir << " has no sub-folders to grade\n";
        return kUsage;
    }
    fs::create_directories(results_dir, error);
    if (error) {
        std::cerr << "autograder grade: cannot make " << results_dir << ": " << error.message() << "\n";
        return kPipelineFailed;
    }
    int jobs = o.jobs > 0 ? o.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    // A folder's name is whatever bytes the file system holds; the summaries are UTF-8.
    auto name_of = [&](size_t i) { return text::valid_utf8(folders[i].filename().string()); };
    std::vector<BatchRow> rows(folders.size());
    ProgressBar progress(folders.size(), ::isatty(STDERR_FILENO) == 1);
    BatchCallbacks callbacks;
    callbacks.submission_at = [&](size_t i) {
        Submission submission;
        submission.files = read_submission_files({folders[i].string()});
        submission.language = o.language;
        submission.metadata = metadata_from_options(o.report);
        submission.metadata["submission"] = name_of(i);
        submission.metadata["external_user_id"] = name_of(i);
        return submission;
    };
    callbacks.on_result = [&](size_t i, GradingResult&& result) {
        rows[i] = batch_row(o, results_dir, name_of(i), result);
    };
    callbacks.on_progress = [&](size_t, size_t, size_t) {
        progress.advance();
        return true;
    };
    BatchOutcome outcome = autograder::grade_batch(pipeline, folders.size(), callbacks, jobs);
    if (!write_batch_summaries(o, prefix, rows)) {
        std::cerr << "autograder grade: cannot write the summary " << prefix << ".csv/.jsonl\n";
        return kPipelineFailed;
    }
    print_batch_statistics(o, prefix, results_dir, rows, outcome.elapsed_s, jobs);
    return kGraded;
}

int grade(const GradeOptions& o) {
    bool separate = !o.template_name.empty() || !o.criteria_path.empty();
    if (o.config_path.empty() == !separate) {
        std::cerr << "autograder grade: give either --config CONFIG.json, or --template NAME --criteria "
                     "criteria.json [--setup setup.json] [--feedback feedback.json]\n";
        return kUsage;
    }
    if (separate && (o.template_name.empty() || o.criteria_path.empty())) {
        std::cerr << "autograder grade: --template and --criteria go together\n";
        return kUsage;
    }
    if (o.batch_dir.empty() && o.submission.empty()) {
        std::cerr << "autograder grade: give the submission to grade (a folder, or its files), or --batch DIR\n";
        return kUsage;
    }
    if (!o.batch_dir.empty() && !o.submission.empty()) {
        std::cerr << "autograder grade: give SUBMISSION... (a folder or files) or --batch DIR, not both\n";
        return kUsage;
    }
    if (auto problem = check_report_output(o.report, o.json, !o.batch_dir.empty()); !problem.empty()) {
        std::cerr << "autograder grade: " << problem << "\n";
        return kUsage;
    }
    PipelineOptions options;
    if (!o.batch_dir.empty()) {
        int jobs = o.jobs > 0 ? o.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
        SandboxPoolOptions pool;
        pool.default_size = std::min(jobs + 1, 16);
        pool.max_total = 2 * jobs + 2;
        options.pool = std::make_shared<SandboxPool>(pool);
    }
    std::shared_ptr<const Pipeline> pipeline;
    try {
        pipeline = make_pipeline(o, std::move(options));
    } catch (const ConfigError& e) {
        print_config_error(e);
        return kUsage;
    } catch (const std::exception& e) {
        std::cerr << "autograder grade: " << e.what() << "\n";
        return kUsage;
    }
    for (const auto& warning : pipeline->warnings())
        std::cerr << "autograder grade: warning: " << warning.path << ": " << warning.message << "\n";
    return o.batch_dir.empty() ? grade_one(o, *pipeline) : grade_batch(o, *pipeline);
}

}  // namespace

Action add_grade_command(CLI::App& app) {
    auto o = std::make_shared<GradeOptions>();
    auto* command =
        app.add_subcommand("grade", "Grade a submission (a folder or files) against a grading configuration");
    command->add_option("--config,-c", o->config_path, "Grading configuration (docs/configuration.md)")
        ->check(CLI::ExistingFile);
    command->add_option("--template", o->template_name, "Template name(s), with --criteria (reference engine's files)");
    command->add_option("--criteria", o->criteria_path, "criteria.json (reference engine's files)")
        ->check(CLI::ExistingFile);
    command->add_option("--setup", o->setup_path, "setup.json (with --criteria)")->check(CLI::ExistingFile);
    command->add_option("--feedback", o->feedback_path, "feedback.json (with --criteria)")->check(CLI::ExistingFile);
    command->add_option("--language,-l", o->language, "Submission language (default: the configuration's first)");
    command->add_option("--locale", o->locale, "Feedback language: en or pt_br")->capture_default_str();
    command->add_flag("--json", o->json, "Print the result JSON instead of the Markdown feedback");
    command
        ->add_option("--audience", o->audience,
                     "student: leave out hidden tests (default for the Markdown feedback); teacher: show every test "
                     "(default with --json and the machine-read --format gradescope, junit, tap)")
        ->check(CLI::IsMember({"student", "teacher"}));
    command->add_flag("--after-due-date", o->after_due_date,
                      "Student audience: the due date has passed, show after_due_date tests");
    command->add_option("--batch", o->batch_dir, "Grade every sub-folder of DIR in parallel")
        ->check(CLI::ExistingDirectory);
    command
        ->add_option("--baseline", o->baseline_path,
                     "A previous result JSON (--json output): add the score delta and per-test changes. With "
                     "--batch, the PREFIX-results folder of an earlier batch run with --json")
        ->check(CLI::ExistingPath);
    command->add_option("--summary", o->summary_prefix,
                        "Batch summary: PREFIX.csv, PREFIX.jsonl, PREFIX-tests.csv (pass rate per test) and "
                        "PREFIX-results/ (each student's feedback .md, and with --json result .json); default "
                        "DIR/autograder-summary");
    command->add_option("--jobs,-j", o->jobs, "Batch: submissions graded at once (default: cores)")
        ->check(CLI::Range(1, 256));
    command->add_option("SUBMISSION", o->submission, "A submission folder, or its files");
    add_report_output_options(*command, o->report);
    command->footer(
        "Exit status: 0 graded, 1 the pipeline failed (e.g. a pre-flight check), 2 usage or configuration error.\n"
        "Examples:\n  autograder grade --config examples/assignments/python-calculator/config.json "
        "examples/assignments/python-calculator/submissions/partial\n"
        "  autograder grade --config config.json --batch submissions/ --jobs 4");
    return [o] { return grade(*o); };
}

}  // namespace autograder::cli
