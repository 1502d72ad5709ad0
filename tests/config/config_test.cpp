// Parsing and validation of the grading configuration: values read, and problems reported with the
// JSON path of the offending node.
#include <cmath>
#include <limits>
#include <string>

#include "criteria/criteria_test_support.hpp"

using autograder::ConfigError;
using autograder::ConfigIssue;
using autograder::parse_grading_config;
using grading_test::test;
using nlohmann::json;

namespace {

json document_with(const json& criteria) {
    return {{"template_name", "input_output"}, {"criteria_config", criteria}};
}

// The issues of the ConfigError the parse throws (empty when it does not throw).
std::vector<ConfigIssue> errors_of(const json& document, const autograder::TestCatalog& catalog = {}) {
    try {
        (void)parse_grading_config(document, catalog);
    } catch (const ConfigError& error) {
        return error.issues();
    }
    return {};
}

bool has_error_at(const std::vector<ConfigIssue>& issues, const std::string& path) {
    for (const auto& issue : issues)
        if (issue.path == path) return true;
    return false;
}

std::string paths_of(const std::vector<ConfigIssue>& issues) {
    std::string text;
    for (const auto& issue : issues) text += issue.path + " (" + issue.message + ")\n";
    return text;
}

autograder::TestCatalog sample_catalog() {
    return autograder::TestCatalog::from_table({{"input_output", {"expect_output", "dont_fail"}},
                                                {"webdev", {"has_tag", "check_no_inline_styles", "shared_key"}},
                                                {"static_analysis", {"forbidden_import", "shared_key"}}});
}

}  // namespace

TEST_CASE("config: a complete document is read into the structs") {
    json document = {{"template_name", "input_output"},
                     {"languages", {"python", "javascript"}},
                     {"include_feedback", false},
                     {"criteria_config",
                      {{"base",
                        {{"weight", 100},
                         {"subjects_weight", 60},
                         {"subjects", {{{"subject_name", "IO"}, {"weight", 30}, {"tests", {test("sum")}}}}},
                         {"tests", {{{"name", "runs"}, {"type", "dont_fail"}, {"file", "all"}}}}}},
                       {"bonus", {{"weight", 15}, {"tests", {test("extra")}}}}}},
                     {"setup_config",
                      {{"python", {{"required_files", {"main.py"}}, {"setup_commands", json::array()}}},
                       {"node",
                        {{"required_files", "index.js"},
                         {"setup_commands", {"npm ci", {{"name", "Build"}, {"command", "sh -c \"a && b\""}}}}}},
                       {"assets", {{{"source", "data/input.csv"}, {"target", "/tmp/input.csv"}}}}}},
                     {"feedback_config",
                      {{"general", {{"report_title", "Lab 1"}, {"show_passed_tests", true}}},
                       {"default", {{"category_headers", {{"base", "Core"}}}}},
                       {"ai", {{"provide_solutions", "hint"}, {"feedback_tone", "kind"}}}}}};
    auto parsed = parse_grading_config(document, sample_catalog());
    const auto& config = parsed.config;
    CHECK(parsed.warnings.empty());
    CHECK(config.template_names == std::vector<std::string>{"input_output"});
    CHECK(config.languages == std::vector<std::string>{"python", "node"});  // javascript -> node
    CHECK_FALSE(config.include_feedback);

    const auto& base = config.criteria.base;
    CHECK(base.weight == 100);
    CHECK(base.subjects_weight == 60);
    REQUIRE(base.subjects.size() == 1);
    CHECK(base.subjects[0].name == "IO");
    CHECK(base.subjects[0].weight == 30);  // as configured; balancing happens in the tree
    REQUIRE(base.tests.size() == 1);
    CHECK(base.tests[0].type == "dont_fail");
    CHECK_FALSE(base.tests[0].file.has_value());  // "all"
    CHECK(base.tests[0].weight == 100);           // default
    CHECK(base.tests[0].template_name == "input_output");
    REQUIRE(config.criteria.bonus.has_value());
    CHECK(config.criteria.bonus->weight == 15);
    CHECK_FALSE(config.criteria.penalty.has_value());

    const auto& node = config.setup.languages.at("node");
    CHECK(node.required_files == std::vector<std::string>{"index.js"});
    REQUIRE(node.setup_commands.size() == 2);
    CHECK(node.setup_commands[0].name == "npm ci");
    CHECK(node.setup_commands[0].command == "npm ci");
    CHECK(node.setup_commands[1].name == "Build");
    CHECK(node.setup_commands[1].command == "sh -c \"a && b\"");
    REQUIRE(config.setup.assets.size() == 1);
    CHECK(config.setup.assets[0].read_only);  // default

    CHECK(config.feedback.general.report_title == "Lab 1");
    CHECK(config.feedback.general.show_passed_tests);
    CHECK(config.feedback.general.show_score);  // default
    CHECK(config.feedback.default_report.base_header == "Core");
    CHECK(config.feedback.ai.provide_solutions == "hint");
    CHECK(config.feedback.ai.feedback_tone == "kind");
}

