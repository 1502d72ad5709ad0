#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "autograder/execute.hpp"
#include "autograder/languages.hpp"

using namespace autograder;

TEST_CASE("the default table covers the five languages and their aliases") {
    const auto& table = LanguageTable::defaults();
    for (const char* name : {"python", "c", "cpp", "java", "javascript", "node"})
        CHECK_MESSAGE(table.find(name) != nullptr, name);
    CHECK(table.find("node") == table.find("javascript"));
    CHECK(table.find("cobol") == nullptr);
    CHECK(table.for_file("src/x.java")->name == "java");
    CHECK(table.for_file("a.py")->name == "python");
    CHECK(table.for_file(".py") == nullptr);
    CHECK(table.find("c")->compile.size() > 0);
    CHECK(table.find("python")->compile.empty());
    // Every language gets a clean, explicit environment.
    CHECK(table.find("python")->env.at("PATH") == "/usr/local/bin:/usr/bin:/bin");
}

TEST_CASE("commands expand placeholders, {files} becomes one argument per file") {
    const Language& c = *LanguageTable::defaults().find("c");
    std::vector<SourceFile> files = {{"main.c", ""}, {"util.c", ""}, {"util.h", ""}};
    auto context = command_context(c, files);
    CHECK(context.main_file == "main.c");
    auto argv = expand_command({"gcc", "-o", "{main_stem}", "{files}", "-DMEM={memory_mb}"}, context);
    // File names reach the command line as "./" paths: none can be read as an option.
    CHECK(argv == std::vector<std::string>{"gcc", "-o", "main", "./main.c", "./util.c", "-DMEM=256"});
}

TEST_CASE("the Java main class carries the package, comments before it skipped") {
    const Language& java = *LanguageTable::defaults().find("java");
    std::vector<SourceFile> files = {
        {"src/app/Main.java", "// c\n/* block\n package wrong; */\npackage org.app ;\nclass Main{}"}};
    CHECK(command_context(java, files).main_class == "org.app.Main");
    std::vector<SourceFile> plain = {{"Main.java", "public class Main{}"}};
    CHECK(command_context(java, plain).main_class == "Main");
}

TEST_CASE("a host table overrides and extends the defaults, bad tables name the field") {
    auto overrides = LanguageTable::from_json(nlohmann::json::parse(R"({
        "languages": {
            "python": {"extension": ".py", "run": ["/usr/bin/python3", "-I", "{main}"]},
            "bash": {"extension": ".sh", "run": ["/bin/bash", "{main}"], "time_factor": 2}
        }})"));
    auto merged = LanguageTable::defaults().merged_with(overrides);
    CHECK(merged.find("python")->run[1] == "-I");
    CHECK(merged.find("bash")->time_factor == 2.0);
    CHECK(merged.find("java") != nullptr);

    auto error_of = [](const char* text) {
        try {
            LanguageTable::from_json(nlohmann::json::parse(text));
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(error_of(R"({"languages": {"x": {"run": ["a"]}}})").find("languages.x.extension") != std::string::npos);
    CHECK(error_of(R"({"languages": {"x": {"extension": ".x", "run": "a"}}})").find("languages.x.run") !=
          std::string::npos);
    CHECK(
        error_of(R"({"languages": {"x": {"extension": ".x", "run": ["a"], "time_factor": -1}}})").find("time_factor") !=
        std::string::npos);
    CHECK(error_of(R"({})").find("languages") != std::string::npos);
}

TEST_CASE("language factors scale run limits") {
    Language java;
    java.time_factor = 2;
    java.memory_factor = 1.5;
    java.extra_processes = 10;
    Limits base;
    auto scaled = scaled_limits(java, base);
    CHECK(scaled.cpu_time_s == doctest::Approx(4.0));
    CHECK(scaled.wall_time_s == doctest::Approx(10.0));
    CHECK(scaled.memory_bytes == 384LL << 20);
    CHECK(scaled.processes == 74);
}
