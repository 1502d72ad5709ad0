// The static_analysis template through the pipeline (no sandbox): forbidden_import.
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "autograder/pipeline.hpp"

using namespace autograder;
using nlohmann::json;

namespace {

GradingResult grade(json test, std::vector<SourceFile> files, std::string language = "python") {
    test["name"] = "imports";
    if (!test.contains("type")) test["type"] = "forbidden_import";
    json config = {{"template_name", "static_analysis"},
                   {"include_feedback", false},
                   {"criteria_config", {{"base", {{"tests", json::array({test})}}}}}};
    auto pipeline = Pipeline::create(config);
    Submission submission;
    submission.files = std::move(files);
    submission.language = std::move(language);
    return pipeline->grade(submission);
}

// Every problem Pipeline::create finds in the test, "" when it accepts it.
std::string refusal(json test) {
    try {
        test["name"] = "imports";
        if (!test.contains("type")) test["type"] = "forbidden_import";
        Pipeline::create({{"template_name", "static_analysis"},
                          {"include_feedback", false},
                          {"criteria_config", {{"base", {{"tests", json::array({test})}}}}}});
    } catch (const ConfigError& e) {
        std::string text;
        for (const auto& issue : e.issues()) text += issue.path + ": " + issue.message + "\n";
        return text;
    }
    return {};
}

std::string report(const GradingResult& result) {
    return result.to_json().dump();
}

}  // namespace

TEST_CASE("static_analysis: forbidden_import is registered, documented, and needs no sandbox") {
    auto registry = TemplateRegistry::with_defaults();
    const TestFunction* f = registry.find({"static_analysis"}, "forbidden_import");
    REQUIRE(f != nullptr);
    CHECK_FALSE(f->needs_sandbox());
    REQUIRE(f->parameters().size() == 1);
    CHECK(f->parameters()[0].name == "forbidden_imports");
    CHECK(f->parameters()[0].required);
    auto pipeline = Pipeline::create(json{
        {"template_name", "static_analysis"},
        {"criteria_config",
         {{"base", {{"tests", {{{"name", "i"}, {"type", "forbidden_import"}, {"forbidden_imports", {"os"}}}}}}}}}});
    for (const auto& step : pipeline->step_names()) CHECK(step != "SANDBOX");
}

TEST_CASE("static_analysis: forbidden_import per language, comments and strings never count") {
    json python = {{"forbidden_imports", {"os", "subprocess"}}};
    CHECK(grade(python, {{"main.py", "import math\n# import os\nprint('import subprocess')\n"}}).final_score == 100);
    auto hit = grade(python, {{"main.py", "import math\nfrom os.path import join\n"}});
    CHECK(hit.final_score == 0);
    CHECK(report(hit).find("os.path") != std::string::npos);
    CHECK(report(hit).find("line 2") != std::string::npos);

    json java = {{"forbidden_imports", {"java.util.Scanner"}}};
    CHECK(grade(java, {{"Main.java", "// import java.util.Scanner;\nclass Main {}\n"}}, "java").final_score == 100);
    CHECK(grade(java, {{"Main.java", "import java.util.*;\nclass Main {}\n"}}, "java").final_score == 0);

    json js = {{"forbidden_imports", {"fs"}}};
    CHECK(grade(js, {{"main.js", "// const fs = require('fs');\nconsole.log('require(\"fs\")');\n"}}, "node")
              .final_score == 100);
    CHECK(grade(js, {{"main.js", "const fs = require('node:fs/promises');\n"}}, "node").final_score == 0);
    CHECK(grade(js, {{"main.js", "import { readFile } from 'fs';\n"}}, "node").final_score == 0);

    json c = {{"forbidden_imports", {"stdlib"}}};
    CHECK(grade(c, {{"main.c", "#include <stdio.h>\n/* #include <stdlib.h> */\nint main(void) { return 0; }\n"}}, "c")
              .final_score == 100);
    CHECK(grade(c, {{"main.c", "#include <stdlib.h>\nint main(void) { return 0; }\n"}}, "c").final_score == 0);
    CHECK(grade({{"forbidden_imports", {"algorithm"}}}, {{"a.cpp", "#include <algorithm>\n"}}, "cpp").final_score == 0);
}

