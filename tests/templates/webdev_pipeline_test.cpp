// The webdev template through the real pipeline: every function of the spec's table registered and
// documented, no sandbox, grading without a language, both parameter forms, configuration errors.
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "autograder/pipeline.hpp"

using namespace autograder;
using nlohmann::json;

namespace {

json config_with(json tests, json extra = json::object()) {
    json config = {{"template_name", "webdev"},
                   {"include_feedback", true},
                   {"criteria_config", {{"base", {{"tests", std::move(tests)}}}}}};
    config.update(extra);
    return config;
}

GradingResult grade(const json& config, std::vector<SourceFile> files) {
    auto pipeline = Pipeline::create(config);
    Submission submission;
    submission.files = std::move(files);
    return pipeline->grade(submission);
}

const std::vector<SourceFile>& site() {
    static const std::vector<SourceFile> files = {
        {"index.html",
         "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <title>Site</title>\n"
         "  <link rel=\"stylesheet\" href=\"style.css\">\n</head>\n<body>\n  <nav><a href=\"#about\">About</a></nav>\n"
         "  <!-- <section>draft</section> -->\n  <section id=\"about\"><h1>About</h1><img src=\"me.png\" alt=\"Me\">"
         "</section>\n  <script src=\"script.js\"></script>\n</body>\n</html>\n"},
        {"style.css", "nav { display: flex; }\n@media (max-width: 40em) { nav { flex-direction: column; } }\n"},
        {"images/me.svg", "<svg/>"}};
    return files;
}

}  // namespace

TEST_CASE("webdev: every test function of the spec is registered, documented and needs no sandbox") {
    const std::set<std::string> spec_table = {"has_tag",
                                              "has_class",
                                              "has_attribute",
                                              "check_attribute_and_value",
                                              "has_forbidden_tag",
                                              "check_tag_not_inside",
                                              "check_head_details",
                                              "check_no_inline_styles",
                                              "check_no_unclosed_tags",
                                              "uses_semantic_tags",
                                              "check_css_linked",
                                              "check_bootstrap_linked",
                                              "check_bootstrap_usage",
                                              "check_internal_links",
                                              "check_internal_links_to_article",
                                              "link_points_to_page_with_query_param",
                                              "check_headings_sequential",
                                              "check_all_images_have_alt",
                                              "check_html_direct_children",
                                              "css_uses_property",
                                              "has_style",
                                              "count_over_usage",
                                              "check_id_selector_over_usage",
                                              "uses_relative_units",
                                              "check_media_queries",
                                              "check_flexbox_usage",
                                              "count_unused_css_classes",
                                              "js_uses_feature",
                                              "uses_forbidden_method",
                                              "count_global_vars",
                                              "js_uses_query_string_parsing",
                                              "js_uses_dom_manipulation",
                                              "js_has_json_array_with_id",
                                              "has_no_js_framework",
                                              "check_project_structure",
                                              "check_dir_exists"};
    auto registry = TemplateRegistry::with_defaults();
    const Template* webdev = registry.find_template("webdev");
    REQUIRE(webdev != nullptr);
    std::set<std::string> registered;
    for (const auto& [key, function] : webdev->functions) {
        registered.insert(key);
        CAPTURE(key);
        CHECK_FALSE(function->needs_sandbox());
        CHECK(function->description().size() > 20);
        for (const auto& parameter : function->parameters()) {
            CHECK_FALSE(parameter.name.empty());
            CHECK_FALSE(parameter.type.empty());
            CHECK_FALSE(parameter.description.empty());
        }
    }
    CHECK(registered == spec_table);
    // Parameter names exactly as in the spec's table.
    auto names = [&](const char* key) {
        std::vector<std::string> all;
        for (const auto& p : registry.find({"webdev"}, key)->parameters()) all.push_back(p.name);
        return all;
    };
    CHECK(names("has_tag") == std::vector<std::string>{"tag", "required_count"});
    CHECK(names("link_points_to_page_with_query_param") ==
          std::vector<std::string>{"target_page", "query_param", "required_count"});
    CHECK(names("css_uses_property") == std::vector<std::string>{"prop", "value"});
    CHECK(names("has_style") == std::vector<std::string>{"style", "count"});
    CHECK(names("js_has_json_array_with_id") == std::vector<std::string>{"required_key", "min_items"});
    CHECK(names("count_unused_css_classes") == std::vector<std::string>{"html_file", "css_file"});
    CHECK(names("check_project_structure") == std::vector<std::string>{"expected_structure"});
    auto described = registry.describe().dump();
    CHECK(described.find("\"name\":\"webdev\"") != std::string::npos);
}

