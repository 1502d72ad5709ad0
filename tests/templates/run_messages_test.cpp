// The sandbox's sentences reach a student's report through explain_run: in pt_br none of them
// stays English. The messages come from the sandbox's own verdict code, so a sentence it changes
// or adds fails here instead of slipping into reports untranslated.
#include <csignal>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "sandbox/run_verdict.hpp"
#include "templates/program_runs.hpp"
#include "templates/run_messages.hpp"

using autograder::Locale;
using autograder::RunReport;
using autograder::sandbox::KillReason;
using autograder::sandbox::RunObservation;

namespace {

RunReport verdict(const RunObservation& observation) {
    RunReport report;
    autograder::sandbox::decide_verdict(observation, report);
    return report;
}

// Every kind of verdict the sandbox writes, with both of its notes somewhere.
std::vector<RunReport> every_verdict() {
    std::vector<RunReport> reports;
    RunObservation o;
    o.limits.cpu_time_s = 1;
    o.limits.wall_time_s = 2.5;
    o.wait_status = SIGKILL;
    for (auto reason : {KillReason::wall_time, KillReason::cpu_time, KillReason::output}) {
        o.killed_by_supervisor = reason;
        reports.push_back(verdict(o));
    }
    o.killed_by_supervisor = KillReason::none;
    o.usage.oom_kills = 1;
    reports.push_back(verdict(o));  // memory
    o.usage.oom_kills = 0;
    o.wait_status = SIGSYS;
    reports.push_back(verdict(o));
    o.usage.pids_limit_hits = 2;
    o.usage.memory_limit_hit = true;
    for (int sig : {SIGSEGV, SIGABRT, SIGFPE, SIGXFSZ, SIGPIPE}) {
        o.wait_status = sig;
        reports.push_back(verdict(o));
    }
    o.usage.memory_limit_hit = false;
    o.wait_status = 3 << 8;  // exit code 3
    reports.push_back(verdict(o));
    o.wait_status = 0;
    reports.push_back(verdict(o));
    return reports;
}

}  // namespace

TEST_CASE("run messages: every sandbox sentence is said again in pt_br, English stays as it is") {
    const std::vector<RunReport> reports = every_verdict();
    REQUIRE(reports.size() == 12);
    for (const auto& report : reports) {
        CAPTURE(report.message);
        CHECK(autograder::templates::localized_run_message(Locale::en, report.message) == report.message);
        const std::string portuguese = autograder::templates::localized_run_message(Locale::pt_br, report.message);
        CHECK(portuguese != report.message);
        // No English word of the sandbox's sentences is left.
        for (const char* english : {"exceeded", "Killed", "Exited", "was reached", "every", "The ", "just before"})
            CHECK_MESSAGE(portuguese.find(english) == std::string::npos, english);
    }
    CHECK(autograder::templates::localized_run_message(Locale::pt_br,
                                                       "CPU time limit of 1 s exceeded (counted over every "
                                                       "process and thread).") ==
          "Limite de tempo de CPU de 1 s excedido (contado sobre todos os processos e threads).");
    // A sentence the table does not know is left as the sandbox wrote it, never cut.
    CHECK(autograder::templates::localized_run_message(Locale::pt_br, "Something new happened.") ==
          "Something new happened.");
}

TEST_CASE("run messages: explain_run writes the whole explanation in the report's language") {
    RunObservation o;
    o.wait_status = SIGSEGV;
    const RunReport crashed = verdict(o);
    CHECK(autograder::templates::explain_run(Locale::pt_br, crashed) ==
          "O programa falhou: Morto por SIGSEGV (falha de segmentação: um acesso inválido à memória, ou um estouro de "
          "pilha).");
    CHECK(autograder::templates::explain_run(Locale::en, crashed) ==
          "The program failed: Killed by SIGSEGV (segmentation fault: an invalid memory access, or a stack overflow).");
}
