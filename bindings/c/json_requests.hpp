// The JSON documents C callers pass in, read into the C++ library's types. Every problem is an
// AbiError naming the document and the field ("submission_json.files[0].path must be a string"),
// and unknown fields are refused so that a misspelt limit is not silently ignored.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "autograder/execute.hpp"
#include "autograder/languages.hpp"
#include "autograder/pipeline.hpp"
#include "autograder/sandbox.hpp"
#include "autograder/sandbox_pool.hpp"
#include "autograder/templates.hpp"

namespace autograder::c_abi {

// Parses `text` as JSON; NULL or malformed text, or a document nested deeper than
// kMaxDocumentDepth, is AG_ERROR_INVALID_ARGUMENT.
constexpr std::size_t kMaxDocumentDepth = 128;
nlohmann::json parse_document(const char* text, const char* argument_name);

// A language of `table` by key or alias, else AG_ERROR_UNKNOWN_LANGUAGE listing the known ones.
const Language& find_language(const LanguageTable& table, const std::string& name);

PipelineOptions read_pipeline_options(const nlohmann::json& options);  // null: defaults
// `where` names the document in messages ("submission_json", "submissions_json[3]").
Submission read_submission(const nlohmann::json& submission, const std::string& where = "submission_json");
// The inverse for files read from disk: {"files": [{"path", "content" | "content_base64", "executable"?}]}.
nlohmann::json submission_files_json(const std::vector<SourceFile>& files);
SandboxPoolOptions read_pool_settings(const nlohmann::json& settings);  // null: defaults
RunRequest read_run_request(const nlohmann::json& request, const Language& language);

struct ExecuteRequest {
    const Language* language = nullptr;
    std::vector<SourceFile> files;
    ExecuteOptions options;
};
ExecuteRequest read_execute_request(const nlohmann::json& request, const LanguageTable& table);

// The host additions of ag_pipeline_options_* ("function_json", "step_json").
struct HostFunctionDescription {
    std::string key;
    std::string description;
    std::vector<ParameterDoc> parameters;
    bool needs_sandbox = false;
};
HostFunctionDescription read_function_description(const nlohmann::json& function);
struct HostStepDescription {
    std::string name;
    std::string after;  // empty: at the end
};
HostStepDescription read_step_description(const nlohmann::json& step);

// What callbacks pass to ag_reply_set ("reply" in messages): a test function's
// {"score", "report"} or {"error"}, a step's {"ok", "message", "host_data"}.
TestOutcome read_test_reply(const nlohmann::json& reply);
struct StepReply {
    bool ok = true;
    std::string message;
    std::optional<nlohmann::json> host_data;
};
StepReply read_step_reply(const nlohmann::json& reply);

}  // namespace autograder::c_abi
