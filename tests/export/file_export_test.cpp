// The file exporter: one JSON line per grading, read back; several at once never interleave.
#include <thread>

#include <doctest/doctest.h>

#include "export_test_support.hpp"

using namespace autograder;
using export_test::python_submission;
using export_test::static_config;

TEST_CASE("file export: one JSON line per grading, appended, relative to the assignment folder") {
    auto directory = export_test::temporary_directory("file-export");
    PipelineOptions options;
    options.assignment_directory = directory.string();
    auto pipeline = Pipeline::create(static_config({{{"kind", "file"}, {"path", "results.jsonl"}}}), options);
    constexpr int kThreads = 4, kEach = 10;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i) {
                auto result = pipeline->grade(python_submission("user" + std::to_string(t * kEach + i)));
                CHECK(result.exports.size() == 1);
                CHECK(result.exports[0].ok);
            }
        });
    for (auto& thread : threads) thread.join();

    std::ifstream in(directory / "results.jsonl");
    REQUIRE(in);
    std::set<std::string> users;
    std::string line;
    while (std::getline(in, line)) {
        auto document = nlohmann::json::parse(line);  // throws, failing the test, on an interleaved line
        CHECK(document["status"] == "SUCCESS");
        CHECK(document["final_score"] == 50.0);
        CHECK(document["exported_at"].is_number_integer());
        users.insert(document["submission"]["metadata"]["external_user_id"].get<std::string>());
    }
    CHECK(users.size() == kThreads * kEach);
    std::filesystem::remove_all(directory);
}

TEST_CASE("file export: a failed grading is exported too, and a symbolic link as the path is refused") {
    auto directory = export_test::temporary_directory("file-export-failed");
    auto config = static_config({{{"kind", "file"}, {"path", (directory / "out.jsonl").string()}},
                                 {{"kind", "file"}, {"path", (directory / "link.jsonl").string()}}});
    config["setup_config"] = {{"python", {{"required_files", {"main.py", "helper.py"}}}}};
    std::filesystem::create_symlink(directory / "elsewhere.jsonl", directory / "link.jsonl");
    auto pipeline = Pipeline::create(config);
    GradingResult result = pipeline->grade(python_submission());
    CHECK(result.status == PipelineStatus::failed);
    CHECK(result.failed_at_step == "PRE_FLIGHT");
    REQUIRE(result.exports.size() == 2);
    CHECK(result.exports[0].ok);
    CHECK_FALSE(result.exports[1].ok);
    CHECK_FALSE(std::filesystem::exists(directory / "elsewhere.jsonl"));
    std::ifstream in(directory / "out.jsonl");
    std::string line;
    REQUIRE(std::getline(in, line));
    auto document = nlohmann::json::parse(line);
    CHECK(document["status"] == "FAILED");
    CHECK(document["failed_at_step"] == "PRE_FLIGHT");
    CHECK(document["feedback"].get<std::string>().find("helper.py") != std::string::npos);
    std::filesystem::remove_all(directory);
}

TEST_CASE("export configuration: every mistake is reported with its JSON path") {
    auto check_error = [](nlohmann::json exporters, const std::string& path, const std::string& words) {
        CAPTURE(exporters.dump());
        try {
            Pipeline::create(static_config(std::move(exporters)));
            FAIL("no ConfigError");
        } catch (const ConfigError& e) {
            bool found = false;
            for (const auto& issue : e.issues())
                found = found || (issue.path == path && issue.message.find(words) != std::string::npos);
            CHECK_MESSAGE(found, e.what());
        }
    };
    check_error({{{"kind", "ftp"}}}, "export[0].kind", "unknown exporter");
    check_error({{{"kind", "webhook"}, {"url", "http://x/"}}}, "export[0]", "secret_env");
    check_error({{{"kind", "webhook"}, {"url", "ftp://x/"}, {"secret_env", "S"}}}, "export[0].url", "http");
    check_error({{{"kind", "webhook"}, {"url", "https://user:pw@x/"}, {"secret_env", "S"}}}, "export[0].url",
                "credentials");
    check_error({{{"kind", "webhook"}, {"url", "http://x/"}, {"secret_env", "hunter2 is my secret"}}},
                "export[0].secret_env", "not an environment variable name");
    check_error({{{"kind", "webhook"}, {"url", "http://x/"}, {"secret_env", "S"}, {"retries", 3}}}, "export[0].retries",
                "not a setting");
    check_error({{{"kind", "webhook"}, {"url", "http://x/"}, {"secret_env", "S"}, {"timeout_ms", 0}}},
                "export[0].timeout_ms", "from 1 to 600000");
    check_error({{{"kind", "redis"}, {"url", "rediss://x:6380"}}}, "export[0].url", "TLS");
    check_error({{{"kind", "redis"}, {"url", "redis://x:port"}}}, "export[0].url", "port");
    check_error({{{"kind", "redis"}, {"url", "redis://x"}, {"key", "user:{external user}"}}}, "export[0].key",
                "placeholder");
    check_error({{{"kind", "file"}}}, "export[0]", "'path'");
    check_error({{"kind", "file"}}, "export", "list");
}

namespace {
class BrokenHostStep final : public HostStep {
public:
    std::string name() const override { return "HOST_BROKEN"; }
    StepOutcome run(const PipelineExecution&, nlohmann::json&) const override {
        throw std::runtime_error("the host's database is down");
    }
};
}  // namespace

TEST_CASE("EXPORT comes after host steps, and is skipped after INTERRUPTED (a host error is not a grade)") {
    auto directory = export_test::temporary_directory("file-export-interrupted");
    PipelineOptions options;
    options.extra_steps.push_back({"FEEDBACK", std::make_shared<BrokenHostStep>()});
    auto pipeline =
        Pipeline::create(static_config({{{"kind", "file"}, {"path", (directory / "out.jsonl").string()}}}), options);
    auto names = pipeline->step_names();
    REQUIRE(names.size() >= 2);
    CHECK(names[names.size() - 2] == "HOST_BROKEN");
    CHECK(names.back() == "EXPORT");
    GradingResult result = pipeline->grade(python_submission());
    CHECK(result.status == PipelineStatus::interrupted);
    CHECK(result.exports.empty());
    CHECK(result.to_json().count("exports") == 0);
    CHECK_FALSE(std::filesystem::exists(directory / "out.jsonl"));
    std::filesystem::remove_all(directory);
}
