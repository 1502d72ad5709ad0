// Parses and validates the criteria tree (docs/configuration.md, "Criteria").
#include <algorithm>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "config/section_parsers.hpp"
#include "config/value_readers.hpp"

namespace autograder::config_parsing {

namespace {

constexpr std::string_view kTestReservedKeys[] = {"name", "type", "file", "weight", "parameters", "visibility"};

// "visibility": "visible" | "hidden" | "after_due_date" on a test, subject or category.
void read_visibility(const nlohmann::json& node, const JsonPath& path, Visibility& visibility, IssueList& issues) {
    auto found = node.find("visibility");
    if (found == node.end() || found->is_null()) return;
    if (found->is_string()) {
        if (auto parsed = visibility_from_string(found->get<std::string>())) {
            visibility = *parsed;
            return;
        }
    }
    issues.error(path.key("visibility"), "must be \"visible\", \"hidden\" or \"after_due_date\"");
}

bool is_reserved_test_key(std::string_view key) {
    return std::find(std::begin(kTestReservedKeys), std::end(kTestReservedKeys), key) != std::end(kTestReservedKeys);
}

class CriteriaParser {
public:
    CriteriaParser(const TestCatalog& catalog, const std::vector<std::string>& template_names, IssueList& issues)
        : catalog_(catalog), template_names_(template_names), issues_(issues) {}

    CriteriaConfig parse(const nlohmann::json& criteria, const JsonPath& path) {
        CriteriaConfig config;
        if (!expect_object(criteria, path, issues_)) return config;
        for (const auto& [key, value] : criteria.items()) {
            // `test_library` names the reference engine's Python test module: accepted (old rubrics
            // carry it) and ignored, as the reference itself does.
            if (key == "test_library") continue;
            if (key != "base" && key != "bonus" && key != "penalty")
                issues_.error(path.key(key),
                              fmt::format("unknown category '{}' (expected base, bonus or penalty)", key));
        }
        if (auto base = criteria.find("base"); base != criteria.end())
            config.base = parse_node(*base, path.key("base"), "base", NodeKind::category);
        else
            issues_.error(path, "the 'base' category is required");
        for (const char* optional_category : {"bonus", "penalty"}) {
            auto found = criteria.find(optional_category);
            if (found == criteria.end() || found->is_null()) continue;
            auto node = parse_node(*found, path.key(optional_category), optional_category, NodeKind::category);
            (std::string_view(optional_category) == "bonus" ? config.bonus : config.penalty) = std::move(node);
        }
        return config;
    }

private:
    enum class NodeKind { category, subject };

    CriteriaNode parse_node(const nlohmann::json& json, const JsonPath& path, std::string name, NodeKind kind) {
        CriteriaNode node;
        node.name = std::move(name);
        if (!expect_object(json, path, issues_)) return node;

        for (const auto& [key, value] : json.items()) {
            const bool known = key == "weight" || key == "subjects" || key == "tests" || key == "subjects_weight" ||
                               key == "visibility" || (kind == NodeKind::subject && key == "subject_name");
            if (!known) issues_.warning(path.key(key), fmt::format("unknown key '{}' is ignored", key));
        }

        if (kind == NodeKind::subject) {
            if (auto found = json.find("subject_name"); found != json.end()) {
                if (auto subject_name = read_non_empty_string(*found, path.key("subject_name"), issues_))
                    node.name = std::move(*subject_name);
            } else {
                issues_.error(path, "a subject needs a 'subject_name'");
            }
        }

        read_visibility(json, path, node.visibility, issues_);

        // A category's weight scales bonus and penalty; base defaults to 100 (it does not scale
        // the final score). Bonus and penalty must say how much they are worth.
        if (auto found = json.find("weight"); found != json.end()) {
            if (auto weight = read_weight(*found, path.key("weight"), issues_, true)) node.weight = *weight;
        } else if (kind == NodeKind::category && node.name != "base") {
            issues_.error(path, fmt::format("the '{}' category needs a 'weight'", node.name));
        }

        if (auto found = json.find("subjects"); found != json.end()) {
            const auto subjects_path = path.key("subjects");
            if (found->is_array()) {
                for (std::size_t i = 0; i < found->size(); ++i)
                    node.subjects.push_back(parse_node((*found)[i], subjects_path.index(i), {}, NodeKind::subject));
            } else {
                issues_.error(subjects_path,
                              fmt::format("expected a list of subjects, found {}", describe_type(*found)));
            }
        }
        if (auto found = json.find("tests"); found != json.end()) {
            const auto tests_path = path.key("tests");
            if (found->is_array()) {
                for (std::size_t i = 0; i < found->size(); ++i)
                    node.tests.push_back(parse_test((*found)[i], tests_path.index(i)));
            } else {
                issues_.error(tests_path, fmt::format("expected a list of tests, found {}", describe_type(*found)));
            }
        }

        const bool has_subjects = json.contains("subjects") && !node.subjects.empty();
        const bool has_tests = json.contains("tests") && !node.tests.empty();
        const bool children_malformed = (json.contains("subjects") && !json["subjects"].is_array()) ||
                                        (json.contains("tests") && !json["tests"].is_array());
        if (!has_subjects && !has_tests && !children_malformed)
            issues_.error(path, "needs at least one test or subject");

        if (auto found = json.find("subjects_weight"); found != json.end()) {
            const auto weight_path = path.key("subjects_weight");
            if (auto subjects_weight = read_weight(*found, weight_path, issues_, true)) {
                node.subjects_weight = *subjects_weight;
                if (has_subjects && has_tests && *subjects_weight == 0)
                    issues_.error(weight_path, "must be greater than 0 on a node with both subjects and tests");
            }
        } else if (has_subjects && has_tests) {
            issues_.error(path, "'subjects_weight' is required on a node with both subjects and tests");
        }
        return node;
    }

