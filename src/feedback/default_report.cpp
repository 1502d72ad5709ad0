// The default Markdown report (docs/configuration.md, "Feedback").
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "autograder/feedback.hpp"
#include "feedback/markdown_text.hpp"
#include "feedback/report_strings.hpp"
#include "text/utf8.hpp"

namespace autograder {

namespace {

using feedback_detail::escaped_inline;
using feedback_detail::inline_code;
using feedback_detail::ReportStrings;

// A report longer than this is cut: feedback is for reading, the full text stays in the result.
constexpr std::size_t kMaxReportBytes = 16 * 1024;
// Parameter values (expected outputs, input lists) are shown in short.
constexpr std::size_t kMaxParameterBytes = 120;

bool passed(const TestResult& test) {
    return test.score >= 100;
}

std::string_view score_colour(double score) {
    if (score >= 80) return "🟢";
    if (score >= 60) return "🟡";
    return "🔴";
}

// A multi-line value (an expected output) is shown as a block of its own, up to this size.
constexpr std::size_t kMaxBlockParameterBytes = 2048;

std::string parameter_text(const nlohmann::json& value) {
    std::string text = value.is_string() && !value.get_ref<const std::string&>().empty()
                           ? value.get<std::string>()
                           : value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (text.size() > kMaxParameterBytes)
        text = std::string(text::utf8_prefix(text, kMaxParameterBytes)) + "…";
    return text;
}

bool is_multi_line(const nlohmann::json& value) {
    return value.is_string() && value.get_ref<const std::string&>().find('\n') != std::string::npos;
}

// What a student should not see among a test's parameters: the instructor's checker, a default
// that says nothing ("CMD"), and the expected output that only the checker reads.
bool is_internal(const std::string& name, const nlohmann::json& value, const nlohmann::json& parameters) {
    if (name == "checker" || name == "checker_files") return true;
    if (name == "program_command" && value == "CMD") return true;
    if (name == "expected_output" && parameters.contains("compare") && parameters["compare"] == "checker") return true;
    return false;
}

std::string points(double value) {
    return fmt::format("{:.2f}", rounded_score(value));
}

class ReportWriter {
public:
    ReportWriter(const ResultTree& result, const Focus& focus, const FeedbackConfig& config, Locale locale,
                 Audience audience)
        : result_(result), focus_(focus), config_(config), words_(feedback_detail::report_strings(locale)) {
        // What the audience may not see is left out here, before anything is written.
        for (auto& located : locate_tests(result)) {
            if (shows(audience, located.test->visibility)) {
                ++(located.test->score >= 100 ? shown_.passed : shown_.failed);
                ++shown_.total;
                located_.push_back(std::move(located));
            } else {
                ++shown_.hidden;
            }
        }
        for (const auto& located : located_) by_path_.emplace(located.path, &located);
    }

    std::string write() {
        const auto& general = config_.general;
        out_ += fmt::format("# {}\n\n", escaped_inline(general.report_title.value_or(std::string(words_.title))));
        if (general.add_report_summary) {
            out_ += fmt::format("**{}** — {}: {} · {}: {} · {}: {}", words_.summary_label, words_.total, shown_.total,
                                words_.passed, shown_.passed, words_.failed, shown_.failed);
            if (shown_.hidden > 0) out_ += fmt::format(" · {}: {}", words_.hidden, shown_.hidden);
            out_ += "\n\n";
        }
        const auto& headers = config_.default_report;
        write_category(Category::base, headers.base_header, words_.base_header);
        write_category(Category::penalty, headers.penalty_header, words_.penalty_header);
        write_category(Category::bonus, headers.bonus_header, words_.bonus_header);
        if (general.show_score)
            out_ +=
                fmt::format("## {}\n\n> **{:.2f} / 100**\n\n", words_.final_score, rounded_score(result_.final_score));
        write_learning_resources();
        return std::move(out_);
    }

private:
    void write_category(Category category, const std::optional<std::string>& configured_header,
                        std::string_view default_header) {
        if (result_.category(category) == nullptr) return;
        out_ += fmt::format("## {}\n\n",
                            configured_header ? escaped_inline(*configured_header) : std::string(default_header));
        if (config_.general.show_score) write_subtotal(category, *result_.category(category));
        bool any_shown = false;
        for (const auto& entry : focus_.category(category)) {
            auto found = by_path_.find(entry.path);
            if (found == by_path_.end()) continue;
            const TestResult& test = *found->second->test;
            if (passed(test) && !config_.general.show_passed_tests) continue;
            write_test(test, *found->second);
            any_shown = true;
        }
        if (!any_shown) out_ += fmt::format("{}\n\n", words_.all_passed);
    }

