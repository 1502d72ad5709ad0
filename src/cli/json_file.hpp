// Reading a JSON document a user named on the command line.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace autograder::cli {

// Throws std::runtime_error "cannot read WHAT PATH" or "WHAT PATH is not valid JSON: ...".
inline nlohmann::json read_json_file(const std::string& path, const char* what) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error(std::string("cannot read ") + what + " " + path);
    std::ostringstream text;
    text << in.rdbuf();
    try {
        return nlohmann::json::parse(text.str());
    } catch (const nlohmann::json::parse_error& e) {
        throw std::runtime_error(std::string(what) + " " + path + " is not valid JSON: " + e.what());
    }
}

}  // namespace autograder::cli
