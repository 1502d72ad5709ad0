// The default Markdown report, in both locales.
#include <sstream>

#include "autograder/feedback.hpp"
#include "criteria/criteria_test_support.hpp"

using nlohmann::json;

namespace {

// Base: Sum (weight 3, 0 points) and Runs (weight 1, 100); penalty (20): No eval at 100;
// bonus (10): Extra at 70.
// base = (0*75 + 100*25) / 100 = 25; final = 25 + 70/100*10 - 0 = 32.
struct Graded {
    autograder::ResultTree result;
    autograder::Focus focus;
};

Graded graded_sample(const std::string& sum_report = "expected 3\ngot 4") {
    json sum = {{"name", "Sum"},     {"type", "expect_output"}, {"weight", 3},
                {"file", "main.py"}, {"inputs", {"1", "2"}},    {"expected_output", "3"}};
    json runs = {{"name", "Runs"}, {"type", "dont_fail"}, {"weight", 1}};
    json criteria = {{"base", {{"tests", {runs, sum}}}},
                     {"penalty", {{"weight", 20}, {"tests", {{{"name", "No eval"}}}}}},
                     {"bonus", {{"weight", 10}, {"tests", {{{"name", "Extra"}}}}}}};
    auto tree = grading_test::tree_from(criteria);
    // Tree order: Runs, Sum, then bonus Extra, then penalty No eval.
    std::vector<autograder::TestOutcome> outcomes{{100, "ok", {}}, {0, sum_report, {}}, {70, "", {}}, {100, "", {}}};
    auto result = tree.grade(outcomes);
    auto focus = autograder::compute_focus(result);
    return {std::move(result), std::move(focus)};
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Lines starting a Markdown heading outside fenced code blocks (a small CommonMark fence scanner:
// a block opens with 3+ backticks and closes with a line of at least as many backticks).
std::vector<std::string> headings_outside_fences(const std::string& markdown) {
    std::vector<std::string> headings;
    std::istringstream lines(markdown);
    std::string line;
    std::size_t open_fence = 0;
    while (std::getline(lines, line)) {
        const std::size_t backticks =
            line.find_first_not_of('`') == std::string::npos ? line.size() : line.find_first_not_of('`');
        if (open_fence == 0) {
            if (backticks >= 3)
                open_fence = backticks;
            else if (!line.empty() && line[0] == '#')
                headings.push_back(line);
        } else if (backticks >= open_fence && line.find_first_not_of('`') == std::string::npos) {
            open_fence = 0;
        }
    }
    return headings;
}

}  // namespace

TEST_CASE("feedback en: default report layout") {
    auto [result, focus] = graded_sample();
    const auto report = autograder::render_default_report(result, focus, {}, autograder::Locale::en);
    CHECK(report.rfind("# Grading report\n", 0) == 0);
    CHECK(contains(report, "total: 4 · passed: 2 · failed: 2"));
    CHECK(contains(report, "### ❌ Sum"));
    CHECK(contains(report, "- **File:** `main.py`"));
    CHECK(contains(report, "- **Score:** 🔴 0.00 / 100"));
    CHECK(contains(report, "`expected_output` = `3`"));
    CHECK(contains(report, "`inputs` = `[\"1\",\"2\"]`"));
    CHECK(contains(report, "```text\nexpected 3\ngot 4\n```\n"));
    // Passed tests are hidden by default; the passing penalty category says so.
    CHECK_FALSE(contains(report, "Runs"));
    CHECK(contains(report, "Every test in this category passed."));
    CHECK(contains(report, "### ❌ Extra"));
    CHECK(contains(report, "- **File:** all submitted files"));
    CHECK(contains(report, "🟡 70.00 / 100"));
    // 32 = 25 + 7, written with two decimals.
    CHECK(contains(report, "\n> **32.00 / 100**\n"));

    // Categories in the order base, penalty, bonus, then the final score.
    const auto base = report.find("## Requirements");
    const auto penalty = report.find("## Penalties");
    const auto bonus = report.find("## Bonus");
    const auto final_score = report.find("> **32.00");
    REQUIRE(base != std::string::npos);
    REQUIRE(penalty != std::string::npos);
    REQUIRE(bonus != std::string::npos);
    CHECK(base < penalty);
    CHECK(penalty < bonus);
    CHECK(bonus < final_score);
}

TEST_CASE("feedback pt_br: the same report in Brazilian Portuguese") {
    auto [result, focus] = graded_sample();
    const auto report = autograder::render_default_report(result, focus, {}, autograder::Locale::pt_br);
    CHECK(report.rfind("# Relatório de avaliação\n", 0) == 0);
    CHECK(contains(report, "aprovados: 2"));
    CHECK(contains(report, "reprovados: 2"));
    CHECK(contains(report, "## Penalidades"));
    CHECK(contains(report, "- **Arquivo:** `main.py`"));
    CHECK(contains(report, "- **Nota:** 🔴 0.00 / 100"));
    CHECK(contains(report, "## Nota final"));
    CHECK(contains(report, "\n> **32.00 / 100**\n"));
    CHECK(contains(report, "Todos os testes desta categoria foram aprovados."));
    CHECK_FALSE(contains(report, "Grading report"));
}

TEST_CASE("feedback: passed tests shown in focus order when asked") {
    auto [result, focus] = graded_sample();
    autograder::FeedbackConfig config;
    config.general.show_passed_tests = true;
    const auto report = autograder::render_default_report(result, focus, config);
    // Sum costs (100-0)*0.75 = 75 points, Runs costs 0: Sum first although Runs comes first in
    // the tree.
    const auto sum = report.find("### ❌ Sum");
    const auto runs = report.find("### ✅ Runs");
    REQUIRE(sum != std::string::npos);
    REQUIRE(runs != std::string::npos);
    CHECK(sum < runs);
    CHECK(contains(report, "### ✅ No eval"));
    CHECK(contains(report, "🟢 100.00 / 100"));
}

TEST_CASE("feedback: show_score, add_report_summary, title and category headers") {
    auto [result, focus] = graded_sample();
    autograder::FeedbackConfig config;
    config.general.show_score = false;
    config.general.add_report_summary = false;
    config.general.report_title = "Lab 1";
    config.default_report.base_header = "Core";
    config.default_report.penalty_header = "Good habits";
    const auto report = autograder::render_default_report(result, focus, config);
    CHECK(report.rfind("# Lab 1\n", 0) == 0);
    CHECK_FALSE(contains(report, "/ 100"));
    CHECK_FALSE(contains(report, "total:"));
    CHECK(contains(report, "## Core\n"));
    CHECK(contains(report, "## Good habits\n"));
    CHECK(contains(report, "## Bonus\n"));  // not configured: the default stays
}

TEST_CASE("feedback: score colours at the thresholds") {
    autograder::CriteriaConfig criteria;
    for (const char* name : {"a", "b", "c", "d"})
        criteria.base.tests.push_back({name, "t", std::nullopt, 100, autograder::Visibility::visible, {}, {}});
    auto tree = autograder::CriteriaTree::build(criteria);
    auto result =
        tree.grade(std::vector<autograder::TestOutcome>{{80, "", {}}, {79.99, "", {}}, {60, "", {}}, {59.99, "", {}}});
    const auto report = autograder::render_default_report(result, autograder::compute_focus(result), {});
    CHECK(contains(report, "🟢 80.00 / 100"));
    CHECK(contains(report, "🟡 79.99 / 100"));
    CHECK(contains(report, "🟡 60.00 / 100"));
    CHECK(contains(report, "🔴 59.99 / 100"));
}

TEST_CASE("feedback: learning resources are listed for failed tests only") {
    auto [result, focus] = graded_sample();
    autograder::FeedbackConfig config;
    config.general.online_content = {{"https://docs.python.org/3/tutorial/inputoutput.html", "Python I/O", {"Sum"}},
                                     {"https://example.org/never", "Never shown", {"Runs"}},
                                     {"https://example.org/by type", "By key", {"expect_output"}}};
    const auto report = autograder::render_default_report(result, focus, config);
    CHECK(contains(report, "## Learning resources"));
    CHECK(contains(report,
                   "- [Python I/O](<https://docs.python.org/3/tutorial/inputoutput.html>)"
                   " — related to: Sum"));
    CHECK_FALSE(contains(report, "Never shown"));
    // Linked by the test-function key; the space would end a link destination, so it is encoded.
    CHECK(contains(report, "[By key](<https://example.org/by%20type>)"));

    config.general.online_content.erase(config.general.online_content.begin());
    config.general.online_content.pop_back();
    CHECK_FALSE(contains(autograder::render_default_report(result, focus, config), "Learning resources"));
}

TEST_CASE("feedback: untrusted report text cannot break out of its fence") {
    const std::string hostile = "```\n# Not a heading\n````\n## Still not\n<script>alert(1)</script>\r\n\x1b[31mred";
    auto [result, focus] = graded_sample(hostile);
    const auto report = autograder::render_default_report(result, focus, {});
    // The longest backtick run inside is 4, so the fence must be 5 backticks long.
    CHECK(contains(report, "`````text\n```\n# Not a heading\n````\n## Still not\n"));
    // Outside fences there are only our headings: title, base, Sum, penalty, bonus, Extra, final.
    auto headings = headings_outside_fences(report);
    CHECK(headings == std::vector<std::string>{"# Grading report", "## Requirements", "### ❌ Sum", "## Penalties",
                                               "## Bonus", "### ❌ Extra", "## Final score"});
    // CRLF became LF and the escape character became U+FFFD.
    CHECK(contains(report, "</script>\n\xEF\xBF\xBD[31mred\n`````\n"));
}

TEST_CASE("feedback: teacher text and parameters are kept inline") {
    json criteria = {{"base",
                      {{"tests",
                        {{{"name", "Uses <b> and *stars*\n# newline"},
                          {"type", "has_tag"},
                          {"tag", "a`b"},
                          {"snippet", "``x``"}}}}}}};
    auto tree = grading_test::tree_from(criteria);
    auto result = tree.grade(std::vector<autograder::TestOutcome>{{0, "", {}}});
    const auto report = autograder::render_default_report(result, autograder::compute_focus(result), {});
    CHECK(contains(report, "### ❌ Uses \\<b\\> and \\*stars\\* \\# newline\n"));
    // A span holding one backtick uses two as its delimiter; one holding runs of two uses three
    // and pads with spaces because the content starts and ends with a backtick.
    CHECK(contains(report, "`tag` = ``a`b``"));
    CHECK(contains(report, "`snippet` = ``` ``x`` ```"));
}

TEST_CASE("feedback: locale names") {
    CHECK(autograder::locale_from_string("en") == autograder::Locale::en);
    CHECK(autograder::locale_from_string("pt_br") == autograder::Locale::pt_br);
    CHECK(autograder::locale_from_string("pt-BR") == autograder::Locale::pt_br);
    CHECK_FALSE(autograder::locale_from_string("fr").has_value());
}

TEST_CASE("feedback: category subtotals and each test's points out of its real maximum") {
    auto [result, focus] = graded_sample();
    const auto report = autograder::render_default_report(result, focus, {}, autograder::Locale::en);
    INFO(report);
    // Base 25; the bonus adds 7 of its 10 points; the penalty, passed, takes 0 of its 20.
    CHECK(contains(report, "## Requirements\n\n**Category score:** 25.00 / 100\n"));
    CHECK(contains(report, "**Category score:** 70.00 / 100 → +7.00 of 10.00 points"));
    CHECK(contains(report, "**Category score:** 100.00 / 100 → −0.00 of 20.00 points"));
    // Sum weighs 3 of 4 in base: it is worth 75 points of the final score, and earned none.
    CHECK(contains(report, "- **Score:** 🔴 0.00 / 100 · 0.00 of 75.00 points"));
    // Extra (bonus, 10): 70% of its 10 points.
    CHECK(contains(report, "🟡 70.00 / 100 · 7.00 of 10.00 points"));
    const auto portuguese = autograder::render_default_report(result, focus, {}, autograder::Locale::pt_br);
    CHECK(contains(portuguese, "**Nota da categoria:** 25.00 / 100"));
    CHECK(contains(portuguese, "0.00 de 75.00 pontos"));
}

TEST_CASE("feedback: multi-line parameters keep their lines, internal values stay hidden") {
    json checked = {{"name", "Checked"},         {"type", "expect_output"},   {"compare", "checker"},
                    {"checker", "python3 c.py"}, {"checker_files", {"c.py"}}, {"expected_output", "secret answer"},
                    {"program_command", "CMD"}};
    json lines = {
        {"name", "Lines"}, {"type", "expect_output"}, {"expected_output", "first\nsecond\nthird"}, {"inputs", ""}};
    auto tree = grading_test::tree_from({{"base", {{"tests", {checked, lines}}}}});
    auto result = tree.grade(std::vector<autograder::TestOutcome>{{0, "rejected", {}}, {0, "differs", {}}});
    auto focus = autograder::compute_focus(result);
    const auto report = autograder::render_default_report(result, focus, {}, autograder::Locale::en);
    INFO(report);
    CHECK_FALSE(contains(report, "secret answer"));
    CHECK_FALSE(contains(report, "python3 c.py"));
    CHECK_FALSE(contains(report, "c.py"));
    CHECK_FALSE(contains(report, "CMD"));
    CHECK(contains(report, "`compare` = `checker`"));
    CHECK(contains(report, "`expected_output`:\n\n```text\nfirst\nsecond\nthird\n```\n"));
    CHECK(contains(report, "`inputs` = `\"\"`"));  // an empty value reads as "", not as broken Markdown
}
