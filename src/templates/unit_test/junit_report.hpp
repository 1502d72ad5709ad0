// Reading a JUnit XML report (the format pytest --junitxml, the JUnit console launcher and many
// other runners write) into the cases of a suite. The report comes out of a sandbox: it is
// untrusted, size-capped by the caller, and parsed without entity expansion or external lookups.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace autograder::templates {

struct JunitCase {
    std::string classname;  // "test_calc" or "test_calc.TestMore"
    std::string name;       // "test_add"
    // The names of the <testsuite> elements around the case, outermost first ("pytest"; node's
    // describe() blocks).
    std::vector<std::string> suites;
    enum class Outcome { passed, failed, error, skipped } outcome = Outcome::passed;
    std::string message;  // the failure's message and text (empty when passed)
};

// Throws std::runtime_error when the text is not a JUnit report (bad XML, no <testsuite>), or
// holds more than `max_cases` cases.
std::vector<JunitCase> parse_junit_report(std::string_view xml, std::size_t max_cases = 10000);

}  // namespace autograder::templates
