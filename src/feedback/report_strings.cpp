#include "feedback/report_strings.hpp"

#include "feedback/message_table.hpp"

namespace autograder::feedback_detail {

namespace {

constexpr ReportStrings kEnglish{
    .title = "Grading report",
    .summary_label = "Summary",
    .total = "total",
    .passed = "passed",
    .failed = "failed",
    .base_header = "Requirements",
    .bonus_header = "Bonus",
    .penalty_header = "Penalties",
    .file = "File",
    .all_files = "all submitted files",
    .score = "Score",
    .parameters = "Parameters",
    .all_passed = "Every test in this category passed.",
    .final_score = "Final score",
    .learning_resources = "Learning resources",
    .related_to = "related to",
    .truncated = "(output truncated)",
    .test_points = "{} of {} points",
    .penalty_points = "{} points deducted (at most {})",
    .category_score = "Category score",
    .bonus_total = "+{} of {} points",
    .penalty_total = "−{} of {} points",
    .hidden = "hidden (they count in the score)",
};

// Another locale's words: each English word looked up in the locale's message table
// (src/feedback/locales/<name>.json), English where it has none.
ReportStrings translated(Locale locale) {
    ReportStrings words = kEnglish;
    for (std::string_view* field : {&words.title,          &words.summary_label,  &words.total,
                                    &words.passed,         &words.failed,         &words.base_header,
                                    &words.bonus_header,   &words.penalty_header, &words.file,
                                    &words.all_files,      &words.score,          &words.parameters,
                                    &words.all_passed,     &words.final_score,    &words.learning_resources,
                                    &words.related_to,     &words.truncated,      &words.test_points,
                                    &words.penalty_points, &words.category_score, &words.bonus_total,
                                    &words.penalty_total,  &words.hidden})
        *field = translated_pattern(locale, *field);
    return words;
}

}  // namespace

const ReportStrings& report_strings(Locale locale) {
    static const ReportStrings kBrazilianPortuguese = translated(Locale::pt_br);
    return locale == Locale::pt_br ? kBrazilianPortuguese : kEnglish;
}

}  // namespace autograder::feedback_detail
