#include "templates/static_analysis/structural_parameters.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "templates/parameter_reader.hpp"

namespace autograder::templates {

std::vector<ParameterProblem> reader_problems(const TestSpec& spec, const std::vector<ParameterDoc>& docs) {
    return ParameterReader(spec, docs).problems([](const ParameterReader& given, const ParameterDoc& doc) {
        if (doc.type == "string")
            given.text(doc.name, ParameterReader::Empty::refused);
        else if (doc.type == "integer")
            given.integer(doc.name);
        else if (doc.type == "list" && doc.name != "custom_rules")  // rules are objects, read on their own
            given.string_list(doc.name);
    });
}

analysis::Language language_value(std::string_view name, std::string_view parameter) {
    auto language = analysis::language_from_name(name);
    if (!language)
        throw std::invalid_argument(
            fmt::format("parameter '{}': unknown language '{}' (known: python, java, javascript, c, cpp, html, css)",
                        parameter, name));
    return *language;
}

analysis::Query compile_query(analysis::Language language, std::string_view source, std::string_view parameter) {
    try {
        return analysis::Query(language, source);
    } catch (const analysis::QueryError& e) {
        throw std::invalid_argument(fmt::format("{}: bad query: {} (byte offset {})", parameter, e.what(), e.offset()));
    }
}

uint32_t match_line(const analysis::QueryMatch& match) {
    uint32_t line = 0;
    for (const auto& capture : match.captures) {
        uint32_t at = ts_node_start_point(capture.node).row + 1;
        if (line == 0 || at < line) line = at;
    }
    return line;
}

}  // namespace autograder::templates
