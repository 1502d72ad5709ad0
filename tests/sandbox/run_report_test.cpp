#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "autograder/run_report.hpp"

using autograder::RunReport;
using autograder::RunStatus;

TEST_CASE("run report: every status name round-trips") {
    for (auto status : {RunStatus::ok, RunStatus::runtime_error, RunStatus::time_limit, RunStatus::memory_limit,
                        RunStatus::output_limit, RunStatus::security_violation, RunStatus::internal_error}) {
        auto name = autograder::to_string(status);
        REQUIRE(autograder::run_status_from_string(name) == status);
    }
    CHECK_FALSE(autograder::run_status_from_string("compile_error").has_value());
}

TEST_CASE("run report: JSON carries exactly the fields of the design") {
    RunReport report;
    report.status = RunStatus::time_limit;
    report.exit_code = -1;
    report.signal = 9;
    report.cpu_ms = 2001;
    report.stdout_text = "out";
    report.stderr_truncated = true;
    auto json = report.to_json();
    for (const char* field : {"status", "exit_code", "signal", "cpu_ms", "wall_ms", "peak_memory_kb", "stdout",
                              "stderr", "stdout_truncated", "stderr_truncated", "message"})
        CHECK_MESSAGE(json.contains(field), field);
    CHECK(json.size() == 11);
    CHECK(json["status"] == "time_limit");
    auto back = RunReport::from_json(json);
    CHECK(back.status == RunStatus::time_limit);
    CHECK(back.signal == 9);
    CHECK(back.cpu_ms == 2001);
    CHECK(back.stdout_text == "out");
    CHECK(back.stderr_truncated);
    CHECK_THROWS_AS(RunReport::from_json(nlohmann::json{{"status", "bogus"}}), std::invalid_argument);
}
