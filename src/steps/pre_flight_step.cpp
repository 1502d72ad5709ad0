// PRE_FLIGHT: is the submission ready to be graded? All missing required files are reported
// together; assets are copied in; setup commands (or the language's own compile command) run in
// order in the sandbox, and the first that fails stops grading with a report a student can act on.
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "languages/command_line.hpp"
#include "steps/steps.hpp"
#include "templates/localized.hpp"
#include "templates/program_runs.hpp"
#include "text/utf8.hpp"

namespace autograder::steps {
namespace {

std::string title_of(const PipelineExecution& execution) {
    const auto& title = execution.pipeline.config().feedback.general.report_title;
    return "# " + (title ? *title : localized(execution, "Your submission could not be graded")) + "\n\n";
}

// The path of a submission file that has `required`'s name one or more folders down.
std::optional<std::string> nested_copy(const std::vector<SourceFile>& files, const std::string& required) {
    std::string suffix = "/" + required;
    for (const auto& file : files)
        if (file.path.size() > suffix.size() && file.path.ends_with(suffix)) return file.path;
    return std::nullopt;
}

std::string read_asset(const std::string& base, const std::string& source) {
    std::filesystem::path path = std::filesystem::path(base) / source;
    if (std::filesystem::is_symlink(std::filesystem::symlink_status(path)))
        throw std::runtime_error("asset '" + source + "' is a symlink");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read asset '" + source + "' (from " + path.string() + ")");
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

// One setup command as run: the command as configured (or our automatic compile) and its argv.
struct PlannedCommand {
    SetupCommand shown;
    std::vector<std::string> argv;
    bool compiles;  // the program is a compiler of the language table: its errors are compile errors
};

// The program names of every compile command of the language table ("gcc", "javac", ...).
std::set<std::string> compiler_names(const LanguageTable& languages) {
    std::set<std::string> names;
    for (const auto& key : languages.names())
        if (const Language* language = languages.find(key); language && !language->compile.empty())
            names.insert(std::filesystem::path(language->compile.front()).filename().string());
    return names;
}

// Every required file the submission lacks, reported together; nullopt when none is missing.
std::optional<StepOutcome> check_required_files(PipelineExecution& execution, const LanguageSetup* setup) {
    if (!setup) return std::nullopt;
    std::set<std::string> present;
    for (const auto& file : execution.submission.files) present.insert(file.path);
    std::vector<std::string> missing;
    for (const auto& required : setup->required_files)
        if (!present.count(required)) missing.push_back(required);
    if (missing.empty()) return std::nullopt;
    std::string report =
        title_of(execution) + localized(execution, "These required files are missing from your submission:") + "\n\n";
    for (const auto& file : missing) {
        report += "- `" + file + "`";
        // A nested upload (alice/fizz/main.py for main.py): say where the file is.
        if (auto found = nested_copy(execution.submission.files, file))
            report += localized(execution, " (found at `{}`: move it to the top folder of your submission)", *found);
        report += "\n";
    }
    report += "\n" + localized(execution, "Add them (with exactly these names and folders) and submit again.") + "\n";
    execution.preflight_report = report;
    return StepOutcome::failure(std::to_string(missing.size()) + " required file(s) missing",
                                {{"missing_files", missing}});
}

// Copies the configuration's assets (and the language's) into the sandbox; returns how many.
size_t copy_assets(const PipelineExecution& execution, const LanguageSetup* setup, Sandbox& sandbox) {
    const GradingConfig& config = execution.pipeline.config();
    std::vector<SetupAsset> assets = config.setup.assets;
    if (setup) assets.insert(assets.end(), setup->assets.begin(), setup->assets.end());
    for (const auto& asset : assets) {
        // A broken asset is the instructor's configuration, not the student's fault: it escapes
        // as an exception (INTERRUPTED) with the reason.
        std::string content = read_asset(execution.pipeline.options().assignment_directory, asset.source);
        sandbox.write_file(asset.target, content, false, asset.read_only);
    }
    return assets.size();
}

// Each command as configured (argv-split, never a shell) or, for a compiled language with no
// setup commands, the language's own compile command.
std::vector<PlannedCommand> plan_commands(const PipelineExecution& execution, const LanguageSetup* setup,
                                          const std::set<std::string>& compilers) {
    const LanguageTable& languages = execution.pipeline.options().languages;
    const Language& language = *execution.language;
    std::vector<PlannedCommand> commands;
    if ((!setup || setup->setup_commands.empty()) && !language.compile.empty()) {
        CommandContext context = command_context(language, execution.submission.files);
        context.memory_mb = languages.compile_limits.memory_bytes >> 20;
        auto argv = expand_command(language.compile, context);
        std::string text;
        for (const auto& word : argv) text += (text.empty() ? "" : " ") + word;
        commands.push_back({{"Compile", text}, argv, true});
        return commands;
    }
    if (!setup) return commands;
    for (const auto& command : setup->setup_commands) {
        try {
            auto argv = split_command_line(command.command);
            bool compiles = !argv.empty() && compilers.count(std::filesystem::path(argv.front()).filename().string());
            commands.push_back({command, std::move(argv), compiles});
        } catch (const std::invalid_argument& e) {
            throw std::runtime_error("setup command '" + command.name + "': " + e.what());
        }
    }
    return commands;
}

// The report a student reads when a setup command failed, and the step's failure.
StepOutcome command_failed(PipelineExecution& execution, const PlannedCommand& planned, bool automatic,
                           const RunReport& report) {
    const SetupCommand& command = planned.shown;
    // A compiler's output cut by the output cap may end inside a character: left out whole.
    std::string stderr_text(report.stderr_truncated ? text::without_cut_character(report.stderr_text)
                                                    : std::string_view(report.stderr_text));
    std::string stdout_text(report.stdout_truncated ? text::without_cut_character(report.stdout_text)
                                                    : std::string_view(report.stdout_text));
    const Locale locale = locale_of(execution);
    // The automatic compile step's name is ours; a setup command's is the teacher's.
    const std::string shown_name = automatic ? localized(locale, "Compile") : command.name;
    std::string hint =
        planned.compiles ? localized(locale,
                                     "Fix the errors the compiler reports above (the first one is usually the "
                                     "cause of the others), check that the program compiles on your machine, "
                                     "and submit again.")
                         : localized(locale, "Read the output above to see what went wrong, fix it and submit again.");
    execution.preflight_report =
        title_of(execution) + "## " + localized(locale, "The step “{}” failed", shown_name) + "\n\n" +
        localized(locale, "Command") + ": `" + command.command + "`\n\n" + localized(locale, "Exit code") + ": " +
        std::to_string(report.exit_code) +
        (report.status != RunStatus::runtime_error ? " — " + templates::explain_run(locale, report) : "") + "\n\n" +
        localized(locale, "Output") + ":\n\n" + templates::fenced(stderr_text + stdout_text, 8192) + "\n" + hint + "\n";
    std::string status = planned.compiles && report.status == RunStatus::runtime_error
                             ? "compile_error"
                             : std::string(to_string(report.status));
    return StepOutcome::failure("setup command '" + command.name + "' failed (" + status + ")",
                                {{"command", command.command},
                                 {"name", command.name},
                                 {"status", status},
                                 {"exit_code", report.exit_code},
                                 {"stdout", text::valid_utf8(stdout_text)},
                                 {"stderr", text::valid_utf8(stderr_text)}});
}

class PreFlight final : public Step {
public:
    explicit PreFlight(const LanguageTable& languages) : compilers_(compiler_names(languages)) {}

    std::string name() const override { return "PRE_FLIGHT"; }

    StepOutcome run(PipelineExecution& execution) const override {
        const GradingConfig& config = execution.pipeline.config();
        auto setup_it = config.setup.languages.find(execution.language_key);
        const LanguageSetup* setup = setup_it == config.setup.languages.end() ? nullptr : &setup_it->second;
        if (auto failure = check_required_files(execution, setup)) return *failure;

        Sandbox* sandbox = execution.sandbox_or_null();
        if (!sandbox) return StepOutcome::success("required files present");
        size_t assets = copy_assets(execution, setup, *sandbox);

        bool automatic = !setup || setup->setup_commands.empty();
        auto commands = plan_commands(execution, setup, compilers_);
        for (const auto& planned : commands) {
            RunRequest request;
            request.argv = planned.argv;
            request.stdin_data = std::string();
            request.env = execution.language->env;
            request.limits = execution.pipeline.options().languages.compile_limits;
            RunReport report = sandbox->run(request);
            if (report.status != RunStatus::ok) return command_failed(execution, planned, automatic, report);
        }
        return StepOutcome::success(std::to_string(commands.size()) + " setup command(s), " + std::to_string(assets) +
                                    " asset(s)");
    }

private:
    std::set<std::string> compilers_;  // per configuration: worked out when the pipeline is made
};

}  // namespace

std::shared_ptr<const Step> pre_flight(const LanguageTable& languages) {
    return std::make_shared<PreFlight>(languages);
}

bool needs_pre_flight(const GradingConfig& config, const LanguageTable& languages) {
    if (!config.setup.assets.empty()) return true;
    for (const auto& [key, setup] : config.setup.languages)
        if (!setup.required_files.empty() || !setup.setup_commands.empty() || !setup.assets.empty()) return true;
    // A compiled language with no setup commands is compiled by pre-flight itself.
    for (const auto& key : config.languages)
        if (const Language* language = languages.find(key); language && !language->compile.empty()) return true;
    return false;
}

}  // namespace autograder::steps
