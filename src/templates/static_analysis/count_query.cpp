// count_query: a raw tree-sitter query from the configuration, its matches (or the captures of
// one name) counted over the submission's files and compared with min/max.
#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "analysis/syntax_tree.hpp"
#include "autograder/pipeline.hpp"
#include "templates/localized.hpp"
#include "templates/parameter_reader.hpp"
#include "templates/parsed_files.hpp"
#include "templates/static_analysis/structural_checks.hpp"
#include "templates/static_analysis/structural_parameters.hpp"

namespace autograder::templates {
namespace {

constexpr std::size_t kLinesListed = 20;  // per file, in the report

class CountQuery final : public TestFunction {
public:
    std::string key() const override { return "count_query"; }
    std::string description() const override {
        return "Counts the matches of a tree-sitter query (or the captures of one name) over the files: 100 when "
               "the count is within min/max, else 0; the report gives the count and the lines.";
    }
    std::vector<ParameterDoc> parameters() const override {
        ParameterDoc language{"language", "string", false,
                              "the grammar the query is written for; only files in that language are counted. "
                              "Default: the language of the file named by `file`, else the submission's language, "
                              "else each file's own"};
        language.choices = {"python", "py", "java", "javascript", "node", "js", "c", "cpp", "c++", "html", "css"};
        ParameterDoc min{"min", "integer", false, "the fewest allowed (at least one of min and max)"};
        ParameterDoc max{"max", "integer", false, "the most allowed"};
        min.minimum = max.minimum = 0;
        return {{"query", "string", true,
                 "a tree-sitter S-expression query, e.g. `(call function: (identifier) @f (#eq? @f \"print\"))`; "
                 "predicates #eq?, #not-eq?, #match?, #not-match?. One that does not compile scores 0 with the "
                 "error and its byte offset"},
                language,
                {"capture", "string", false, "count the captures of this name (without @) instead of the matches"},
                min,
                max};
    }
    bool parameters_complete() const override { return true; }
    std::vector<ParameterProblem> check_parameters(const TestSpec& spec) const override {
        std::vector<ParameterProblem> problems = reader_problems(spec, parameters());
        auto given = [&](std::string_view name) { return spec.parameter(name) && !spec.parameter(name)->is_null(); };
        if (!given("min") && !given("max")) problems.push_back({"", "give 'min', 'max' or both"});
        // With its language known, the query is compiled now: a typo is the teacher's to fix.
        const auto* language = spec.parameter("language");
        const auto* query = spec.parameter("query");
        if (language && language->is_string() && query && query->is_string()) {
            try {
                auto grammar = analysis::language_from_name(language->get<std::string>());
                if (grammar) compile_query(*grammar, query->get<std::string>(), "query");
            } catch (const std::invalid_argument& e) {
                problems.push_back({"query", e.what()});
            }
        }
        return problems;
    }
    bool needs_syntax_trees() const override { return true; }
    TestOutcome run(const TestContext& context) const override {
        const auto& spec = context.spec;
        const ParameterReader given(spec, parameters());
        std::string text = given.required_text("query", ParameterReader::Empty::refused);
        auto language_name = given.text("language", ParameterReader::Empty::refused);
        auto capture = given.text("capture", ParameterReader::Empty::refused);
        auto min = given.count("min");
        auto max = given.count("max");
        if (!min && !max) throw std::invalid_argument("give 'min', 'max' or both");
        if (min && max && *min > *max)
            throw std::invalid_argument(fmt::format("'min' ({}) is above 'max' ({})", *min, *max));

        std::optional<analysis::Language> language;
        if (language_name) {
            language = language_value(*language_name, "language");
        } else if (!spec.file) {
            language = analysis::language_from_name(context.execution.language_key);  // nullopt: each file's own
        }
        auto files = language ? parsed_files(context, {*language}) : parsed_files(context);

        std::map<analysis::Language, analysis::Query> queries;
        auto query_for = [&](analysis::Language l) -> const analysis::Query& {
            auto it = queries.find(l);
            if (it != queries.end()) return it->second;
            analysis::Query query = compile_query(l, text, "query");
            if (capture) {
                auto names = query.capture_names();
                if (std::find(names.begin(), names.end(), *capture) == names.end())
                    throw std::invalid_argument(
                        fmt::format("parameter 'capture': the query has no capture @{} ({})", *capture,
                                    names.empty() ? std::string("it captures nothing")
                                                  : fmt::format("captures: @{}", fmt::join(names, ", @"))));
            }
            return queries.emplace(l, std::move(query)).first->second;
        };
        if (language) query_for(*language);  // a bad query is reported even when no file is in that language

        std::size_t count = 0;
        std::vector<std::string> where;
        for (const auto* parsed : files) {
            const analysis::Query& query = query_for(parsed->tree.language());
            std::vector<uint32_t> lines;
            for (const auto& match : query.matches(parsed->tree)) {
                if (!capture) {
                    lines.push_back(match_line(match));
                    continue;
                }
                for (const auto& c : match.captures)
                    if (c.name == *capture) lines.push_back(ts_node_start_point(c.node).row + 1);
            }
            count += lines.size();
            if (lines.empty()) continue;
            std::sort(lines.begin(), lines.end());
            bool more = lines.size() > kLinesListed;
            if (more) lines.resize(kLinesListed);
            const std::string shown = fmt::format("{}{}", fmt::join(lines, ", "), more ? ", ..." : "");
            where.push_back(lines.size() == 1 ? localized(context, "`{}` line {}", parsed->file->path, shown)
                                              : localized(context, "`{}` lines {}", parsed->file->path, shown));
        }

        std::string bounds = min && max ? localized(context, "between {} and {}", *min, *max)
                             : min      ? localized(context, "at least {}", *min)
                                        : localized(context, "at most {}", *max);
        std::string found = where.empty() ? "" : fmt::format(" ({})", fmt::join(where, "; "));
        std::string report =
            capture
                ? (count == 1
                       ? localized(context, "@{} was captured {} time{}; expected {}.", *capture, count, found, bounds)
                       : localized(context, "@{} was captured {} times{}; expected {}.", *capture, count, found,
                                   bounds))
                : (count == 1 ? localized(context, "The query matched {} time{}; expected {}.", count, found, bounds)
                              : localized(context, "The query matched {} times{}; expected {}.", count, found, bounds));
        bool within = (!min || count >= *min) && (!max || count <= *max);
        return {within ? 100.0 : 0.0, report + syntax_error_note(context, files), std::nullopt};
    }
};

}  // namespace

std::shared_ptr<const TestFunction> count_query_function() {
    return std::make_shared<CountQuery>();
}

}  // namespace autograder::templates
