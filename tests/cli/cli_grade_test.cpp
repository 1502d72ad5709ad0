// `autograder grade`, driven as a user would: exit codes, JSON result, configuration errors,
// the reference engine's separate files, and batch mode's summary files.
#include <filesystem>
#include <fstream>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "cli/cli_process.hpp"

namespace fs = std::filesystem;

namespace {

CliOutcome grade_cli(const std::string& arguments) {
    return run_cli("grade " + arguments);
}

std::string assignment(const std::string& path) {
    return std::string(AUTOGRADER_SOURCE_DIR) + "/examples/assignments/" + path;
}

fs::path scratch(const std::string& name) {
    auto dir = fs::temp_directory_path() / ("cli-grade-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

}  // namespace

TEST_CASE("cli grade: JSON result, Markdown feedback, and exit 1 when the pipeline fails") {
    auto json_run = grade_cli("--json --config " + assignment("python-calculator/config.json") + " " +
                              assignment("python-calculator/submissions/partial"));
    INFO(json_run.out.substr(0, 2000));
    REQUIRE(json_run.exit_code == 0);
    auto result = nlohmann::json::parse(json_run.out);
    for (const char* field :
         {"status", "failed_at_step", "final_score", "result_tree", "focus", "score_vector", "feedback", "pipeline"})
        CHECK_MESSAGE(result.contains(field), field);
    CHECK(result["status"] == "SUCCESS");
    CHECK(result["final_score"].get<double>() == doctest::Approx(1375.0 / 36));
    CHECK(result["pipeline"]["steps"].size() == 7);

    auto markdown = grade_cli("--config " + assignment("python-calculator/config.json") + " " +
                              assignment("python-calculator/submissions/partial"));
    CHECK(markdown.exit_code == 0);
    CHECK(markdown.out.find("> **38.19 / 100**") != std::string::npos);

    auto broken = grade_cli("--config " + assignment("python-calculator/config.json") + " " +
                            assignment("python-calculator/submissions/broken"));
    CHECK(broken.exit_code == 1);
    CHECK(broken.out.find("`main.py`") != std::string::npos);
}

TEST_CASE("cli grade: configuration errors exit 2 and list every problem with its path") {
    auto dir = scratch("config");
    std::ofstream(dir / "config.json") << R"({"template_name": "input_output",
        "criteria_config": {"base": {"tests": [{"name": "a", "type": "nope"}, {"name": "b", "type": "dont_fail", "weight": -1}]}}})";
    std::ofstream(dir / "main.py") << "print(1)\n";
    auto run = grade_cli("--config " + (dir / "config.json").string() + " " + (dir / "main.py").string());
    CHECK(run.exit_code == 2);
    CHECK(run.out.find("criteria_config.base.tests[0]") != std::string::npos);
    CHECK(run.out.find("criteria_config.base.tests[1].weight") != std::string::npos);

    std::ofstream(dir / "bad.json") << "{ not json";
    CHECK(grade_cli("--config " + (dir / "bad.json").string() + " " + (dir / "main.py").string()).exit_code == 2);
    CHECK(grade_cli((dir / "main.py").string()).exit_code == 2);                                 // no configuration
    CHECK(grade_cli("--config " + assignment("python-calculator/config.json")).exit_code == 2);  // nothing to grade
    fs::remove_all(dir);
}

TEST_CASE("cli grade: the reference engine's separate files give the same score as the single document") {
    auto dir = scratch("separate");
    std::ifstream in(assignment("python-calculator/config.json"));
    auto config = nlohmann::json::parse(in);
    std::ofstream(dir / "criteria.json") << config["criteria_config"].dump();
    std::ofstream(dir / "setup.json") << config["setup_config"].dump();
    auto run = grade_cli("--json --template input_output --criteria " + (dir / "criteria.json").string() + " --setup " +
                         (dir / "setup.json").string() + " --language python " +
                         assignment("python-calculator/submissions/partial"));
    INFO(run.out.substr(0, 2000));
    REQUIRE(run.exit_code == 0);
    CHECK(nlohmann::json::parse(run.out)["final_score"].get<double>() == doctest::Approx(1375.0 / 36));
    fs::remove_all(dir);
}

TEST_CASE("cli grade --batch: every sub-folder graded, CSV and JSONL summaries written") {
    auto dir = scratch("batch");
    for (const char* name : {"correct", "partial", "broken"})
        fs::copy(assignment(std::string("python-calculator/submissions/") + name), dir / name,
                 fs::copy_options::recursive);
    auto run = grade_cli("--config " + assignment("python-calculator/config.json") + " --batch " + dir.string() +
                         " --jobs 2 --summary " + (dir / "summary").string());
    INFO(run.out);
    REQUIRE(run.exit_code == 0);
    CHECK(run.out.find("graded 3 submissions") != std::string::npos);
    std::ifstream csv(dir / "summary.csv");
    std::string header;
    std::getline(csv, header);
    CHECK(header == "submission,status,score,duration_ms,failed_at_step,message");
    std::map<std::string, nlohmann::json> rows;
    std::ifstream jsonl(dir / "summary.jsonl");
    for (std::string line; std::getline(jsonl, line);) {
        auto row = nlohmann::json::parse(line);
        rows[row["submission"]] = row;
    }
    REQUIRE(rows.size() == 3);
    CHECK(rows["correct"]["score"].get<double>() == doctest::Approx(100));
    CHECK(rows["partial"]["score"].get<double>() == doctest::Approx(1375.0 / 36));
    CHECK(rows["broken"]["status"] == "FAILED");
    CHECK(rows["broken"]["failed_at_step"] == "PRE_FLIGHT");
    fs::remove_all(dir);
}

