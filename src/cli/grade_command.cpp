// autograder grade: grade one submission (a folder or files), or every sub-folder of a batch
// directory in parallel over one pipeline and one sandbox pool.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "autograder/batch.hpp"
#include "autograder/pipeline.hpp"
#include "autograder/submission_reader.hpp"
#include "commands.hpp"
#include "json_file.hpp"
#include "queue_batch.hpp"
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
    std::string queue_url;  // --queue: the batch goes to `autograder worker` processes (queue_batch.hpp)
    std::string queue_prefix = "autograder";
    double queue_timeout_s = 0;  // 0: wait for ever
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

// The pipeline, its warnings printed; null (its problems printed) when the configuration is refused.
std::shared_ptr<const Pipeline> reported_pipeline(const GradeOptions& o, PipelineOptions options) {
    std::shared_ptr<const Pipeline> pipeline;
    try {
        pipeline = make_pipeline(o, std::move(options));
    } catch (const ConfigError& e) {
        print_config_error(e);
        return nullptr;
    } catch (const std::exception& e) {
        std::cerr << "autograder grade: " << e.what() << "\n";
        return nullptr;
    }
    for (const auto& warning : pipeline->warnings())
        std::cerr << "autograder grade: warning: " << warning.path << ": " << warning.message << "\n";
    return pipeline;
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

// One graded submission as a batch's row and files need it: graded here (a GradingResult), or
// by a worker (--queue: the result JSON and score vector it sent back).
struct GradedSubmission {
    std::string status;
    std::optional<std::string> failed_at_step;
    double final_score = 0;
    ScoreVector scores;  // in the result tree's order
    double duration_ms = 0;
    std::string message;   // the failed step's, when the grading did not succeed
    std::string feedback;  // the student's Markdown
    bool has_result_tree = false;
    std::function<nlohmann::json()> result_json;  // the teacher's result JSON, made when needed
};

GradedSubmission graded_here(const GradingResult& result) {
    GradedSubmission graded;
    graded.status = std::string(to_string(result.status));
    graded.failed_at_step = result.failed_at_step;
    graded.final_score = result.final_score;
    graded.scores = result.score_vector;
    graded.duration_ms = result.execution_time_ms;
    if (!result.steps.empty() && result.status != PipelineStatus::success) graded.message = failed_step_message(result);
    graded.feedback = result.feedback;
    graded.has_result_tree = result.result_tree.has_value();
    graded.result_json = [&result] { return result.to_json(); };
    return graded;
}

// What a worker sent back (queue::batch_result_body). Read from Redis, so checked: throws
// std::runtime_error naming the field at fault.
GradedSubmission graded_by_worker(const QueueReply& reply) {
    const auto fail = [](const std::string& what) { throw std::runtime_error("the worker's result: " + what); };
    const nlohmann::json& result = reply.body.at("result");
    GradedSubmission graded;
    if (!result.contains("status") || !result["status"].is_string()) fail("result.status is not a string");
    graded.status = result["status"].get<std::string>();
    if (const auto& step = result.value("failed_at_step", nlohmann::json()); step.is_string())
        graded.failed_at_step = step.get<std::string>();
    graded.final_score = reply.final_score;
    for (const auto& item : reply.body.at("score_vector")) {
        if (!item.is_array() || item.size() != 2 || !item[0].is_string() || !item[1].is_number())
            fail("score_vector holds something else than [path, score] pairs");
        graded.scores.emplace_back(item[0].get<std::string>(), item[1].get<double>());
    }
    const nlohmann::json pipeline = result.value("pipeline", nlohmann::json::object());
    if (!pipeline.is_object()) fail("result.pipeline is not an object");
    if (const auto& time = pipeline.value("execution_time_ms", nlohmann::json()); time.is_number())
        graded.duration_ms = time.get<double>();
    const nlohmann::json steps = pipeline.value("steps", nlohmann::json::array());
    if (!steps.is_array()) fail("result.pipeline.steps is not a list");
    // failed_step_message, on the steps' JSON.
    if (!steps.empty() && graded.status != "SUCCESS") {
        const nlohmann::json* chosen = &steps.back();
        for (const auto& step : steps)
            if (step.is_object() && graded.failed_at_step && step.value("name", "") == *graded.failed_at_step) {
                chosen = &step;
                break;
            }
        if (chosen->is_object() && chosen->contains("message") && (*chosen)["message"].is_string())
            graded.message = (*chosen)["message"].get<std::string>();
    }
    // The teacher's JSON holds the student's Markdown as student_feedback when the two differ.
    const nlohmann::json& feedback =
        result.contains("student_feedback") ? result["student_feedback"] : result.value("feedback", nlohmann::json());
    if (!feedback.is_string()) fail("result.feedback is not a string");
    graded.feedback = feedback.get<std::string>();
    graded.has_result_tree = result.value("result_tree", nlohmann::json()).is_object();
    graded.result_json = [&result] { return result; };
    return graded;
}

void write_student_files(const GradeOptions& o, const fs::path& dir, const std::string& submission,
                         const GradedSubmission& graded, const std::optional<ResultComparison>& comparison) {
    std::ofstream(dir / (submission + ".md")) << graded.feedback;
    if (!o.json) return;
    auto json = graded.result_json();
    if (comparison) json["comparison"] = comparison->to_json();
    std::ofstream(dir / (submission + ".json")) << json.dump(2) << "\n";
}

// With --baseline DIR in a batch: DIR/<submission>.json, a result an earlier batch wrote with --json.
std::optional<ResultComparison> compare_with_baseline_dir(const std::string& baseline_dir,
                                                          const std::string& submission,
                                                          const GradedSubmission& graded) {
    fs::path file = fs::path(baseline_dir) / (submission + ".json");
    std::error_code error;
    if (baseline_dir.empty() || !graded.has_result_tree || !fs::is_regular_file(file, error)) return std::nullopt;
    // What ScoreSnapshot::of(result tree) is: the tree's final score and score vector.
    return compare_results(ScoreSnapshot::from_result_json(read_json_file(file.string(), "baseline")),
                           ScoreSnapshot{graded.final_score, graded.scores});
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
                   const GradedSubmission& graded) {
    BatchRow row;
    row.submission = name;
    row.status = graded.status;
    row.failed_at_step = graded.failed_at_step;
    row.score = graded.final_score;
    row.scores = graded.scores;
    row.duration_ms = graded.duration_ms;
    row.message = graded.message;
    auto add_problem = [&row](const std::string& problem) {
        row.message += (row.message.empty() ? "" : "; ") + problem;
    };
    try {
        if (wants_report(o.report))
            if (auto problem = write_batch_report(o.report, row.submission, graded.result_json()); !problem.empty())
                add_problem(problem);
        std::optional<ResultComparison> comparison;
        try {
            comparison = compare_with_baseline_dir(o.baseline_path, row.submission, graded);
            if (comparison) row.baseline_delta = comparison->score_delta;
        } catch (const std::exception& e) {
            add_problem("--baseline: " + text::valid_utf8(e.what()));
        }
        write_student_files(o, results_dir, row.submission, graded, comparison);
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

// What a batch grades and where its summaries go.
struct BatchPlan {
    std::string prefix;
    fs::path results_dir;
    std::vector<fs::path> folders;
    // A folder's name is whatever bytes the file system holds; the summaries are UTF-8.
    std::string name_of(size_t i) const { return text::valid_utf8(folders[i].filename().string()); }
};

// Lists the batch's folders and makes its results folder; an exit status when it cannot.
std::optional<int> plan_batch(const GradeOptions& o, BatchPlan& plan) {
    std::error_code error;
    plan.prefix = o.summary_prefix.empty() ? (fs::path(o.batch_dir) / "autograder-summary").string() : o.summary_prefix;
    plan.results_dir = student_results_dir(plan.prefix);
    plan.folders = batch_folders(o.batch_dir, plan.results_dir, error);
    if (error) {
        std::cerr << "autograder grade: cannot list --batch " << o.batch_dir << ": " << error.message() << "\n";
        return kUsage;
    }
    if (!o.baseline_path.empty() && !fs::is_directory(o.baseline_path, error)) {
        std::cerr << "autograder grade: with --batch, --baseline is the folder of an earlier batch's results "
                     "(PREFIX-results, written with --json)\n";
        return kUsage;
    }
    if (plan.folders.empty()) {
        std::cerr << "autograder grade: --batch " << o.batch_dir << " has no sub-folders to grade\n";
        return kUsage;
    }
    fs::create_directories(plan.results_dir, error);
    if (error) {
        std::cerr << "autograder grade: cannot make " << plan.results_dir << ": " << error.message() << "\n";
        return kPipelineFailed;
    }
    return std::nullopt;
}

int grade_batch(const GradeOptions& o, const Pipeline& pipeline) {
    BatchPlan plan;
    if (auto status = plan_batch(o, plan)) return *status;
    const std::string& prefix = plan.prefix;
    const fs::path& results_dir = plan.results_dir;
    const std::vector<fs::path>& folders = plan.folders;
    int jobs = o.jobs > 0 ? o.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    auto name_of = [&](size_t i) { return plan.name_of(i); };
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
        rows[i] = batch_row(o, results_dir, name_of(i), graded_here(result));
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

// SIGINT and SIGTERM during a --queue batch: blocked from its start, before any thread exists (so
// every thread inherits the mask and none is killed by them), and polled between its steps.
class StopSignals {
public:
    StopSignals() {
        sigemptyset(&signals_);
        sigaddset(&signals_, SIGINT);
        sigaddset(&signals_, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &signals_, &previous_);
    }
    ~StopSignals() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    bool requested() {
        if (received_ == 0) {
            const timespec now{0, 0};
            const int signal = ::sigtimedwait(&signals_, nullptr, &now);
            if (signal > 0) received_ = signal;
        }
        return received_ != 0;
    }
    int received() const { return received_; }

private:
    sigset_t signals_{}, previous_{};
    int received_ = 0;
};

int grade_batch_through_queue(const GradeOptions& o, const nlohmann::json& configuration,
                              const QueueBatchOptions& queue_options, StopSignals& signals) {
    BatchPlan plan;
    if (auto status = plan_batch(o, plan)) return *status;
    std::vector<BatchRow> rows(plan.folders.size());
    ProgressBar progress(plan.folders.size(), ::isatty(STDERR_FILENO) == 1);
    size_t done = 0;
    const auto not_graded = [&](size_t i, PipelineStatus status, const std::string& step, const std::string& why) {
        const GradingResult result = result_without_grading(status, step, why);
        rows[i] = batch_row(o, plan.results_dir, plan.name_of(i), graded_here(result));
        progress.advance();
        ++done;
    };
    QueueBatchCallbacks callbacks;
    callbacks.job_at = [&](size_t i) {
        queue::JobMessage job;
        for (auto& file : read_submission_files({plan.folders[i].string()}))
            job.files.push_back({std::move(file.path), std::move(file.content), file.executable});
        job.configuration = configuration;
        job.locale = o.locale;
        job.language = o.language;
        job.metadata = metadata_from_options(o.report);
        job.metadata["submission"] = plan.name_of(i);
        job.metadata["external_user_id"] = plan.name_of(i);
        return job;
    };
    // As the local batch: a submission whose files cannot be read (or sent) fails its pre-flight.
    callbacks.on_unsent = [&](size_t i, const std::string& why) {
        not_graded(i, PipelineStatus::failed, "PRE_FLIGHT", why);
    };
    callbacks.on_reply = [&](size_t i, QueueReply&& reply) {
        std::string reason = reply.reason;
        if (reply.kind == QueueReply::Kind::result) {
            try {
                rows[i] = batch_row(o, plan.results_dir, plan.name_of(i), graded_by_worker(reply));
                progress.advance();
                ++done;
                return;
            } catch (const std::exception& e) {
                reason = text::valid_utf8(e.what());
            }
        }
        // The host's failure, not the student's: as the local batch shows a grading that threw.
        not_graded(i, PipelineStatus::interrupted, "BATCH", "the workers gave up on this submission: " + reason);
    };
    callbacks.stop_requested = [&] { return signals.requested(); };

    QueueBatchOutcome outcome;
    try {
        outcome = run_queue_batch(queue_options, plan.folders.size(), callbacks);
    } catch (const queue::RedisError& e) {
        std::cerr << "autograder grade: --queue: cannot send the batch to " << queue_options.address.to_string() << ": "
                  << e.what() << "\n";
        return kPipelineFailed;
    }
    if (outcome.end == QueueBatchOutcome::End::interrupted) {
        std::cerr << fmt::format(
            "\nautograder grade: stopped by signal {} with {} of {} submissions not graded yet; the jobs no worker "
            "had taken are withdrawn, but the ones being graded may still be graded (their results are dropped). "
            "No summary was written.\n",
            signals.received(), plan.folders.size() - done, plan.folders.size());
        return 128 + signals.received();
    }
    if (outcome.end == QueueBatchOutcome::End::timed_out) {
        const std::string why =
            fmt::format("no worker graded it: no result came for --queue-timeout {} s", o.queue_timeout_s);
        for (size_t i : outcome.unanswered) not_graded(i, PipelineStatus::interrupted, "BATCH", why);
        std::cerr << fmt::format(
            "autograder grade: --queue-timeout: gave up waiting; {} submissions are INTERRUPTED in the summary (jobs "
            "being graded may still be graded; their results are dropped)\n",
            outcome.unanswered.size());
    }
    if (!write_batch_summaries(o, plan.prefix, rows)) {
        std::cerr << "autograder grade: cannot write the summary " << plan.prefix << ".csv/.jsonl\n";
        return kPipelineFailed;
    }
    print_batch_statistics(o, plan.prefix, plan.results_dir, rows, outcome.elapsed_s, outcome.worker_slots);
    return outcome.end == QueueBatchOutcome::End::finished ? kGraded : kPipelineFailed;
}

// The workers make the pipeline from the configuration document alone (queue::PipelineCache),
// with no assignment folder: what needs files of it, or writes files on the grading host, cannot
// be graded there. "" when the configuration can go to the workers.
std::string queue_refusal(const nlohmann::json& document, const Pipeline& here, PipelineOptions options) {
    for (const auto& exporter : here.config().exporters)
        if (exporter.kind == ExporterConfig::Kind::file)
            return "the configuration exports to a file, which the workers would write on their own machines; "
                   "grade it without --queue, or export with a webhook or redis exporter";
    // A folder no one can make: every file the configuration names is missing there, as on a worker.
    const std::string nowhere = "/proc/self/autograder-workers-have-no-assignment-folder";
    options.assignment_directory = nowhere;
    try {
        Pipeline::create(document, std::move(options));
    } catch (const ConfigError& e) {
        std::string refusal =
            "the configuration needs files of its assignment folder (assets, test_files, support_files, "
            "checker_files), which the workers do not have; grade it without --queue. It needs:";
        for (const auto& issue : e.issues()) {
            std::string message = issue.message;
            if (auto at = message.find(" (" + nowhere + ")"); at != std::string::npos)
                message.erase(at, nowhere.size() + 3);
            refusal += "\n  " + issue.path + ": " + message;
        }
        return refusal;
    }
    return {};
}

int grade_through_queue(const GradeOptions& o) {
    if (o.batch_dir.empty()) {
        std::cerr << "autograder grade: --queue grades a batch: give --batch DIR\n";
        return kUsage;
    }
    if (o.config_path.empty()) {
        std::cerr << "autograder grade: --queue needs --config CONFIG.json (the document the workers are sent), "
                     "not --template/--criteria\n";
        return kUsage;
    }
    if (o.jobs > 0) {
        std::cerr << "autograder grade: --jobs does not apply with --queue: each worker's --concurrency decides how "
                     "many submissions are graded at once\n";
        return kUsage;
    }
    QueueBatchOptions queue_options;
    queue_options.names.prefix = o.queue_prefix;
    if (o.queue_timeout_s > 0)
        queue_options.idle_timeout = std::chrono::milliseconds(static_cast<int64_t>(o.queue_timeout_s * 1000));
    try {
        queue_options.address = queue::parse_redis_url(o.queue_url);
    } catch (const std::invalid_argument& e) {
        std::cerr << "autograder grade: --queue: " << e.what() << "\n";
        return kUsage;
    }
    StopSignals signals;  // before the sandbox pool's threads start
    nlohmann::json configuration;
    {
        // Checked here as a local batch would check it, then as the workers will make it. No
        // sandbox is made: the pool warms no language.
        PipelineOptions options;
        options.pool = std::make_shared<SandboxPool>();
        try {
            configuration = read_json_file(o.config_path, "configuration");
        } catch (const std::exception& e) {
            std::cerr << "autograder grade: " << e.what() << "\n";
            return kUsage;
        }
        auto pipeline = reported_pipeline(o, options);
        if (!pipeline) return kUsage;
        if (auto refusal = queue_refusal(configuration, *pipeline, options); !refusal.empty()) {
            std::cerr << "autograder grade: --queue: " << refusal << "\n";
            return kUsage;
        }
    }
    try {
        check_queue_reachable(queue_options.address);
    } catch (const queue::RedisError& e) {
        std::cerr << "autograder grade: --queue: cannot reach Redis at " << queue_options.address.to_string() << ": "
                  << e.what() << "\n";
        return kUsage;
    }
    return grade_batch_through_queue(o, configuration, queue_options, signals);
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
    if (!o.queue_url.empty()) return grade_through_queue(o);
    PipelineOptions options;
    if (!o.batch_dir.empty()) {
        int jobs = o.jobs > 0 ? o.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
        SandboxPoolOptions pool;
        pool.default_size = std::min(jobs + 1, 16);
        pool.max_total = 2 * jobs + 2;
        options.pool = std::make_shared<SandboxPool>(pool);
    }
    auto pipeline = reported_pipeline(o, std::move(options));
    if (!pipeline) return kUsage;
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
    command->add_option("--jobs,-j", o->jobs, "Batch: submissions graded at once (default: cores; not with --queue)")
        ->check(CLI::Range(1, 256));
    command->add_option("--queue", o->queue_url,
                        "Batch: grade through `autograder worker` processes on this Redis (redis://host[:port][/db]) "
                        "instead of here; same progress bar, summaries and statistics (docs/scale-out.md)");
    command
        ->add_option("--queue-prefix", o->queue_prefix,
                     "With --queue: prefix of the queue's keys (the workers' --prefix)")
        ->capture_default_str();
    command
        ->add_option("--queue-timeout", o->queue_timeout_s,
                     "With --queue: give up when no result came for SECONDS (the students left are INTERRUPTED, "
                     "exit 1); default: wait for ever")
        ->check(CLI::Range(0.1, 31536000.0));
    command->add_option("SUBMISSION", o->submission, "A submission folder, or its files");
    add_report_output_options(*command, o->report);
    command->footer(
        "Exit status: 0 graded, 1 the pipeline failed (e.g. a pre-flight check), 2 usage or configuration error.\n"
        "Examples:\n  autograder grade --config examples/assignments/python-calculator/config.json "
        "examples/assignments/python-calculator/submissions/partial\n"
        "  autograder grade --config config.json --batch submissions/ --jobs 4\n"
        "  autograder grade --config config.json --batch submissions/ --queue redis://10.0.0.5:6379");
    return [o] { return grade(*o); };
}

}  // namespace autograder::cli
