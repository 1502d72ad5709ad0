#include "config/json_path.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace autograder::config_parsing {

namespace {

bool is_plain_key(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

}  // namespace

JsonPath::JsonPath(std::string prefix) : text_(std::move(prefix)), at_root_(text_.empty() || text_.back() == ':') {}

JsonPath JsonPath::key(std::string_view name) const {
    JsonPath child = *this;
    if (is_plain_key(name)) {
        if (!at_root_) child.text_ += '.';
        child.text_ += name;
    } else {
        // Keys with dots, spaces or quotes are written as ["..."] so the path stays unambiguous.
        // Invalid UTF-8 in a hostile key is replaced rather than allowed to throw.
        child.text_ += '[';
        child.text_ += nlohmann::json(std::string(name)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        child.text_ += ']';
    }
    child.at_root_ = false;
    return child;
}

JsonPath JsonPath::index(std::size_t position) const {
    JsonPath child = *this;
    child.text_ += '[';
    child.text_ += std::to_string(position);
    child.text_ += ']';
    child.at_root_ = false;
    return child;
}

}  // namespace autograder::config_parsing
