// JUnit XML in the shape Jenkins, GitLab and GitHub read: <testsuites> of one <testsuite> per
// category, a <testcase> per test, <failure> when the test scored below 100 and <error> when the
// grading itself stopped (a missing file, a compile error).
#include <fmt/format.h>

#include "autograder/export.hpp"
#include "formats/graded_tests.hpp"

namespace autograder {
namespace {

// Text and attribute values: XML's five entities, and the characters XML 1.0 forbids (control
// characters other than tab, newline, carriage return) as U+FFFD, so program output never makes
// the document unreadable.
std::string xml_escaped(std::string_view text) {
    std::string escaped;
    escaped.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                escaped += "&amp;";
                break;
            case '<':
                escaped += "&lt;";
                break;
            case '>':
                escaped += "&gt;";
                break;
            case '"':
                escaped += "&quot;";
                break;
            case '\'':
                escaped += "&apos;";
                break;
            default:
                if ((static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == '\x7f')
                    escaped += "\xEF\xBF\xBD";
                else
                    escaped += c;
        }
    }
    return escaped;
}

std::string seconds(double milliseconds) {
    return fmt::format("{:.3f}", milliseconds / 1000);
}

struct Suite {
    std::string name;
    std::vector<const formats::GradedTest*> tests;
};

}  // namespace

std::string to_junit_xml(const nlohmann::json& result) {
    const auto graded = formats::read_graded_result(result);
    std::vector<Suite> suites;
    for (const auto& test : graded.tests) {
        if (suites.empty() || suites.back().name != test.category) suites.push_back({test.category, {}});
        suites.back().tests.push_back(&test);
    }
    std::size_t failures = 0;
    for (const auto& test : graded.tests) failures += test.score < 100;
    const bool stopped = graded.status != "SUCCESS";
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    xml += fmt::format("<testsuites name=\"autograder\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{}\">\n",
                       graded.tests.size() + (stopped ? 1 : 0), failures, stopped ? 1 : 0,
                       seconds(graded.execution_time_ms));
    for (const auto& suite : suites) {
        std::size_t suite_failures = 0;
        double suite_ms = 0;
        for (const auto* test : suite.tests) {
            suite_failures += test->score < 100;
            suite_ms += test->wall_ms.value_or(0);
        }
        xml += fmt::format(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" time=\"{}\">\n",
            xml_escaped(suite.name), suite.tests.size(), suite_failures, seconds(suite_ms));
        for (const auto* test : suite.tests) {
            std::string classname = test->category;
            std::string name;
            for (const auto& subject : test->subject_path) {
                classname += "." + subject;
                name += subject + " / ";
            }
            name += test->name;
            xml += fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"{}\"", xml_escaped(name),
                               xml_escaped(classname), seconds(test->wall_ms.value_or(0)));
            if (test->score >= 100) {
                xml += "/>\n";
                continue;
            }
            // The message says what the shortfall cost; the text is the test's report.
            xml += fmt::format(
                ">\n      <failure message=\"scored {:.2f} / 100 ({:+.2f} points)\" type=\"score\">{}</failure>\n"
                "    </testcase>\n",
                test->score, formats::test_points(*test) - formats::test_max_points(*test), xml_escaped(test->report));
        }
        xml += "  </testsuite>\n";
    }
    if (stopped) {
        // The grading did not reach (or finish) its tests: one errored case carries the student's report.
        const std::string step = graded.failed_at_step.value_or("pipeline");
        xml += "  <testsuite name=\"pipeline\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0.000\">\n";
        xml += fmt::format(
            "    <testcase name=\"{}\" classname=\"pipeline\" time=\"0.000\">\n      <error message=\"{}\" "
            "type=\"{}\">{}</error>\n    </testcase>\n",
            xml_escaped(step), xml_escaped(graded.failure_message), xml_escaped(graded.status),
            xml_escaped(graded.feedback.empty() ? graded.failure_message : graded.feedback));
        xml += "  </testsuite>\n";
    }
    xml += "</testsuites>\n";
    return xml;
}

}  // namespace autograder
