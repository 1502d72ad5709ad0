// The CLI's --format/--output, and a batch that exports to a receiver that is not there.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "cli/cli_process.hpp"
#include "export_test_support.hpp"

namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in, "cannot read " << path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

const std::string kAssignment = export_test::source_path("examples/assignments/python-calculator");

}  // namespace

TEST_CASE("cli grade --format junit|tap|gradescope --output FILE writes a valid report") {
    auto directory = export_test::temporary_directory("cli-formats");
    for (const std::string format : {"junit", "tap", "gradescope", "markdown", "json"}) {
        CAPTURE(format);
        const auto file = directory / ("report." + format);
        auto outcome =
            run_cli(fmt::format("grade --config {0}/config.json --format {1} --output {2} "
                                "{0}/submissions/partial",
                                kAssignment, format, file.string()));
        INFO(outcome.out);
        CHECK(outcome.exit_code == 0);
        CHECK(outcome.out.empty());  // the report went to the file
        const auto text = read_text(file);
        if (format == "junit") {
            export_test::check_junit_valid(text, "cli");
        } else if (format == "tap") {
            CHECK(text.rfind("TAP version 14\n1..", 0) == 0);
        } else if (format == "gradescope") {
            auto json = nlohmann::json::parse(text);
            CHECK(json["tests"].size() > 1);
            CHECK(json["score"].is_number());
        } else if (format == "json") {
            CHECK(nlohmann::json::parse(text)["status"] == "SUCCESS");
        } else {
            CHECK(text.find("/ 100**") != std::string::npos);
        }
    }
    auto usage =
        run_cli(fmt::format("grade --config {0}/config.json --json --format tap {0}/submissions/partial", kAssignment));
    CHECK(usage.exit_code == 2);
    CHECK(usage.out.find("two formats") != std::string::npos);
    fs::remove_all(directory);
}

TEST_CASE("cli batch of 200 submissions with a webhook to a dead port grades all 200") {
    ::setenv("AUTOGRADER_TEST_WEBHOOK_SECRET", "secret", 1);
    auto directory = export_test::temporary_directory("cli-dead-webhook");
    const int port = export_test::unused_loopback_port();
    auto config = export_test::static_config({{{"kind", "webhook"},
                                               {"url", fmt::format("http://127.0.0.1:{}/hook", port)},
                                               {"secret_env", "AUTOGRADER_TEST_WEBHOOK_SECRET"},
                                               {"timeout_ms", 2000},
                                               {"max_attempts", 2},
                                               {"backoff_ms", 10}}});
    export_test::write_file(directory / "config.json", config.dump());
    constexpr int kSubmissions = 200;
    for (int i = 0; i < kSubmissions; ++i) {
        auto folder = directory / "class" / fmt::format("student{:03}", i);
        fs::create_directories(folder);
        export_test::write_file(folder / "main.py", i % 2 ? "import sys\n" : "print('hello')\n");
    }
    auto outcome =
        run_cli(fmt::format("grade --config {0}/config.json --batch {0}/class --jobs 2 --format json "
                            "--output {0}/reports --summary {0}/summary",
                            directory.string()));
    INFO(outcome.out);
    REQUIRE(outcome.exit_code == 0);
    CHECK(outcome.out.find("graded 200 submissions (200 SUCCESS, 0 not)") != std::string::npos);
    std::ifstream summary(directory / "summary.jsonl");
    int rows = 0;
    for (std::string line; std::getline(summary, line); ++rows)
        CHECK(nlohmann::json::parse(line)["status"] == "SUCCESS");
    CHECK(rows == kSubmissions);
    int reports = 0;
    for (const auto& entry : fs::directory_iterator(directory / "reports")) {
        auto result = nlohmann::json::parse(read_text(entry.path()));
        const auto name = entry.path().stem().string();
        CHECK(result["final_score"] == (std::stoi(name.substr(7)) % 2 ? 50.0 : 100.0));
        REQUIRE(result["exports"].size() == 1);
        CHECK(result["exports"][0]["ok"] == false);
        CHECK(result["exports"][0]["attempts"] == 2);
        ++reports;
    }
    CHECK(reports == kSubmissions);
    fs::remove_all(directory);
}
