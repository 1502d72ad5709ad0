// `autograder grade`, driven as a user would: exit codes, JSON result, configuration errors,
// the reference engine's separate files, and batch mode's summary files.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
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

namespace {

const std::string kReplacementCharacter = "\xEF\xBF\xBD";

bool writes_as_json(const std::string& text) {
    try {
        (void)nlohmann::json(text).dump();
        return true;
    } catch (const nlohmann::json::type_error&) {
        return false;
    }
}

// A C submission that compiles, and one whose compile fails with bytes that are not UTF-8 in the
// compiler's output and in a file name deep in folders.
void write_good_c(const fs::path& folder) {
    fs::create_directories(folder);
    std::ofstream(folder / "main.c") << "#include <stdio.h>\nint main(void) { puts(\"42\"); return 0; }\n";
}
void write_evil_c(const fs::path& folder) {
    fs::create_directories(folder / "a/b/c/d/e/f");
    std::ofstream(folder / "main.c") << "#error \xff\xfe not UTF-8 \xed\xa0\x80\nint main(void) { return 0; }\n";
    std::ofstream(folder / "a/b/c/d/e/f/\xff.c") << "int f(void) { return \"\xff\"; }\n";
}

void write_c_config(const fs::path& path) {
    std::ofstream(path) << R"({"template_name": "input_output", "languages": ["c"],
        "criteria_config": {"base": {"tests": [{"name": "prints 42", "type": "expect_output",
                                               "expected_output": "42"}]}}})";
}

}  // namespace

TEST_CASE("cli grade: bytes that are not UTF-8 in compiler output and file names never abort it") {
    auto dir = scratch("utf8");
    write_c_config(dir / "config.json");
    write_evil_c(dir / "evil");
    auto json_run = grade_cli("--json --config " + (dir / "config.json").string() + " " + (dir / "evil").string());
    INFO(json_run.out.substr(0, 3000));
    CHECK(json_run.exit_code == 1);  // graded: the pipeline failed at PRE_FLIGHT
    nlohmann::json result;
    REQUIRE_NOTHROW(result = nlohmann::json::parse(json_run.out));
    CHECK(result["failed_at_step"] == "PRE_FLIGHT");
    CHECK(result["feedback"].get<std::string>().find(kReplacementCharacter) != std::string::npos);

    auto markdown = grade_cli("--config " + (dir / "config.json").string() + " " + (dir / "evil").string());
    CHECK(markdown.exit_code == 1);
    CHECK(writes_as_json(markdown.out));
    CHECK(markdown.out.find("not UTF-8") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("cli grade --batch: a hostile submission among good ones costs only its own row") {
    auto dir = scratch("utf8-batch");
    write_c_config(dir / "config.json");
    fs::create_directories(dir / "batch");
    for (const char* name : {"good1", "good2", "good4"}) write_good_c(dir / "batch" / name);
    write_evil_c(dir / "batch" / "evil3 \xff");  // the folder's name is not UTF-8 either
    auto run = grade_cli("--config " + (dir / "config.json").string() + " --batch " + (dir / "batch").string() +
                         " --jobs 2 --summary " + (dir / "summary").string());
    INFO(run.out);
    REQUIRE(run.exit_code == 0);
    CHECK(run.out.find("graded 4 submissions (3 SUCCESS") != std::string::npos);
    std::map<std::string, nlohmann::json> rows;
    std::ifstream jsonl(dir / "summary.jsonl");
    for (std::string line; std::getline(jsonl, line);) {
        nlohmann::json row;
        REQUIRE_NOTHROW(row = nlohmann::json::parse(line));
        rows[row["submission"]] = row;
    }
    REQUIRE(rows.size() == 4);
    for (const char* name : {"good1", "good2", "good4"}) {
        CHECK(rows[name]["status"] == "SUCCESS");
        CHECK(rows[name]["score"].get<double>() == doctest::Approx(100));
    }
    const auto evil = rows.find("evil3 " + kReplacementCharacter);
    REQUIRE(evil != rows.end());
    CHECK(evil->second["status"] == "FAILED");
    CHECK(evil->second["failed_at_step"] == "PRE_FLIGHT");
    std::ifstream csv_file(dir / "summary.csv");
    std::ostringstream csv;
    csv << csv_file.rdbuf();
    CHECK(writes_as_json(csv.str()));
    CHECK(csv.str().find("evil3 " + kReplacementCharacter + ",FAILED") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("cli grade --audience: the Markdown is the student's by default, --json the teacher's") {
    const std::string args = "--config " + assignment("python-statistics/config.json") + " " +
                             assignment("python-statistics/submissions/partial");
    auto student = grade_cli(args);
    INFO(student.out.substr(0, 3000));
    REQUIRE(student.exit_code == 0);
    CHECK(student.out.find("test_median_even") != std::string::npos);
    CHECK(student.out.find("test_mode_tie_smallest") == std::string::npos);  // a hidden case
    CHECK(student.out.find("hidden (they count in the score): 2") != std::string::npos);
    CHECK(student.out.find("60.00 / 100") != std::string::npos);

    auto teacher = grade_cli("--audience teacher " + args);
    REQUIRE(teacher.exit_code == 0);
    CHECK(teacher.out.find("test_mode_tie_smallest") != std::string::npos);

    auto teacher_json = grade_cli("--json " + args);
    REQUIRE(teacher_json.exit_code == 0);
    CHECK(teacher_json.out.find("test_mode_tie_smallest") != std::string::npos);
    auto student_json = grade_cli("--json --audience student " + args);
    REQUIRE(student_json.exit_code == 0);
    CHECK(student_json.out.find("test_mode_tie_smallest") == std::string::npos);
    CHECK(nlohmann::json::parse(student_json.out)["result_tree"]["summary"]["hidden"] == 2);

    CHECK(grade_cli("--audience everyone " + args).exit_code == 2);
}

TEST_CASE("cli grade --locale pt_br: the frame and the test bodies are in Portuguese, the score unchanged") {
    auto english = grade_cli("--config " + assignment("python-calculator/config.json") + " " +
                             assignment("python-calculator/submissions/partial"));
    auto portuguese = grade_cli("--locale pt_br --config " + assignment("python-calculator/config.json") + " " +
                                assignment("python-calculator/submissions/partial"));
    INFO(portuguese.out.substr(0, 3000));
    REQUIRE(portuguese.exit_code == 0);
    CHECK(english.out.find("The output is not what was expected") != std::string::npos);
    CHECK(portuguese.out.find("**Resumo**") != std::string::npos);
    CHECK(portuguese.out.find("A saída não é a esperada") != std::string::npos);
    CHECK(portuguese.out.find("Saída esperada:") != std::string::npos);
    CHECK(portuguese.out.find("The output is") == std::string::npos);
    CHECK(portuguese.out.find("Expected output:") == std::string::npos);
    CHECK(portuguese.out.find("> **38.19 / 100**") != std::string::npos);
}
