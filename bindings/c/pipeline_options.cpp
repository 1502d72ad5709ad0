// ag_pipeline_options_*: the host additions of a pipeline (test functions and steps as C
// callbacks, a shared sandbox pool, a language table), ag_pipeline_create_with_options, and
// ag_reply_set, through which those callbacks answer.
#include <algorithm>
#include <array>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "autograder.h"
#include "boundary.hpp"
#include "handles.hpp"
#include "host_callbacks.hpp"
#include "json_requests.hpp"

namespace {

using autograder::c_abi::AbiError;
using autograder::c_abi::guarded;
using autograder::c_abi::parse_document;
using autograder::c_abi::require;

// A host step may not take a built-in step's name: failed_at_step must say which one failed.
constexpr std::array<std::string_view, 8> kBuiltInSteps = {"LOAD_TEMPLATE",       "BUILD_TREE", "SANDBOX", "PRE_FLIGHT",
                                                           "STRUCTURAL_ANALYSIS", "GRADE",      "FOCUS",   "FEEDBACK"};

// Checks an answer against what the callback's kind expects; throws AbiError naming the field.
void check_answer(ag_reply::Kind kind, const nlohmann::json& answer) {
    if (kind == ag_reply::Kind::test_function)
        autograder::c_abi::read_test_reply(answer);
    else
        autograder::c_abi::read_step_reply(answer);
}

}  // namespace

extern "C" {

int ag_pipeline_options_create(const char* options_json, ag_pipeline_options** out) {
    return guarded([&] {
        require(out, "out");
        *out = nullptr;
        auto handle = std::make_unique<ag_pipeline_options>();
        handle->options = autograder::c_abi::read_pipeline_options(
            options_json ? parse_document(options_json, "options_json") : nlohmann::json());
        *out = handle.release();
        return AG_OK;
    });
}

void ag_pipeline_options_destroy(ag_pipeline_options* options) {
    delete options;
}

int ag_pipeline_options_set_pool(ag_pipeline_options* options, ag_sandbox_pool* pool) {
    return guarded([&] {
        require(options, "options");
        require(pool, "pool");
        options->options.pool = pool->pool;
        return AG_OK;
    });
}

int ag_pipeline_options_set_languages(ag_pipeline_options* options, const char* languages_json) {
    return guarded([&] {
        require(options, "options");
        auto document = parse_document(languages_json, "languages_json");
        try {
            options->options.languages = autograder::LanguageTable::from_json(document);
        } catch (const std::invalid_argument& e) {
            throw AbiError(AG_ERROR_INVALID_ARGUMENT, std::string("languages_json: ") + e.what());
        }
        return AG_OK;
    });
}

int ag_pipeline_options_add_test_function(ag_pipeline_options* options, const char* template_name,
                                          const char* function_json, ag_test_fn fn, void* user_data,
                                          void (*destroy_user_data)(void* user_data)) {
    return guarded([&] {
        require(options, "options");
        require(template_name, "template_name");
        if (template_name[0] == '\0') throw AbiError(AG_ERROR_INVALID_ARGUMENT, "template_name is empty");
        if (!fn) throw AbiError(AG_ERROR_INVALID_ARGUMENT, "fn is NULL");
        auto description = autograder::c_abi::read_function_description(parse_document(function_json, "function_json"));
        auto function = std::make_shared<autograder::c_abi::CallbackTestFunction>(std::move(description), fn, user_data,
                                                                                  destroy_user_data);
        options->options.templates.add_function(template_name, function);
        function->adopt_user_data();  // nothing can fail any more
        return AG_OK;
    });
}

int ag_pipeline_options_add_step(ag_pipeline_options* options, const char* step_json, ag_step_fn fn, void* user_data,
                                 void (*destroy_user_data)(void* user_data)) {
    return guarded([&] {
        require(options, "options");
        if (!fn) throw AbiError(AG_ERROR_INVALID_ARGUMENT, "fn is NULL");
        auto description = autograder::c_abi::read_step_description(parse_document(step_json, "step_json"));
        auto& extra_steps = options->options.extra_steps;
        if (std::find(kBuiltInSteps.begin(), kBuiltInSteps.end(), description.name) != kBuiltInSteps.end() ||
            std::any_of(extra_steps.begin(), extra_steps.end(),
                        [&](const auto& extra) { return extra.step->name() == description.name; }))
            throw AbiError(AG_ERROR_INVALID_ARGUMENT,
                           "step_json.name: a step named '" + description.name + "' already exists");
        auto step =
            std::make_shared<autograder::c_abi::CallbackStep>(description.name, fn, user_data, destroy_user_data);
        extra_steps.push_back({description.after, step});
        step->adopt_user_data();  // nothing can fail any more
        return AG_OK;
    });
}

int ag_pipeline_create_with_options(const char* config_json, const ag_pipeline_options* options, ag_pipeline** out) {
    return guarded([&] {
        require(out, "out");
        *out = nullptr;
        auto config = parse_document(config_json, "config_json");
        auto handle = std::make_unique<ag_pipeline>();
        // A copy: the pipeline shares the options' functions, steps and pool, not the options.
        handle->pipeline =
            autograder::Pipeline::create(config, options ? options->options : autograder::PipelineOptions{});
        *out = handle.release();
        return AG_OK;
    });
}

int ag_reply_set(ag_reply* reply, const char* json) {
    return guarded([&] {
        require(reply, "reply");
        reply->answer.reset();  // whatever happens below, an earlier answer no longer stands
        try {
            auto answer = parse_document(json, "json");
            check_answer(reply->kind, answer);
            reply->answer = std::move(answer);
            reply->problem.clear();
        } catch (const std::exception& e) {
            reply->problem = e.what();  // what the report or the step's message will say
            throw;
        }
        return AG_OK;
    });
}

}  // extern "C"