TEST_CASE("webdev through the pipeline: HTML and CSS graded without a language and without a sandbox") {
    json tests = json::array({{{"name", "sections"}, {"type", "has_tag"}, {"tag", "section"}, {"required_count", 2}},
                              {{"name", "media"}, {"type", "check_media_queries"}},
                              {{"name", "alt texts"}, {"type", "check_all_images_have_alt"}, {"file", "index.html"}},
                              {{"name", "images folder"}, {"type", "check_dir_exists"}, {"dir_path", "images"}},
                              {{"name", "nav link"},
                               {"type", "check_attribute_and_value"},
                               {"parameters",
                                {{{"name", "tag"}, {"value", "a"}},
                                 {{"name", "attribute"}, {"value", "href"}},
                                 {{"name", "value"}, {"value", "#about"}}}}}});
    auto pipeline = Pipeline::create(config_with(tests));
    auto steps = pipeline->step_names();
    CHECK(std::find(steps.begin(), steps.end(), "STRUCTURAL_ANALYSIS") != steps.end());
    CHECK(std::find(steps.begin(), steps.end(), "SANDBOX") == steps.end());
    CHECK(std::find(steps.begin(), steps.end(), "PRE_FLIGHT") == steps.end());
    Submission submission;
    submission.files = site();  // .html, .css and .svg: no language can be told from the names
    GradingResult result = pipeline->grade(submission);
    auto json_result = result.to_json();
    INFO(json_result["pipeline"].dump(2));
    REQUIRE(result.status == PipelineStatus::success);
    // sections: 1 of 2 (the commented one never counts) -> 50; the rest 100; equal weights.
    CHECK(result.final_score == doctest::Approx((50.0 + 100 + 100 + 100 + 100) / 5));
    CHECK(result.feedback.find("Found 1 of the 2 required `<section>` elements in `index.html`") != std::string::npos);
    CHECK(json_result["pipeline"]["steps"][0]["message"].get<std::string>().find("no language needed") !=
          std::string::npos);
}

TEST_CASE("webdev through the pipeline: a bad parameter is refused when the pipeline is made, with its path") {
    json tests = json::array({{{"name", "bad"}, {"type", "has_tag"}, {"tag", "section"}, {"required_count", "lots"}},
                              {{"name", "good"}, {"type", "check_css_linked"}, {"required_count", 1}}});
    try {
        Pipeline::create(config_with(tests));
        FAIL("the configuration was accepted");
    } catch (const ConfigError& e) {
        std::string text;
        for (const auto& issue : e.issues()) text += issue.path + ": " + issue.message + "\n";
        CHECK(text ==
              "criteria_config.base.tests[0].required_count: parameter 'required_count' must be a whole number, not "
              "\"lots\"\n"
              "criteria_config.base.tests[1].required_count: unknown parameter 'required_count' for "
              "'check_css_linked'; its parameters are: none\n");
    }
}

TEST_CASE("webdev through the pipeline: unknown functions are configuration errors, templates combine") {
    CHECK_THROWS_AS(Pipeline::create(config_with(json::array({{{"name", "x"}, {"type", "has_tags"}}}))), ConfigError);
    json mixed =
        config_with(json::array({{{"name", "nav"}, {"type", "has_tag"}, {"tag", "nav"}, {"required_count", 1}},
                                 {{"name", "no fs"}, {"type", "forbidden_import"}, {"forbidden_imports", {"fs"}}}}),
                    {{"template_name", json::array({"webdev", "static_analysis"})}});
    auto files = site();
    files.push_back({"script.js", "// const fs = require('fs');\ndocument.title = 'x';\n"});
    auto result = grade(mixed, files);
    REQUIRE(result.status == PipelineStatus::success);
    CHECK(result.final_score == doctest::Approx(100));
    // A submission without the page a test needs: graded, that test scores 0 and says why.
    auto missing = grade(config_with(json::array({{{"name", "css"}, {"type", "check_css_linked"}}})),
                         {{"style.css", "a { top: 0 }"}});
    REQUIRE(missing.status == PipelineStatus::success);
    CHECK(missing.final_score == 0);
    CHECK(missing.feedback.find("no HTML page") != std::string::npos);
}