TEST_CASE("config: both parameter forms, with a type defaulting to the name") {
    json has_tag = {{"name", "Title"},
                    {"type", "has_tag"},
                    {"tag", "h1"},
                    {"required_count", 1},
                    {"parameters", {{{"name", "extra"}, {"value", {1, 2}}}}}};
    auto parsed = parse_grading_config(
        {{"template_name", "webdev"},
         {"criteria_config", {{"base", {{"tests", {has_tag, {{"name", "check_no_inline_styles"}}}}}}}}},
        sample_catalog());
    const auto& tests = parsed.config.criteria.base.tests;
    REQUIRE(tests.size() == 2);
    const auto& title = tests[0];
    CHECK(title.name == "Title");
    CHECK(title.type == "has_tag");
    REQUIRE(title.parameters.size() == 3);
    CHECK(title.parameters[0].name == "extra");  // list form first
    REQUIRE(title.parameter("tag") != nullptr);
    CHECK(*title.parameter("tag") == "h1");
    CHECK(*title.parameter("required_count") == 1);
    CHECK(*title.parameter("extra") == json{1, 2});
    CHECK(title.parameter("name") == nullptr);  // reserved keys are not parameters
    CHECK(title.parameters_json() == json{{"extra", {1, 2}}, {"required_count", 1}, {"tag", "h1"}});
    CHECK(tests[1].type == "check_no_inline_styles");
    CHECK(tests[1].parameters.empty());
}

TEST_CASE("config: a parameter given in both forms is an error at the flat key") {
    json twice = {{"name", "t"}, {"tag", "h1"}, {"parameters", {{{"name", "tag"}, {"value", "h2"}}}}};
    auto issues = errors_of(document_with({{"base", {{"tests", {twice}}}}}));
    CHECK_MESSAGE(has_error_at(issues, "criteria_config.base.tests[0].tag"), paths_of(issues));
}

TEST_CASE("config: every weight problem is reported, each with its path") {
    json criteria = {{"base",
                      {{"subjects",
                        {{{"subject_name", "A"}, {"weight", 120}, {"tests", {test("a")}}},
                         {{"subject_name", "B"}, {"weight", 10}, {"tests", {test("b", -5)}}}}}}},
                     {"bonus", {{"weight", "ten"}, {"tests", {test("x")}}}},
                     {"penalty", {{"weight", -1}, {"tests", {test("p")}}}}};
    auto issues = errors_of(document_with(criteria));
    CHECK(issues.size() == 4);
    CHECK_MESSAGE(has_error_at(issues, "criteria_config.base.subjects[0].weight"), paths_of(issues));
    CHECK_MESSAGE(has_error_at(issues, "criteria_config.base.subjects[1].tests[0].weight"), paths_of(issues));
    CHECK_MESSAGE(has_error_at(issues, "criteria_config.bonus.weight"), paths_of(issues));
    CHECK_MESSAGE(has_error_at(issues, "criteria_config.penalty.weight"), paths_of(issues));
}

