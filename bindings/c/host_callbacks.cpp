#include "host_callbacks.hpp"

#include <stdexcept>

#include "handles.hpp"

namespace autograder::c_abi {
namespace {

using nlohmann::json;

// Submissions may hold any bytes; callbacks get valid UTF-8 (invalid bytes become U+FFFD).
std::string callback_text(const json& document) {
    return document.dump(-1, ' ', false, json::error_handler_t::replace);
}

json submission_json(const PipelineExecution& execution) {
    json files = json::array();
    for (const auto& file : execution.submission.files)
        files.push_back({{"path", file.path}, {"content", file.content}});
    return {{"language", execution.language ? execution.language->name : execution.submission.language},
            {"files", std::move(files)},
            {"metadata", execution.submission.metadata}};
}

json test_context_json(const TestContext& context) {
    const TestSpec& spec = context.spec;
    return {{"test",
             {{"name", spec.name},
              {"function", spec.type},
              {"parameters", spec.parameters_json()},
              {"file", spec.file ? json(*spec.file) : json(nullptr)},
              {"weight", spec.weight}}},
            {"submission", submission_json(context.execution)}};
}

json execution_json(const std::string& step_name, const PipelineExecution& execution) {
    json steps = json::array();
    for (const auto& step : execution.steps) steps.push_back(step.to_json());
    json document{{"step", step_name},
                  {"submission", submission_json(execution)},
                  {"language", execution.language ? execution.language->name : execution.submission.language},
                  {"status", to_string(execution.status)},
                  {"steps", std::move(steps)},
                  {"host_data", execution.host_data}};
    if (execution.result) {
        document["final_score"] = execution.result->final_score;
        document["result_tree"] = execution.result->to_json();
    }
    return document;
}

// Why a callback left no usable answer, for the test report or the step message.
std::string missing_answer(const std::string& who, int status, const ag_reply& reply) {
    if (status != 0) return who + " returned " + std::to_string(status);
    if (!reply.problem.empty()) return who + " gave an invalid reply: " + reply.problem;
    return who + " did not reply (it never called ag_reply_set)";
}

}  // namespace

TestOutcome CallbackTestFunction::run(const TestContext& context) const {
    const std::string context_text = callback_text(test_context_json(context));
    ag_reply reply{ag_reply::Kind::test_function, std::nullopt, {}};
    // The grading owns the sandbox; the callback gets a handle that ag_sandbox_release ignores.
    ag_sandbox lent;
    lent.borrowed = context.sandbox;
    lent.language = context.execution.language;
    const bool lend = description_.needs_sandbox && context.sandbox && context.execution.language;
    const int status = callback_(user_data_.get(), context_text.c_str(), lend ? &lent : nullptr, &reply);
    if (reply.answer) {
        // ag_reply_set has checked the answer; {"error"} counts whatever the callback returned.
        TestOutcome outcome = read_test_reply(*reply.answer);
        if (status == 0 || reply.answer->contains("error")) return outcome;
    }
    // The GRADE step turns this into score 0 and "This test could not be run: <why>".
    throw std::runtime_error(missing_answer("the host test function '" + description_.key + "'", status, reply));
}

StepOutcome CallbackStep::run(const PipelineExecution& execution, json& host_data) const {
    const std::string execution_text = callback_text(execution_json(name_, execution));
    ag_reply reply{ag_reply::Kind::step, std::nullopt, {}};
    const int status = callback_(user_data_.get(), execution_text.c_str(), &reply);
    // An exception makes the step INTERRUPTED, with this message.
    if (status != 0 || !reply.answer) throw std::runtime_error(missing_answer("the host step " + name_, status, reply));
    StepReply answer = read_step_reply(*reply.answer);
    if (answer.host_data) host_data = std::move(*answer.host_data);
    return answer.ok ? StepOutcome::success(std::move(answer.message))
                     : StepOutcome::failure(std::move(answer.message));
}

}  // namespace autograder::c_abi
