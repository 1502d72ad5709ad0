// The grading-time parameter reader follows the creation-time checks: the same docs (aliases,
// types, choices, bounds) decide what a value is, and what they refuse is refused with the same
// words ("parameter 'NAME' PROBLEM").
#include <stdexcept>

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