TEST_CASE("config: NaN and infinite weights are rejected") {
    json criteria = {
        {"base", {{"tests", {test("a", std::nan("")), test("b", std::numeric_limits<double>::infinity())}}}}};
    auto issues = errors_of(document_with(criteria));
    CHECK(has_error_at(issues, "criteria_config.base.tests[0].weight"));
    CHECK(has_error_at(issues, "criteria_config.base.tests[1].weight"));
}

TEST_CASE("config: a test weight may exceed 100, a subject weight may not") {
    auto parsed = parse_grading_config(document_with({{"base", {{"tests", {test("a", 250)}}}}}));
    CHECK(parsed.config.criteria.base.tests[0].weight == 250);
}

TEST_CASE("config: subjects_weight rules") {
    json subject = {{"subject_name", "S"}, {"tests", {test("s")}}};
    SUBCASE("required on a node with subjects and tests") {
        auto issues = errors_of(document_with({{"base", {{"subjects", {subject}}, {"tests", {test("t")}}}}}));
        CHECK_MESSAGE(has_error_at(issues, "criteria_config.base"), paths_of(issues));
    }
    SUBCASE("0 is an error there") {
        auto issues = errors_of(
            document_with({{"base", {{"subjects_weight", 0}, {"subjects", {subject}}, {"tests", {test("t")}}}}}));
        CHECK_MESSAGE(has_error_at(issues, "criteria_config.base.subjects_weight"), paths_of(issues));
    }
    SUBCASE("above 100 is an error") {
        auto issues = errors_of(
            document_with({{"base", {{"subjects_weight", 101}, {"subjects", {subject}}, {"tests", {test("t")}}}}}));
        CHECK(has_error_at(issues, "criteria_config.base.subjects_weight"));
    }
    SUBCASE("not needed, and 0 allowed, on a node with only tests") {
        CHECK(errors_of(document_with({{"base", {{"subjects_weight", 0}, {"tests", {test("t")}}}}})).empty());
    }
    SUBCASE("nested mixed subject") {
        json mixed = {{"subject_name", "M"}, {"subjects", {subject}}, {"tests", {test("t")}}};
        auto issues = errors_of(document_with({{"base", {{"subjects", {subject, mixed}}}}}));
        CHECK_MESSAGE(has_error_at(issues, "criteria_config.base.subjects[1]"), paths_of(issues));
    }
}

TEST_CASE("config: malformed nodes") {
    SUBCASE("base is required") {
        auto issues = errors_of(document_with({{"bonus", {{"weight", 5}, {"tests", {test("x")}}}}}));
        CHECK(has_error_at(issues, "criteria_config"));
    }
    SUBCASE("a node needs a child") {
        auto issues =
            errors_of(document_with({{"base", {{"subjects", {{{"subject_name", "Empty"}, {"weight", 10}}}}}}}));
        CHECK_MESSAGE(has_error_at(issues, "criteria_config.base.subjects[0]"), paths_of(issues));
    }
    SUBCASE("an empty list of tests is no child") {
        auto issues = errors_of(document_with({{"base", {{"tests", json::array()}}}}));
        CHECK(has_error_at(issues, "criteria_config.base"));
    }
    SUBCASE("tests must be a list of objects, subjects need a name") {
        auto issues = errors_of(document_with(
            {{"base", {{"tests", {test("ok"), 5}}, {"subjects", {{{"weight", 10}, {"tests", {test("s")}}}}}}}}));
        CHECK(has_error_at(issues, "criteria_config.base.tests[1]"));
        CHECK(has_error_at(issues, "criteria_config.base.subjects[0]"));
    }
    SUBCASE("bonus needs a weight, unknown categories are errors") {
        auto issues = errors_of(document_with(
            {{"base", {{"tests", {test("t")}}}}, {"bonus", {{"tests", {test("x")}}}}, {"bonnus", {{"weight", 5}}}}));
        CHECK(has_error_at(issues, "criteria_config.bonus"));
        CHECK(has_error_at(issues, "criteria_config.bonnus"));
    }
    SUBCASE("a test needs a name or a type") {
        auto issues = errors_of(document_with({{"base", {{"tests", {{{"weight", 10}}}}}}}));
        CHECK(has_error_at(issues, "criteria_config.base.tests[0]"));
    }
    SUBCASE("the document must be an object") {
        auto issues = errors_of(json::array());
        CHECK(has_error_at(issues, "$"));
    }
}

