// The `autograder` binary, driven as a user would: exit codes, JSON report, usage errors.
#include <filesystem>
#include <fstream>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "cli/cli_process.hpp"

namespace {

std::string example(const std::string& path) {
    return std::string(AUTOGRADER_SOURCE_DIR) + "/examples/programs/" + path;
}

}  // namespace

TEST_CASE("cli run --json prints one report object for each bundled example") {
    for (const char* language : {"python", "c", "cpp", "java", "javascript"}) {
        SUBCASE(language) {
            auto result = run_cli(std::string("run --json --wall-time-limit 30 --time-limit 10 --language ") +
                                  language + " --stdin " + example("input.txt") + " " + example(language));
            INFO(result.out);
            REQUIRE(result.exit_code == 0);
            auto report = nlohmann::json::parse(result.out);
            CHECK(report["status"] == "ok");
            CHECK(report["phase"] == "run");
            CHECK(report["stdout"] == "count=5 sum=189 mean=37.80\n");
            for (const char* field : {"exit_code", "signal", "cpu_ms", "wall_ms", "peak_memory_kb", "stderr",
                                      "stdout_truncated", "stderr_truncated", "message"})
                CHECK_MESSAGE(report.contains(field), field);
            CHECK(report.contains("compile") ==
                  (std::string(language) == "c" || std::string(language) == "cpp" || std::string(language) == "java"));
        }
    }
}

TEST_CASE("cli run: a failing program still exits 0 with its status, usage errors exit 2") {
    auto dir = std::filesystem::temp_directory_path() / ("cli-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "main.py") << "while True: pass\n";
    std::ofstream(dir / "broken.c") << "int main(void) { return nope; }\n";

    auto slow = run_cli("run --json --language python --time-limit 0.5 " + (dir / "main.py").string());
    INFO(slow.out);
    CHECK(slow.exit_code == 0);
    CHECK(nlohmann::json::parse(slow.out)["status"] == "time_limit");

    auto broken = run_cli("run --json --language c " + (dir / "broken.c").string());
    INFO(broken.out);
    CHECK(broken.exit_code == 0);
    auto report = nlohmann::json::parse(broken.out);
    CHECK(report["status"] == "compile_error");
    CHECK(report["phase"] == "compile");
    CHECK(report["stderr"].get<std::string>().find("nope") != std::string::npos);

    // Text mode: a compile that fails reads compile_error, never the compiler's runtime_error.
    auto broken_text = run_cli("run --language c " + (dir / "broken.c").string());
    INFO(broken_text.out);
    CHECK(broken_text.out.find("compile: compile_error") != std::string::npos);
    CHECK(broken_text.out.find("runtime_error") == std::string::npos);

    auto readable = run_cli("run --language python --time-limit 0.5 " + (dir / "main.py").string());
    CHECK(readable.exit_code == 0);
    CHECK(readable.out.find("time_limit") != std::string::npos);

    CHECK(run_cli("run --language cobol " + (dir / "main.py").string()).exit_code == 2);
    CHECK(run_cli("run " + (dir / "main.py").string()).exit_code == 2);  // --language missing
    CHECK(run_cli("run --language python --memory-limit -5 " + (dir / "main.py").string()).exit_code == 2);
    auto missing = run_cli("run --language python /nonexistent/file.py");
    CHECK(missing.exit_code == 2);
    CHECK(missing.out.find("/nonexistent/file.py") != std::string::npos);
    CHECK(run_cli("frobnicate").exit_code == 2);
    auto help = run_cli("run --help");
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("--memory-limit") != std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("cli run: output that is not UTF-8 or is cut inside a character still gives a report") {
    const std::string program = std::string(AUTOGRADER_SOURCE_DIR) + "/tests/programs/threat_text.c";
    const std::string replacement = "\xEF\xBF\xBD";
    // `run` gives the program no arguments: threat_text's default mode prints the invalid bytes.
    auto invalid = run_cli("run --json --language c " + program + " < /dev/null");
    INFO(invalid.out.substr(0, 2000));
    REQUIRE(invalid.exit_code == 0);
    nlohmann::json report;
    REQUIRE_NOTHROW(report = nlohmann::json::parse(invalid.out));
    CHECK(report["status"] == "ok");
    CHECK(report["stdout"].get<std::string>().find("ok " + replacement) != std::string::npos);
    CHECK(report["stderr"].get<std::string>().find("ok " + replacement) != std::string::npos);

    auto text = run_cli("run --language c " + program + " < /dev/null");
    CHECK(text.exit_code == 0);
    CHECK(text.out.find("ok " + replacement) != std::string::npos);
    CHECK(text.out.find("\xff") == std::string::npos);
}

TEST_CASE("cli run reads piped stdin when no --stdin is given, an empty pipe is end-of-file at once") {
    auto piped = run_cli("run --json --language python " + example("python") + " < " + example("input.txt"));
    INFO(piped.out);
    REQUIRE(piped.exit_code == 0);
    CHECK(nlohmann::json::parse(piped.out)["stdout"] == "count=5 sum=189 mean=37.80\n");

    // The README's Java example without input used to wait for the wall limit (time_limit).
    auto empty =
        run_cli("run --json --wall-time-limit 30 --time-limit 10 --language java " + example("java") + " < /dev/null");
    INFO(empty.out);
    REQUIRE(empty.exit_code == 0);
    auto report = nlohmann::json::parse(empty.out);
    CHECK(report["status"] != "time_limit");
}
