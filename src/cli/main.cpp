// autograder: the command-line front of the engine.
#include <algorithm>
#include <iostream>
#include <iterator>
#include <map>
#include <string_view>
#include <utility>

#include <CLI/CLI.hpp>

#include "commands.hpp"

int main(int argc, char** argv) {
    CLI::App app{"autograder — grade untrusted code safely: sandboxed runs, rubrics, feedback"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("autograder ") + AUTOGRADER_VERSION);
    // Only the command named first on the line is built when it is one: building every command's
    // options, validators and help was most of the tool's own start. `autograder --help`, and a
    // line that names no command, get them all.
    using Adder = autograder::cli::Action (*)(CLI::App&);
    const std::pair<std::string_view, Adder> commands[] = {
        {"grade", autograder::cli::add_grade_command},           {"run", autograder::cli::add_run_command},
        {"check-host", autograder::cli::add_check_host_command}, {"validate", autograder::cli::add_validate_command},
        {"templates", autograder::cli::add_templates_command},   {"worker", autograder::cli::add_worker_command},
    };
    const std::string_view first = argc > 1 ? argv[1] : "";
    const bool names_one = std::any_of(std::begin(commands), std::end(commands),
                                       [&](const auto& command) { return command.first == first; });
    std::map<std::string, autograder::cli::Action, std::less<>> actions;
    for (const auto& [name, add] : commands)
        if (!names_one || name == first) actions.emplace(name, add(app));
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : 2;  // usage errors are 2, --help and --version 0
    }
    for (auto* command : app.get_subcommands())
        if (auto it = actions.find(command->get_name()); it != actions.end()) return it->second();
    return 2;
}
