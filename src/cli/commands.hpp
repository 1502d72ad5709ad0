// The subcommands of the `autograder` CLI. Each registers its options on the app and returns the
// exit code to use once parsing succeeded.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace autograder::cli {

// 0: a report was produced (whatever its status); 1: the engine failed; 2: usage error.
using Action = std::function<int()>;

Action add_run_command(CLI::App& app);
Action add_check_host_command(CLI::App& app);
Action add_grade_command(CLI::App& app);
Action add_validate_command(CLI::App& app);
Action add_templates_command(CLI::App& app);
Action add_worker_command(CLI::App& app);

}  // namespace autograder::cli