    // "Category score: 75.00 / 100", and for bonus and penalty what it adds to or takes from the
    // final score, so a student sees what the penalty cost.
    void write_subtotal(Category category, const NodeResult& node) {
        std::string line = fmt::format("**{}:** {:.2f} / 100", words_.category_score, rounded_score(node.score));
        if (category == Category::bonus)
            line += " → " + fmt::format(fmt::runtime(words_.bonus_total), points(node.score / 100 * node.weight),
                                        points(node.weight));
        if (category == Category::penalty)
            line += " → " + fmt::format(fmt::runtime(words_.penalty_total),
                                        points((100 - node.score) / 100 * node.weight), points(node.weight));
        out_ += line + "\n\n";
    }

    void write_test(const TestResult& test, const LocatedTest& located) {
        out_ += fmt::format("### {} {}\n\n", passed(test) ? "✅" : "❌", escaped_inline(test.name));
        out_ += fmt::format("- **{}:** {}\n", words_.file,
                            test.file_target ? inline_code(*test.file_target) : std::string(words_.all_files));
        if (config_.general.show_score) {
            // Its points out of what it is really worth in the final score (its effective weight).
            double maximum = 100 * located.effective_weight;
            std::string worth =
                located.category == Category::penalty
                    ? fmt::format(fmt::runtime(words_.penalty_points),
                                  points((100 - test.score) * located.effective_weight), points(maximum))
                    : fmt::format(fmt::runtime(words_.test_points), points(test.score * located.effective_weight),
                                  points(maximum));
            out_ += fmt::format("- **{}:** {} {:.2f} / 100 · {}\n", words_.score, score_colour(test.score),
                                rounded_score(test.score), worth);
        }
        std::string listed, blocks;
        for (const auto& [name, value] : test.parameters.items()) {
            if (is_internal(name, value, test.parameters)) continue;
            if (is_multi_line(value)) {
                std::string text = value.get<std::string>();
                bool cut = text.size() > kMaxBlockParameterBytes;
                if (cut) text = std::string(text::utf8_prefix(text, kMaxBlockParameterBytes));
                blocks += fmt::format("{}:\n\n", inline_code(name)) + feedback_detail::fenced_block(text) +
                          (cut ? fmt::format("\n*{}*\n", words_.truncated) : std::string()) + "\n";
                continue;
            }
            listed += fmt::format("{}{} = {}", listed.empty() ? "" : ", ", inline_code(name),
                                  inline_code(parameter_text(value)));
        }
        if (!listed.empty()) out_ += fmt::format("- **{}:** {}\n", words_.parameters, listed);
        if (listed.empty() && !blocks.empty()) out_ += fmt::format("- **{}:**\n", words_.parameters);
        out_ += '\n';
        out_ += blocks;
        if (!test.report.empty()) {
            std::string report(text::utf8_prefix(test.report, kMaxReportBytes));
            const bool cut = report.size() < test.report.size();
            out_ += feedback_detail::fenced_block(report);
            if (cut) out_ += fmt::format("\n*{}*\n", words_.truncated);
            out_ += '\n';
        }
    }

    void write_learning_resources() {
        std::string items;
        for (const auto& content : config_.general.online_content) {
            std::vector<std::string> failed_names;
            for (const auto& located : located_) {
                const TestResult& test = *located.test;
                if (passed(test)) continue;
                const bool linked =
                    std::any_of(content.linked_tests.begin(), content.linked_tests.end(),
                                [&](const std::string& link) { return link == test.name || link == test.type; });
                if (linked && std::find(failed_names.begin(), failed_names.end(), test.name) == failed_names.end())
                    failed_names.push_back(test.name);
            }
            if (failed_names.empty()) continue;
            std::string related;
            for (const auto& name : failed_names) related += (related.empty() ? "" : ", ") + escaped_inline(name);
            const std::string& label = content.description.empty() ? content.url : content.description;
            items += fmt::format("- [{}]({}) — {}: {}\n", escaped_inline(label),
                                 feedback_detail::link_destination(content.url), words_.related_to, related);
        }
        if (!items.empty()) out_ += fmt::format("## {}\n\n{}\n", words_.learning_resources, items);
    }

    const ResultTree& result_;
    const Focus& focus_;
    const FeedbackConfig& config_;
    const ReportStrings& words_;
    ResultSummary shown_;
    std::vector<LocatedTest> located_;  // the tests the audience may see
    std::map<std::string, const LocatedTest*, std::less<>> by_path_;
    std::string out_;
};

}  // namespace

std::optional<Locale> locale_from_string(std::string_view name) {
    if (name == "en" || name == "en_US" || name == "en-US") return Locale::en;
    if (name == "pt_br" || name == "pt_BR" || name == "pt-BR" || name == "pt-br" || name == "pt") return Locale::pt_br;
    return std::nullopt;
}

std::string render_default_report(const ResultTree& result, const Focus& focus, const FeedbackConfig& config,
                                  Locale locale, Audience audience) {
    return ReportWriter(result, focus, config, locale, audience).write();
}

}  // namespace autograder
