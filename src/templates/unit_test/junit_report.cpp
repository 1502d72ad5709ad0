// JUnit XML through pugixml: a DOM parser that never expands custom entities nor fetches
// anything, so a hostile report can neither blow up memory through entities nor reach files.
#include "templates/unit_test/junit_report.hpp"

#include <pugixml.hpp>

namespace autograder::templates {
namespace {

void collect_cases(const pugi::xml_node& suite, std::vector<JunitCase>& cases, std::size_t max_cases,
                   std::vector<std::string>& suites) {
    if (suites.size() > 32) throw std::runtime_error("the report nests test suites too deeply");
    for (const pugi::xml_node& child : suite.children()) {
        const std::string_view tag = child.name();
        if (tag == "testsuite") {
            suites.emplace_back(child.attribute("name").value());
            collect_cases(child, cases, max_cases, suites);
            suites.pop_back();
            continue;
        }
        if (tag != "testcase") continue;
        if (cases.size() >= max_cases) throw std::runtime_error("the report holds too many test cases");
        JunitCase test_case;
        test_case.classname = child.attribute("classname").value();
        test_case.name = child.attribute("name").value();
        test_case.suites = suites;
        // The first verdict element wins; a case without one passed.
        for (const pugi::xml_node& verdict : child.children()) {
            const std::string_view kind = verdict.name();
            JunitCase::Outcome outcome;
            if (kind == "failure")
                outcome = JunitCase::Outcome::failed;
            else if (kind == "error")
                outcome = JunitCase::Outcome::error;
            else if (kind == "skipped")
                outcome = JunitCase::Outcome::skipped;
            else
                continue;
            test_case.outcome = outcome;
            test_case.message = verdict.attribute("message").value();
            const std::string text = verdict.text().get();
            if (!text.empty()) test_case.message += (test_case.message.empty() ? "" : "\n\n") + text;
            break;
        }
        cases.push_back(std::move(test_case));
    }
}

}  // namespace

std::vector<JunitCase> parse_junit_report(std::string_view xml, std::size_t max_cases) {
    pugi::xml_document document;
    // parse_default without parse_doctype's contents: entity declarations are not honoured.
    const pugi::xml_parse_result parsed = document.load_buffer(xml.data(), xml.size(), pugi::parse_default);
    if (!parsed) throw std::runtime_error(std::string("the report is not valid XML: ") + parsed.description());
    const pugi::xml_node root = document.document_element();
    const std::string_view root_name = root.name();
    if (root_name != "testsuites" && root_name != "testsuite")
        throw std::runtime_error("the report is not a JUnit report (no <testsuites> or <testsuite>)");
    std::vector<JunitCase> cases;
    std::vector<std::string> suites;
    // A lone <testsuite> is then the document's only suite.
    collect_cases(root_name == "testsuite" ? pugi::xml_node(document) : root, cases, max_cases, suites);
    return cases;
}

}  // namespace autograder::templates
