// The C ABI (autograder.h) over the C++ API. Each function checks its arguments, reads its JSON
// through json_requests.hpp, and runs inside guarded() so that no exception reaches C.
#include <chrono>
#include <memory>
#include <string>

#include "autograder.h"
#include "autograder/execute.hpp"
#include "autograder/export.hpp"
#include "autograder/pipeline.hpp"
#include "autograder/sandbox_pool.hpp"
#include "autograder/submission_reader.hpp"
#include "autograder/templates.hpp"
#include "boundary.hpp"
#include "handles.hpp"
#include "json_requests.hpp"
#include "text/utf8.hpp"

namespace autograder::c_abi {

std::string& last_error() noexcept {
    thread_local std::string message;
    return message;
}

int fail(int status, const char* message) noexcept {
    try {
        // Messages quote what callers and submissions sent (paths, names): valid UTF-8 only.
        last_error() = autograder::text::valid_utf8(message);
    } catch (...) {
        last_error().clear();  // out of memory for the message: the status code still says it
    }
    return status;
}

int fail_config(const ConfigError& error) noexcept {
    try {
        const auto& issues = error.issues();
        std::string text = "invalid grading configuration (" + std::to_string(issues.size()) +
                           (issues.size() == 1 ? " problem)" : " problems)");
        for (const auto& issue : issues) text += "\n" + issue.path + ": " + issue.message;
        return fail(AG_ERROR_CONFIG, text.c_str());
    } catch (...) {
        return fail(AG_ERROR_CONFIG, error.what());
    }
}

nlohmann::json issues_json(const std::vector<ConfigIssue>& issues) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& issue : issues) list.push_back({{"path", issue.path}, {"message", issue.message}});
    return list;
}

}  // namespace autograder::c_abi

using autograder::c_abi::AbiError;
using autograder::c_abi::copy_for_caller;
using autograder::c_abi::guarded;
using autograder::c_abi::parse_document;
using autograder::c_abi::require;

namespace {

// Clears an output pointer up front, so that it is NULL whenever the call fails.
template <class T>
void reset_output(T** out, const char* argument_name) {
    require(out, argument_name);
    *out = nullptr;
}

}  // namespace