TEST_CASE("static_analysis: forbidden_import looks at every code file, or only the one named by file") {
    json test = {{"forbidden_imports", {"os"}}};
    std::vector<SourceFile> files = {
        {"main.py", "import math\n"}, {"lib/util.py", "import os\n"}, {"notes.txt", "import os"}};
    CHECK(grade(test, files).final_score == 0);
    test["file"] = "main.py";
    CHECK(grade(test, files).final_score == 100);
    test["file"] = "util.py";  // a base name finds lib/util.py
    CHECK(grade(test, files).final_score == 0);
    test["file"] = "notes.txt";  // not code: nothing to check
    CHECK(grade(test, files).final_score == 100);
    // A file the submission does not have: nothing to analyse, nothing forbidden (as the reference).
    test["file"] = "missing.py";
    auto missing = grade(test, files);
    CHECK(missing.final_score == 100);
    CHECK(report(missing).find("no file 'missing.py'") != std::string::npos);
}

TEST_CASE("static_analysis: a file with syntax errors is still checked and reported, not a crash") {
    json test = {{"forbidden_imports", {"socket"}}};
    auto clean = grade(test, {{"main.py", "import math\ndef f(:\n    pass\n"}});
    CHECK(clean.status == PipelineStatus::success);
    CHECK(clean.final_score == 100);
    CHECK(report(clean).find("Syntax errors") != std::string::npos);
    auto hit = grade(test, {{"main.py", "import socket\ndef f(:\n    pass\n"}});
    CHECK(hit.final_score == 0);
}

TEST_CASE("static_analysis: a bad forbidden_imports parameter is refused with the reason") {
    CHECK(refusal({{"forbidden_imports", 3}}) ==
          "criteria_config.base.tests[0].forbidden_imports: parameter 'forbidden_imports' must be a list, not a "
          "number\n");
    CHECK(refusal(json::object()).find("missing required parameter 'forbidden_imports'") != std::string::npos);
    CHECK(refusal({{"forbidden_imports", {"os"}}}).empty());
}

TEST_CASE("static_analysis: forbidden_keyword finds constructs on the tree, not in comments or strings") {
    json loops = {{"type", "forbidden_keyword"}, {"forbidden_keywords", {"for_loop", "while_loop"}}};
    CHECK(grade(loops, {{"main.py", "# for x in y:\nprint('while True')\nprint(sum(range(3)))\n"}}).final_score == 100);
    auto hit = grade(loops, {{"main.py", "total = 0\nfor x in range(3):\n    total += x\n"}});
    CHECK(hit.final_score == 0);
    CHECK(report(hit).find("for_loop (line 2)") != std::string::npos);
    CHECK(grade(loops, {{"Main.java", "class Main { void f() { while (true) {} } }\n"}}, "java").final_score == 0);
    json eval = {{"type", "forbidden_keyword"}, {"forbidden_keywords", {"eval_call", "do_while_loop"}}};
    CHECK(grade(eval, {{"main.js", "const s = 'eval(x)'; // eval(y)\n"}}, "node").final_score == 100);
    CHECK(grade(eval, {{"main.js", "eval('1 + 1');\n"}}, "node").final_score == 0);
    CHECK(grade(eval, {{"main.c", "int main(void) { do {} while (0); }\n"}}, "c").final_score == 0);
    auto unknown = refusal({{"type", "forbidden_keyword"}, {"forbidden_keywords", {"goto"}}});
    CHECK(unknown.find("criteria_config.base.tests[0].forbidden_keywords: parameter 'forbidden_keywords' \"goto\" "
                       "is not one of: for_loop,") != std::string::npos);
}
