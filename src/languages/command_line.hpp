// Splits a configured command ("gcc -o calc 'my file.c'") into argv the way a POSIX shell would
// split words (single and double quotes, backslash escapes), and does nothing else a shell does:
// no variables, globs, pipes or operators. Commands are never built by pasting file names into
// a shell string; a configuration that needs a shell says so: sh -c "a && b".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace autograder {

// Throws std::invalid_argument on an unterminated quote or an empty command.
std::vector<std::string> split_command_line(std::string_view command);

}  // namespace autograder