extern "C" {

int ag_abi_version(void) {
    return AG_ABI_VERSION;
}

const char* ag_version(void) {
    return AUTOGRADER_VERSION;
}

const char* ag_last_error(void) {
    return autograder::c_abi::last_error().c_str();
}

void ag_free(void* string) {
    std::free(string);
}

int ag_templates_json(char** out_json) {
    return guarded([&] {
        reset_output(out_json, "out_json");
        *out_json =
            copy_for_caller(autograder::text::json_text(autograder::TemplateRegistry::with_defaults().describe()));
        return AG_OK;
    });
}

int ag_pipeline_create(const char* config_json, const char* options_json, ag_pipeline** out) {
    return guarded([&] {
        reset_output(out, "out");
        auto config = parse_document(config_json, "config_json");
        auto options = autograder::c_abi::read_pipeline_options(
            options_json ? parse_document(options_json, "options_json") : nlohmann::json());
        auto handle = std::make_unique<ag_pipeline>();
        handle->pipeline = autograder::Pipeline::create(config, std::move(options));
        *out = handle.release();
        return AG_OK;
    });
}

void ag_pipeline_destroy(ag_pipeline* pipeline) {
    delete pipeline;
}

int ag_submission_read(const char* paths_json, char** submission_json) {
    return guarded([&] {
        reset_output(submission_json, "submission_json");
        auto paths = parse_document(paths_json, "paths_json");
        if (!paths.is_array() || paths.empty())
            throw AbiError(AG_ERROR_INVALID_ARGUMENT, "paths_json must be a non-empty list of paths");
        std::vector<std::string> arguments;
        for (const auto& path : paths) {
            if (!path.is_string() || path.get_ref<const std::string&>().empty())
                throw AbiError(AG_ERROR_INVALID_ARGUMENT, "paths_json: each path must be a non-empty string");
            arguments.push_back(path.get<std::string>());
        }
        std::vector<autograder::SourceFile> files;
        try {
            files = autograder::read_submission_files(arguments);
        } catch (const std::runtime_error& e) {  // SubmissionReadError, or the file system's own
            throw AbiError(AG_ERROR_INVALID_ARGUMENT, e.what());
        }
        *submission_json =
            copy_for_caller(autograder::text::json_text(autograder::c_abi::submission_files_json(files)));
        return AG_OK;
    });
}

int ag_config_check(const char* config_json, const char* options_json, char** out_json) {
    return guarded([&] {
        reset_output(out_json, "out_json");
        auto config = parse_document(config_json, "config_json");
        auto options = autograder::c_abi::read_pipeline_options(
            options_json ? parse_document(options_json, "options_json") : nlohmann::json());
        nlohmann::json report = {
            {"valid", true}, {"problems", nlohmann::json::array()}, {"warnings", nlohmann::json::array()}};
        try {
            auto pipeline = autograder::Pipeline::create(config, std::move(options));
            report["warnings"] = autograder::c_abi::issues_json(pipeline->warnings());
        } catch (const autograder::ConfigError& error) {
            report["valid"] = false;
            report["problems"] = autograder::c_abi::issues_json(error.issues());
        }
        *out_json = copy_for_caller(autograder::text::json_text(report));
        return AG_OK;
    });
}

int ag_pipeline_warnings_json(const ag_pipeline* pipeline, char** out_json) {
    return guarded([&] {
        reset_output(out_json, "out_json");
        require(pipeline, "pipeline");
        *out_json = copy_for_caller(
            autograder::text::json_text(autograder::c_abi::issues_json(pipeline->pipeline->warnings())));
        return AG_OK;
    });
}

int ag_pipeline_grade(const ag_pipeline* pipeline, const char* submission_json, char** result_json) {
    return guarded([&] {
        reset_output(result_json, "result_json");
        require(pipeline, "pipeline");
        auto submission = autograder::c_abi::read_submission(parse_document(submission_json, "submission_json"));
        if (!submission.language.empty())
            autograder::c_abi::find_language(pipeline->pipeline->options().languages, submission.language);
        auto result = pipeline->pipeline->grade(submission);
        *result_json = copy_for_caller(autograder::text::json_text(result.to_json()));
        return AG_OK;
    });
}

int ag_render_result(const char* result_json, const char* format, char** out_text) {
    return guarded([&] {
        reset_output(out_text, "out_text");
        require(format, "format");
        auto document = parse_document(result_json, "result_json");
        auto chosen = autograder::report_format_from_string(format);
        if (!chosen)
            throw AbiError(AG_ERROR_INVALID_ARGUMENT,
                           std::string("unknown format '") + format + "' (json, markdown, gradescope, junit, tap)");
        try {
            *out_text = copy_for_caller(autograder::render_result(document, *chosen));
        } catch (const std::invalid_argument& e) {
            throw AbiError(AG_ERROR_INVALID_ARGUMENT, std::string("result_json: ") + e.what());
        }
        return AG_OK;
    });
}

int ag_pipeline_grade_for(const ag_pipeline* pipeline, const char* submission_json, const char* audience,
                          char** result_json) {
    return guarded([&] {
        reset_output(result_json, "result_json");
        require(pipeline, "pipeline");
        require(audience, "audience");
        auto parsed_audience = autograder::audience_from_string(audience);
        if (!parsed_audience)
            throw AbiError(AG_ERROR_INVALID_ARGUMENT,
                           "audience must be \"teacher\", \"student\" or \"student_after_due_date\"");
        auto submission = autograder::c_abi::read_submission(parse_document(submission_json, "submission_json"));
        if (!submission.language.empty())
            autograder::c_abi::find_language(pipeline->pipeline->options().languages, submission.language);
        auto result = pipeline->pipeline->grade(submission);
        *result_json = copy_for_caller(autograder::text::json_text(result.to_json(*parsed_audience)));
        return AG_OK;
    });
}

int ag_sandbox_pool_create(const char* settings_json, ag_sandbox_pool** out) {
    return guarded([&] {
        reset_output(out, "out");
        auto settings = autograder::c_abi::read_pool_settings(
            settings_json ? parse_document(settings_json, "settings_json") : nlohmann::json());
        auto handle = std::make_unique<ag_sandbox_pool>();
        handle->pool = std::make_shared<autograder::SandboxPool>(std::move(settings));
        *out = handle.release();
        return AG_OK;
    });
}

void ag_sandbox_pool_destroy(ag_sandbox_pool* pool) {
    delete pool;
}

int ag_sandbox_pool_acquire(ag_sandbox_pool* pool, const char* language, int64_t timeout_ms, ag_sandbox** out) {
    return guarded([&] {
        reset_output(out, "out");
        require(pool, "pool");
        require(language, "language");
        if (timeout_ms < 0) throw AbiError(AG_ERROR_INVALID_ARGUMENT, "timeout_ms must be >= 0");
        const auto& found = autograder::c_abi::find_language(pool->pool->languages(), language);
        auto handle = std::make_unique<ag_sandbox>();
        handle->pool = pool->pool;
        handle->language = &found;
        const auto start = std::chrono::steady_clock::now();
        try {
            handle->lease = pool->pool->acquire(found.name, std::chrono::milliseconds(timeout_ms));
        } catch (const autograder::SandboxError& e) {
            // The pool throws one error type for every failure; one that comes after the whole
            // timeout has passed is the timeout (a sandbox that cannot be made fails sooner).
            if (std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(timeout_ms))
                throw AbiError(AG_ERROR_TIMEOUT, e.what());
            throw;
        }
        *out = handle.release();
        return AG_OK;
    });
}

int ag_sandbox_pool_stats_json(const ag_sandbox_pool* pool, char** out_json) {
    return guarded([&] {
        reset_output(out_json, "out_json");
        require(pool, "pool");
        *out_json = copy_for_caller(autograder::text::json_text(pool->pool->stats().to_json()));
        return AG_OK;
    });
}

int ag_sandbox_write_file(ag_sandbox* sandbox, const char* path, const char* content, size_t size, int executable) {
    return guarded([&] {
        require(sandbox, "sandbox");
        require(path, "path");
        if (size > 0) require(content, "content");
        sandbox->sandbox().write_file(path, std::string_view(content ? content : "", size), executable != 0);
        return AG_OK;
    });
}

int ag_sandbox_read_file(ag_sandbox* sandbox, const char* path, int64_t max_bytes, char** content, size_t* size) {
    return guarded([&] {
        reset_output(content, "content");
        require(size, "size");
        *size = 0;
        require(sandbox, "sandbox");
        require(path, "path");
        const std::string bytes =
            max_bytes > 0 ? sandbox->sandbox().read_file(path, max_bytes) : sandbox->sandbox().read_file(path);
        *content = copy_for_caller(bytes);
        *size = bytes.size();
        return AG_OK;
    });
}

int ag_sandbox_run(ag_sandbox* sandbox, const char* request_json, char** report_json) {
    return guarded([&] {
        reset_output(report_json, "report_json");
        require(sandbox, "sandbox");
        auto request =
            autograder::c_abi::read_run_request(parse_document(request_json, "request_json"), *sandbox->language);
        *report_json = copy_for_caller(autograder::text::json_text(sandbox->sandbox().run(request).to_json()));
        return AG_OK;
    });
}

void ag_sandbox_release(ag_sandbox* sandbox) {
    // A borrowed sandbox belongs to the grading that lent it (documented no-op).
    if (sandbox && sandbox->borrowed) return;
    // Destroying a sandbox does not throw (its destructor is noexcept), so neither does this.
    delete sandbox;
}

int ag_execute(const char* request_json, char** result_json) {
    return guarded([&] {
        reset_output(result_json, "result_json");
        const auto& table = autograder::LanguageTable::defaults();
        auto request = autograder::c_abi::read_execute_request(parse_document(request_json, "request_json"), table);
        auto sandbox = autograder::Sandbox::create(sandbox_options_for(table, *request.language));
        auto result = autograder::execute(*sandbox, table, *request.language, request.files, request.options);
        *result_json = copy_for_caller(autograder::text::json_text(result.to_json()));
        return AG_OK;
    });
}

}  // extern "C"