TEST_CASE("config: unknown test functions are reported where the key is") {
    json criteria = {
        {"base",
         {{"tests", {{{"name", "Sum"}, {"type", "expect_outptu"}}, {{"name", "dont_fail"}}, {{"name", "nope"}}}}}}};
    auto issues = errors_of(document_with(criteria), sample_catalog());
    REQUIRE(issues.size() == 2);
    CHECK(issues[0].path == "criteria_config.base.tests[0].type");
    CHECK(issues[0].message.find("expect_outptu") != std::string::npos);
    CHECK(issues[1].path == "criteria_config.base.tests[2].name");
}

TEST_CASE("config: test keys are searched in the templates' order") {
    json criteria = {
        {"base",
         {{"tests", {{{"name", "a"}, {"type", "shared_key"}}, {{"name", "b"}, {"type", "forbidden_import"}}}}}}};
    auto parsed = parse_grading_config({{"template_name", "webdev, static_analysis"}, {"criteria_config", criteria}},
                                       sample_catalog());
    CHECK(parsed.config.template_names == std::vector<std::string>{"webdev", "static_analysis"});
    CHECK(parsed.config.criteria.base.tests[0].template_name == "webdev");
    CHECK(parsed.config.criteria.base.tests[1].template_name == "static_analysis");

    auto reversed = parse_grading_config(
        {{"template_name", {"static_analysis", "webdev"}}, {"criteria_config", criteria}}, sample_catalog());
    CHECK(reversed.config.criteria.base.tests[0].template_name == "static_analysis");
}

TEST_CASE("config: template names") {
    json criteria = {{"base", {{"tests", {test("t")}}}}};
    auto names = [&](const json& template_name) {
        return parse_grading_config({{"template_name", template_name}, {"criteria_config", criteria}})
            .config.template_names;
    };
    CHECK(names("input_output") == std::vector<std::string>{"input_output"});
    CHECK(names("input_output,static_analysis") == std::vector<std::string>{"input_output", "static_analysis"});
    CHECK(names(json{"webdev", "static_analysis"}) == std::vector<std::string>{"webdev", "static_analysis"});

    auto unknown =
        errors_of({{"template_name", {"webdev", "webdeb"}}, {"criteria_config", criteria}}, sample_catalog());
    CHECK_MESSAGE(has_error_at(unknown, "template_name[1]"), paths_of(unknown));
    CHECK(has_error_at(errors_of({{"template_name", "a,,b"}, {"criteria_config", criteria}}), "template_name"));
    CHECK(has_error_at(errors_of({{"criteria_config", criteria}}), "template_name"));
    CHECK(has_error_at(errors_of({{"template_name", 3}, {"criteria_config", criteria}}), "template_name"));
}