TEST_CASE("cli grade --batch: hidden folders skipped, per-student files, pass rates, --baseline DIR") {
    auto dir = scratch("batch-class");
    auto class_dir = dir / "class";
    fs::create_directories(class_dir);
    for (const char* name : {"correct", "partial", "broken"})
        fs::copy(assignment(std::string("python-calculator/submissions/") + name), class_dir / name,
                 fs::copy_options::recursive);
    fs::create_directories(class_dir / ".git" / "objects");
    std::ofstream(class_dir / ".git" / "HEAD") << "ref: refs/heads/main\n";
    fs::create_directories(class_dir / "__MACOSX" / "partial");
    std::ofstream(class_dir / "__MACOSX" / "partial" / "._main.py") << "junk";
    const std::string config = " --config " + assignment("python-calculator/config.json");

    auto first = grade_cli("--json" + config + " --batch " + class_dir.string() + " --jobs 2 --summary " +
                           (dir / "first").string());
    INFO(first.out);
    REQUIRE(first.exit_code == 0);
    CHECK(first.out.find("graded 3 submissions") != std::string::npos);
    CHECK(first.out.find("pass rate per test:") != std::string::npos);
    CHECK(first.out.find("base/basic operations/addition") != std::string::npos);
    // Only documented statuses.
    std::ifstream jsonl(dir / "first.jsonl");
    for (std::string line; std::getline(jsonl, line);) {
        auto row = nlohmann::json::parse(line);
        CHECK(row["submission"] != ".git");
        CHECK(row["submission"] != "__MACOSX");
        CHECK((row["status"] == "SUCCESS" || row["status"] == "FAILED" || row["status"] == "INTERRUPTED"));
    }
    // Each student's feedback and, with --json, result.
    for (const char* name : {"correct", "partial", "broken"}) {
        CHECK_MESSAGE(fs::exists(dir / "first-results" / (std::string(name) + ".md")), name);
        CHECK_MESSAGE(fs::exists(dir / "first-results" / (std::string(name) + ".json")), name);
    }
    auto partial = nlohmann::json::parse(std::ifstream(dir / "first-results" / "partial.json"));
    CHECK(partial["final_score"].get<double>() == doctest::Approx(1375.0 / 36));
    std::ifstream tests_csv(dir / "first-tests.csv");
    std::string header;
    std::getline(tests_csv, header);
    CHECK(header == "test,passed,graded,pass_rate");

    // A second run against the first: the partial student is the correct one now.
    fs::remove_all(class_dir / "partial");
    fs::copy(assignment("python-calculator/submissions/correct"), class_dir / "partial", fs::copy_options::recursive);
    auto second = grade_cli("--json" + config + " --batch " + class_dir.string() + " --jobs 2 --summary " +
                            (dir / "second").string() + " --baseline " + (dir / "first-results").string());
    INFO(second.out);
    REQUIRE(second.exit_code == 0);
    auto improved = nlohmann::json::parse(std::ifstream(dir / "second-results" / "partial.json"));
    CHECK(improved["comparison"]["score_delta"].get<double>() == doctest::Approx(100 - 1375.0 / 36));
    std::ifstream second_csv(dir / "second.csv");
    std::getline(second_csv, header);
    CHECK(header == "submission,status,score,duration_ms,failed_at_step,message,baseline_delta");
    fs::remove_all(dir);
}

TEST_CASE("cli grade: no submission and no --batch says what to give") {
    auto run = grade_cli("--config " + assignment("python-calculator/config.json"));
    CHECK(run.exit_code == 2);
    CHECK(run.out.find("give the submission to grade") != std::string::npos);
    CHECK(run.out.find("not both") == std::string::npos);
}

TEST_CASE("cli grade --baseline: the score delta and per-test changes against an earlier result") {
    auto dir = scratch("baseline");
    auto before = grade_cli("--json --config " + assignment("python-calculator/config.json") + " " +
                            assignment("python-calculator/submissions/partial"));
    REQUIRE(before.exit_code == 0);
    std::ofstream(dir / "baseline.json") << before.out;
    auto after =
        grade_cli("--json --config " + assignment("python-calculator/config.json") + " --baseline " +
                  (dir / "baseline.json").string() + " " + assignment("python-calculator/submissions/correct"));
    INFO(after.out.substr(0, 1500));
    REQUIRE(after.exit_code == 0);
    auto comparison = nlohmann::json::parse(after.out)["comparison"];
    CHECK(comparison["score_delta"].get<double>() == doctest::Approx(100 - 1375.0 / 36));
    bool improved = false;
    for (const auto& path : comparison["paths"]) improved |= path["status"] == "improved";
    CHECK(improved);
    fs::remove_all(dir);
}
