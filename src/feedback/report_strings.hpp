// The words of the default report, per locale: a table, so another language is more data.
#pragma once

#include <string_view>

#include "autograder/feedback.hpp"

namespace autograder::feedback_detail {

struct ReportStrings {
    std::string_view title;
    std::string_view summary_label;
    std::string_view total;
    std::string_view passed;
    std::string_view failed;
    std::string_view base_header;
    std::string_view bonus_header;
    std::string_view penalty_header;
    std::string_view file;
    std::string_view all_files;
    std::string_view score;
    std::string_view parameters;
    std::string_view all_passed;
    std::string_view final_score;
    std::string_view learning_resources;
    std::string_view related_to;
    std::string_view truncated;
    // fmt patterns: a test's points of the final score, a category's subtotal.
    std::string_view test_points;     // "{earned} of {maximum} points"
    std::string_view penalty_points;  // "{deducted} points deducted (at most {maximum})"
    std::string_view category_score;  // "Category score"
    std::string_view bonus_total;     // "+{earned} of {weight} points"
    std::string_view penalty_total;   // "−{deducted} of {weight} points"
    std::string_view hidden;  // tests left out of a student's report
};

const ReportStrings& report_strings(Locale locale);

}  // namespace autograder::feedback_detail
