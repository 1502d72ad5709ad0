// autograder: the command-line front of the engine.
#include <iostream>
#include <map>

#include <CLI/CLI.hpp>

#include "commands.hpp"

int main(int argc, char** argv) {
    CLI::App app{"autograder — grade untrusted code safely: sandboxed runs, rubrics, feedback"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("autograder ") + AUTOGRADER_VERSION);
    std::map<std::string, autograder::cli::Action> actions{
        {"grade", autograder::cli::add_grade_command(app)},
        {"run", autograder::cli::add_run_command(app)},
        {"check-host", autograder::cli::add_check_host_command(app)},
        {"validate", autograder::cli::add_validate_command(app)},
        {"templates", autograder::cli::add_templates_command(app)},
        {"worker", autograder::cli::add_worker_command(app)},
    };
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
