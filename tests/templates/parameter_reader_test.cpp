// The grading-time parameter reader follows the creation-time checks: the same docs (aliases,
// types, choices, bounds) decide what a value is, and what they refuse is refused with the same
// words ("parameter 'NAME' PROBLEM").
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "autograder/templates.hpp"
#include "templates/parameter_reader.hpp"
#include "templates/program_runs.hpp"

using autograder::ParameterDoc;
using autograder::TestSpec;
using autograder::templates::ParameterReader;

namespace {

TestSpec spec_with(std::vector<autograder::TestParameter> parameters) {
    TestSpec spec;
    spec.name = spec.type = "t";
    spec.parameters = std::move(parameters);
    return spec;
}

std::vector<ParameterDoc> docs() {
    ParameterDoc input{"user_input", "text", false, "stdin"};
    input.aliases = {"input", "inputs"};
    ParameterDoc mode{"compare", "string", false, "mode"};
    mode.choices = {"exact", "regex"};
    ParameterDoc count{"count", "integer", false, "a count"};
    count.minimum = 0;
    ParameterDoc names{"names", "list", false, "names"};
    return {input, mode, count, names, {"flag", "boolean", false, "a flag"}};
}

}  // namespace

TEST_CASE("parameter reader: aliases, text as lines, whole numbers as text, one string as a list") {
    auto spec =
        spec_with({{"inputs", {"1", 2}}, {"compare", "regex"}, {"count", "3"}, {"names", "only"}, {"flag", false}});
    ParameterReader reader(spec, docs());
    CHECK(reader.text("user_input") == "1\n2\n");
    CHECK(reader.text_or("compare", "exact") == "regex");
    CHECK(reader.number("count") == 3);
    CHECK(reader.string_list("names") == std::vector<std::string>{"only"});
    CHECK_FALSE(reader.boolean_or("flag", true));
    const TestSpec nothing = spec_with({});
    ParameterReader empty(nothing, docs());
    CHECK(empty.text_or("compare", "exact") == "exact");
    CHECK_FALSE(empty.number("count").has_value());
    CHECK_THROWS_WITH_AS(empty.required_text("compare"), "missing parameter 'compare'", std::invalid_argument);
    CHECK_THROWS_AS(reader.text("undocumented"), std::logic_error);
}

TEST_CASE("parameter reader: what the creation-time checks refuse is refused with their words") {
    const TestSpec spec = spec_with({{"compare", "fuzzy"}, {"count", -1}, {"flag", "yes"}});
    ParameterReader reader(spec, docs());
    CHECK_THROWS_WITH_AS(reader.text("compare"), doctest::Contains("parameter 'compare' \"fuzzy\" is not one of"),
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(reader.number("count"), doctest::Contains("parameter 'count' must be at least 0"),
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(reader.boolean_or("flag", false), doctest::Contains("parameter 'flag' must be true or false"),
                         std::invalid_argument);
    // The run limits: bounds as documented (time_limit from 0.001 s), not a second set of rules.
    const TestSpec run = spec_with({{"time_limit", 0.0001}, {"memory_limit", 64}});
    ParameterReader limits(run, autograder::templates::program_run_parameter_docs());
    CHECK_THROWS_WITH_AS(limits.number("time_limit"),
                         doctest::Contains("parameter 'time_limit' must be at least 0.001"), std::invalid_argument);
    CHECK(limits.number("memory_limit") == 64);
}

TEST_CASE("parameter reader: whole numbers and counts as the docs bound them") {
    const TestSpec spec = spec_with({{"count", 3.0}});
    ParameterReader reader(spec, docs());
    CHECK(reader.integer("count") == 3);
    CHECK(reader.required_integer("count") == 3);
    CHECK(reader.count("count") == std::size_t{3});
    const TestSpec text_count = spec_with({{"count", "12"}});
    const TestSpec fraction = spec_with({{"count", 2.5}});
    CHECK(ParameterReader(text_count, docs()).count("count") == std::size_t{12});
    CHECK_THROWS_WITH_AS(ParameterReader(fraction, docs()).integer("count"),
                         doctest::Contains("parameter 'count' must be a whole number, not 2.5"), std::invalid_argument);
    const TestSpec nothing = spec_with({});
    CHECK_FALSE(ParameterReader(nothing, docs()).count("count").has_value());
    CHECK_THROWS_WITH_AS(ParameterReader(nothing, docs()).required_integer("count"), "missing parameter 'count'",
                         std::invalid_argument);
    // Only an "integer" is read as one, and a count only when its doc says 0 or more.
    CHECK_THROWS_AS(reader.integer("compare"), std::logic_error);
    std::vector<ParameterDoc> unbounded = {{"count", "integer", false, "no minimum"}};
    CHECK_THROWS_AS(ParameterReader(spec, unbounded).count("count"), std::logic_error);
}

TEST_CASE("parameter reader: empty strings and lists refused when the function asks") {
    using Empty = ParameterReader::Empty;
    const TestSpec spec = spec_with({{"compare", ""}, {"names", nlohmann::json::array()}});
    std::vector<ParameterDoc> plain = {{"compare", "string", false, "any text"}, {"names", "list", false, "names"}};
    ParameterReader reader(spec, plain);
    CHECK(reader.text("compare") == "");
    CHECK(reader.string_list("names") == std::vector<std::string>{});
    CHECK_THROWS_WITH_AS(reader.text("compare", Empty::refused), "parameter 'compare' must be a non-empty string",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(reader.string_list("names", Empty::refused), "parameter 'names' must not be an empty list",
                         std::invalid_argument);
    const TestSpec items = spec_with({{"names", {"a", ""}}});
    const TestSpec numbers = spec_with({{"names", {1}}});
    const TestSpec nothing = spec_with({});
    CHECK(ParameterReader(items, plain).required_string_list("names") == std::vector<std::string>{"a", ""});
    CHECK_THROWS_WITH_AS(ParameterReader(items, plain).string_list("names", Empty::refused),
                         "parameter 'names' must be a list of non-empty strings", std::invalid_argument);
    CHECK_THROWS_WITH_AS(ParameterReader(numbers, plain).string_list("names"),
                         "parameter 'names' must be a list of strings", std::invalid_argument);
    CHECK_THROWS_WITH_AS(ParameterReader(nothing, plain).required_string_list("names"), "missing parameter 'names'",
                         std::invalid_argument);
}

TEST_CASE("parameter reader: problems() reads each given parameter and names the ones refused") {
    const TestSpec spec = spec_with({{"compare", "fuzzy"}, {"names", {""}}, {"count", 2}});
    ParameterReader reader(spec, docs());
    auto problems = reader.problems([](const ParameterReader& given, const ParameterDoc& doc) {
        if (doc.type == "list") given.string_list(doc.name, ParameterReader::Empty::refused);
    });
    // "compare" is refused by its doc (a choice), "names" by the read; "count" is fine, the
    // others are not given.
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].parameter == "compare");
    CHECK(problems[0].message.find("is not one of") != std::string::npos);
    CHECK(problems[1].parameter == "names");
    CHECK(problems[1].message == "parameter 'names' must be a list of non-empty strings");
}