TEST_CASE("config: languages") {
    json document = document_with({{"base", {{"tests", {test("t")}}}}});
    document["languages"] = {"java", "ruby", "javascript", "node"};
    auto issues = errors_of(document);
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].path == "languages[1]");

    autograder::TestCatalog with_ruby;
    with_ruby.has_extra_language = [](std::string_view language) { return language == "ruby"; };
    auto parsed = parse_grading_config(document, with_ruby);
    CHECK(parsed.config.languages == std::vector<std::string>{"java", "ruby", "node"});
    REQUIRE(parsed.warnings.size() == 1);  // "node" listed twice (javascript is node)
    CHECK(parsed.warnings[0].path == "languages[3]");
}

TEST_CASE("config: setup problems are located") {
    json document = document_with({{"base", {{"tests", {test("t")}}}}});
    document["setup_config"] = {
        {"pyhton", {{"required_files", {"main.py"}}}},
        {"java", {{"required_files", {"Main.java", ""}}, {"setup_commands", {{{"name", "x"}}}}}},
        {"assets", {{{"source", "../secret"}, {"target", "/tmp/x"}}, {{"target", "/tmp/y"}}}}};
    auto issues = errors_of(document);
    CHECK_MESSAGE(has_error_at(issues, "setup_config.pyhton"), paths_of(issues));
    CHECK_MESSAGE(has_error_at(issues, "setup_config.java.required_files[1]"), paths_of(issues));
    CHECK_MESSAGE(has_error_at(issues, "setup_config.java.setup_commands[0]"), paths_of(issues));
    CHECK_MESSAGE(has_error_at(issues, "setup_config.assets[0].source"), paths_of(issues));
    CHECK_MESSAGE(has_error_at(issues, "setup_config.assets[1]"), paths_of(issues));
    CHECK(issues.size() == 5);
}

TEST_CASE("config: unknown feedback keys are warnings, wrong types are errors") {
    json document = document_with({{"base", {{"tests", {test("t")}}}}});
    document["feedback_config"] = {{"general", {{"show_score", false}, {"colour", "blue"}}},
                                   {"default", {{"category_headers", {{"bonus", "Extra"}, {"extra", "?"}}}}},
                                   {"my key", 1}};
    auto parsed = parse_grading_config(document);
    REQUIRE(parsed.warnings.size() == 3);
    CHECK(parsed.warnings[0].path == "feedback_config.default.category_headers.extra");
    CHECK(parsed.warnings[1].path == "feedback_config.general.colour");
    CHECK(parsed.warnings[2].path == "feedback_config[\"my key\"]");
    CHECK_FALSE(parsed.config.feedback.general.show_score);
    CHECK(parsed.config.feedback.default_report.bonus_header == "Extra");

    document["feedback_config"]["general"]["show_score"] = "yes";
    auto issues = errors_of(document);
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].path == "feedback_config.general.show_score");
}

TEST_CASE("config: unknown top-level and node keys are warnings") {
    json document = document_with({{"base", {{"description", "core"}, {"tests", {test("t")}}}}});
    document["assignment_id"] = 7;
    auto parsed = parse_grading_config(document);
    REQUIRE(parsed.warnings.size() == 2);
    CHECK(parsed.warnings[0].path == "assignment_id");
    CHECK(parsed.warnings[1].path == "criteria_config.base.description");
}

