#include "languages/command_line.hpp"

#include <stdexcept>

namespace autograder {

std::vector<std::string> split_command_line(std::string_view command) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    for (size_t i = 0; i < command.size(); ++i) {
        char c = command[i];
        if (c == ' ' || c == '\t' || c == '\n') {
            if (in_word) words.push_back(std::move(word));
            word.clear();
            in_word = false;
        } else if (c == '\'') {
            size_t end = command.find('\'', i + 1);
            if (end == std::string_view::npos)
                throw std::invalid_argument("unterminated ' in command: " + std::string(command));
            word.append(command.substr(i + 1, end - i - 1));
            in_word = true;
            i = end;
        } else if (c == '"') {
            in_word = true;
            for (++i;; ++i) {
                if (i >= command.size())
                    throw std::invalid_argument("unterminated \" in command: " + std::string(command));
                if (command[i] == '"') break;
                if (command[i] == '\\' && i + 1 < command.size() &&
                    (command[i + 1] == '"' || command[i + 1] == '\\' || command[i + 1] == '$' || command[i + 1] == '`'))
                    ++i;
                word.push_back(command[i]);
            }
        } else if (c == '\\' && i + 1 < command.size()) {
            word.push_back(command[++i]);
            in_word = true;
        } else {
            word.push_back(c);
            in_word = true;
        }
    }
    if (in_word) words.push_back(std::move(word));
    if (words.empty()) throw std::invalid_argument("empty command");
    return words;
}

}  // namespace autograder
