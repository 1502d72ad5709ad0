// The doctest runner of every C++ test. CTest runs each test case on its own by name
// (doctest_discover_tests), writing a comma in the name as "\,"; this doctest reads every comma of
// a filter as a separator, so such a test case matched nothing and "passed" without running. A
// comma of a filter is therefore matched as any one character ('?'), and a --test-case filter that
// runs no test case at all fails loudly instead of passing. (A ';' in a test case's name would be
// split by CMake into two tests that both match nothing: names use ',' instead.)
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <atomic>
#include <cstdio>
#include <string>
#include <vector>

namespace {

std::atomic<int> started_test_cases{0};

// Counts the test cases that start; reports nothing itself.
struct StartedCounter : doctest::IReporter {
    explicit StartedCounter(const doctest::ContextOptions&) {}
    void report_query(const doctest::QueryData&) override {}
    void test_run_start() override {}
    void test_run_end(const doctest::TestRunStats&) override {}
    void test_case_start(const doctest::TestCaseData&) override { ++started_test_cases; }
    void test_case_reenter(const doctest::TestCaseData&) override {}
    void test_case_end(const doctest::CurrentTestCaseStats&) override {}
    void test_case_exception(const doctest::TestCaseException&) override {}
    void subcase_start(const doctest::SubcaseSignature&) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData&) override {}
    void log_message(const doctest::MessageData&) override {}
    void test_case_skipped(const doctest::TestCaseData&) override {}
};

REGISTER_LISTENER("started_counter", 1, StartedCounter);

bool is_test_case_filter(const std::string& argument) {
    for (const char* prefix : {"--test-case=", "-tc=", "--dt-test-case=", "--dt-tc="})
        if (argument.rfind(prefix, 0) == 0) return true;
    return false;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> arguments(argv, argv + argc);
    bool filtered = false;
    for (auto& argument : arguments) {
        if (!is_test_case_filter(argument)) continue;
        filtered = true;
        for (size_t at; (at = argument.find("\\,")) != std::string::npos;) argument.replace(at, 2, "?");
    }
    std::vector<char*> pointers;
    for (auto& argument : arguments) pointers.push_back(argument.data());
    doctest::Context context(static_cast<int>(pointers.size()), pointers.data());
    int result = context.run();
    if (context.shouldExit()) return result;
    if (filtered && started_test_cases == 0) {
        std::fprintf(stderr, "no test case matches the --test-case filter: nothing ran\n");
        return 1;
    }
    return result;
}