TEST_CASE("config: limits on hostile documents") {
    SUBCASE("nesting deeper than the limit, in a parameter value") {
        json deep = 1;
        for (int i = 0; i < 40; ++i) deep = json::array({deep});
        json flat = {{"name", "t"}, {"payload", deep}};
        auto issues = errors_of(document_with({{"base", {{"tests", {flat}}}}}));
        REQUIRE(issues.size() == 1);
        CHECK(issues[0].path == "$");
        CHECK(issues[0].message.find("deeper") != std::string::npos);
    }
    SUBCASE("too many values") {
        json many = json::array();
        for (int i = 0; i < 20000; ++i) many.push_back(i);
        json flat = {{"name", "t"}, {"payload", many}};
        auto issues = errors_of(document_with({{"base", {{"tests", {flat}}}}}));
        REQUIRE(issues.size() == 1);
        CHECK(issues[0].message.find("more than") != std::string::npos);
    }
    SUBCASE("text nested 100000 levels stops early, without exhausting the stack") {
        std::string text(100000, '[');
        text += std::string(100000, ']');
        try {
            (void)autograder::parse_grading_config_text(text);
            FAIL("expected a ConfigError");
        } catch (const ConfigError& error) {
            CHECK(error.issues().at(0).message.find("deeper") != std::string::npos);
        }
    }
    SUBCASE("syntax errors and oversized text") {
        CHECK_THROWS_AS(autograder::parse_grading_config_text("{\"template_name\": "), ConfigError);
        autograder::ConfigLimits small;
        small.max_text_bytes = 10;
        CHECK_THROWS_AS(autograder::parse_grading_config_text(std::string(11, ' '), {}, small), ConfigError);
    }
    SUBCASE("a number too large for a double, and invalid UTF-8, are configuration errors (found by fuzzing)") {
        CHECK_THROWS_AS(autograder::parse_grading_config_text(R"({"criteria_config": 9e308})"), ConfigError);
        try {
            (void)autograder::parse_grading_config_text("{\"template_name\": \"a\xff\xfe\"}");
            FAIL("expected a ConfigError");
        } catch (const ConfigError& error) {
            // The parser's message quotes the bytes it stopped at: repaired, so that it can be shown.
            CHECK_NOTHROW((void)json(error.issues().at(0).message).dump());
        }
    }
    SUBCASE("a normal document as text") {
        auto parsed = autograder::parse_grading_config_text(
            R"({"template_name": "input_output",
                "criteria_config": {"base": {"tests": [{"name": "t", "weight": 50}]}}})");
        CHECK(parsed.config.criteria.base.tests[0].weight == 50);
    }
}

TEST_CASE("config: the reference's separate documents build the same configuration") {
    json criteria = {{"base", {{"tests", {test("sum", 40), test("dont_fail", 60)}}}},
                     {"penalty", {{"weight", 10}, {"tests", {test("no_eval")}}}}};
    json setup = {{"python", {{"required_files", {"main.py"}}}}};
    json feedback = {{"general", {{"report_title", "T"}}}};

    autograder::SeparateDocuments documents;
    documents.template_name = "input_output";
    documents.criteria = criteria;
    documents.setup = setup;
    documents.feedback = feedback;
    auto separate = autograder::parse_separate_documents(documents);
    auto single = parse_grading_config({{"template_name", "input_output"},
                                        {"criteria_config", criteria},
                                        {"setup_config", setup},
                                        {"feedback_config", feedback}});

    const auto& a = separate.config;
    const auto& b = single.config;
    CHECK(a.template_names == b.template_names);
    REQUIRE(a.criteria.base.tests.size() == b.criteria.base.tests.size());
    CHECK(a.criteria.base.tests[1].weight == b.criteria.base.tests[1].weight);
    CHECK(a.criteria.penalty->weight == 10);
    CHECK(a.setup.languages.at("python").required_files == b.setup.languages.at("python").required_files);
    CHECK(a.feedback.general.report_title == "T");

    documents.criteria["base"]["tests"][0]["weight"] = -1;
    try {
        (void)autograder::parse_separate_documents(documents);
        FAIL("expected a ConfigError");
    } catch (const ConfigError& error) {
        REQUIRE(error.issues().size() == 1);
        CHECK(error.issues()[0].path == "criteria.json:base.tests[0].weight");
    }
}

TEST_CASE("config: the exception message names the problems") {
    try {
        (void)parse_grading_config(document_with({{"base", {{"tests", {test("a", -2)}}}}}));
        FAIL("expected a ConfigError");
    } catch (const ConfigError& error) {
        const std::string what = error.what();
        CHECK(what.find("criteria_config.base.tests[0].weight") != std::string::npos);
        CHECK(what.find("negative") != std::string::npos);
    }
}
