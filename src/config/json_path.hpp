// The location of a node in a configuration document, rendered for people:
// "criteria_config.base.subjects[1].tests[0].weight" or "criteria.json:base.weight".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace autograder::config_parsing {

class JsonPath {
public:
    // `prefix` is empty (the document root), a document label such as "criteria.json:", or the
    // path of a value given on its own, such as "template_name".
    explicit JsonPath(std::string prefix = {});

    JsonPath key(std::string_view name) const;
    JsonPath index(std::size_t position) const;
    const std::string& text() const noexcept { return text_; }

private:
    std::string text_;
    bool at_root_ = true;  // the next key is written without a leading dot
};

}  // namespace autograder::config_parsing