    TestSpec parse_test(const nlohmann::json& json, const JsonPath& path) {
        TestSpec test;
        test.path = path.text();
        if (!expect_object(json, path, issues_)) return test;

        if (auto found = json.find("name"); found != json.end()) {
            if (auto name = read_non_empty_string(*found, path.key("name"), issues_)) test.name = std::move(*name);
        }
        if (auto found = json.find("type"); found != json.end()) {
            if (auto type = read_non_empty_string(*found, path.key("type"), issues_)) test.type = std::move(*type);
        }
        if (!json.contains("name") && !json.contains("type"))
            issues_.error(path, "a test needs a 'name' (or a 'type')");
        if (test.type.empty()) test.type = test.name;
        if (test.name.empty()) test.name = test.type;

        if (auto found = json.find("file"); found != json.end() && !found->is_null()) {
            if (auto file = read_non_empty_string(*found, path.key("file"), issues_); file && *file != "all")
                test.file = std::move(*file);
        }
        if (auto found = json.find("weight"); found != json.end()) {
            if (auto weight = read_weight(*found, path.key("weight"), issues_, false)) test.weight = *weight;
        }

        read_visibility(json, path, test.visibility, issues_);

        std::set<std::string, std::less<>> seen_parameters;
        auto add_parameter = [&](std::string name, nlohmann::json value, const JsonPath& where,
                                 const JsonPath& value_path) {
            if (!seen_parameters.insert(name).second) {
                issues_.error(where, fmt::format("parameter '{}' is given more than once", name));
                return;
            }
            test.parameters.push_back({std::move(name), std::move(value), value_path.text()});
        };
        if (auto found = json.find("parameters"); found != json.end() && !found->is_null()) {
            const auto list_path = path.key("parameters");
            if (found->is_array()) {
                for (std::size_t i = 0; i < found->size(); ++i) {
                    const auto& entry = (*found)[i];
                    const auto entry_path = list_path.index(i);
                    if (!expect_object(entry, entry_path, issues_)) continue;
                    auto name_it = entry.find("name");
                    if (name_it == entry.end()) {
                        issues_.error(entry_path, "a parameter needs a 'name'");
                        continue;
                    }
                    auto name = read_non_empty_string(*name_it, entry_path.key("name"), issues_);
                    if (!name) continue;
                    auto value_it = entry.find("value");
                    if (value_it == entry.end()) {
                        issues_.error(entry_path, fmt::format("parameter '{}' needs a 'value'", *name));
                        continue;
                    }
                    for (const auto& [key, ignored] : entry.items())
                        if (key != "name" && key != "value")
                            issues_.warning(entry_path.key(key), fmt::format("unknown key '{}' is ignored", key));
                    add_parameter(std::move(*name), *value_it, entry_path, entry_path.key("value"));
                }
            } else {
                issues_.error(list_path, fmt::format("expected a list of {{\"name\", \"value\"}} objects, found {}",
                                                     describe_type(*found)));
            }
        }
        for (const auto& [key, value] : json.items()) {
            if (is_reserved_test_key(key)) continue;
            add_parameter(key, value, path.key(key), path.key(key));
        }

        if (!test.type.empty()) resolve_test_function(test, path.key(json.contains("type") ? "type" : "name"));
        return test;
    }

    void resolve_test_function(TestSpec& test, const JsonPath& key_path) {
        if (!catalog_.has_test) return;
        for (const auto& template_name : template_names_) {
            if (catalog_.has_test(template_name, test.type)) {
                test.template_name = template_name;
                return;
            }
        }
        if (template_names_.empty()) return;  // the missing template is reported on its own
        std::string searched;
        for (const auto& template_name : template_names_) searched += (searched.empty() ? "" : ", ") + template_name;
        issues_.error(key_path,
                      fmt::format("unknown test function '{}' (searched templates: {})", test.type, searched));
    }

    const TestCatalog& catalog_;
    const std::vector<std::string>& template_names_;
    IssueList& issues_;
};

}  // namespace

CriteriaConfig parse_criteria(const nlohmann::json& criteria, const JsonPath& path, const TestCatalog& catalog,
                              const std::vector<std::string>& template_names, IssueList& issues) {
    return CriteriaParser(catalog, template_names, issues).parse(criteria, path);
}

}  // namespace autograder::config_parsing
