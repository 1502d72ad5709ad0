// Fuzz target: the C ABI's JSON requests (bindings/c/autograder.h), called as a C host calls
// them. The input is the request documents, separated by NUL bytes (a C string cannot hold one),
// in this order; a missing part is passed as NULL (or skips its call), an empty one as "":
//
//   0 config_json        ag_pipeline_create, ag_pipeline_create_with_options
//   1 options_json       ag_pipeline_create, ag_pipeline_options_create
//   2 submission_json    ag_pipeline_grade
//   3 submissions_json   ag_pipeline_grade_batch (2 threads)
//   4 languages_json     ag_pipeline_options_set_languages
//   5 function_json      ag_pipeline_options_add_test_function (template "host")
//   6 step_json          ag_pipeline_options_add_step
//   7 test reply         what the host test function answers with ag_reply_set
//   8 step reply         what the host step answers with ag_reply_set
//   9 settings_json      the reader of ag_sandbox_pool_create's settings
//  10 request_json       the reader of ag_sandbox_run's request (Python's language entry)
//  11 request_json       the reader of ag_execute's request
//
// Sandboxes are never made: pipelines take theirs from a pool that makes none, a pipeline that
// needs one is not asked to grade, and the pool, run and execute requests go through their
// readers only. Every call must return a documented status (AG_ERROR_INTERNAL is a bug of the
// library), with a non-empty, valid UTF-8 ag_last_error on failure; every JSON the library
// returns must parse.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autograder.h"
#include "boundary.hpp"
#include "fuzz_support.hpp"
#include "handles.hpp"
#include "json_requests.hpp"

namespace {

using namespace autograder;

constexpr size_t kParts = 12;

struct Parts {
    std::vector<std::optional<std::string>> texts;
    const char* get(size_t index) const {
        return index < texts.size() && texts[index] ? texts[index]->c_str() : nullptr;
    }
};

Parts split(std::string_view input) {
    Parts parts;
    while (parts.texts.size() < kParts) {
        size_t end = input.find('\0');
        parts.texts.emplace_back(std::string(input.substr(0, end)));
        if (end == std::string_view::npos) break;
        input.remove_prefix(end + 1);
    }
    return parts;
}

void check_last_error(int status, std::string_view call) {
    std::string message = ag_last_error();
    if (status == AG_OK) {
        if (!message.empty()) fuzz::finding(call, "ag_last_error is not empty after AG_OK");
        return;
    }
    if (status == AG_ERROR_INTERNAL) fuzz::finding(std::string(call) + " returned AG_ERROR_INTERNAL", message);
    if (status < AG_OK || status > AG_ERROR_CANCELLED) fuzz::finding(call, "an undocumented status code");
    if (message.empty()) fuzz::finding(call, "failed with an empty ag_last_error");
    fuzz::dump_or_finding(nlohmann::json(message), std::string(call) + ": ag_last_error");
}

// Sets out to NULL on failure, as the header promises.
template <class T>
void check_output(int status, T* out, std::string_view call) {
    check_last_error(status, call);
    if (status != AG_OK && out != nullptr) fuzz::finding(call, "an output pointer is not NULL after a failure");
    if (status == AG_OK && out == nullptr) fuzz::finding(call, "AG_OK without an output");
}

nlohmann::json parse_returned(char* text, std::string_view call) {
    nlohmann::json value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    ag_free(text);
    if (value.is_discarded()) fuzz::finding(call, "returned text that is not JSON");
    return value;
}

int answer_test(void* user_data, const char*, ag_sandbox*, ag_reply* reply) {
    const char* answer = static_cast<const Parts*>(user_data)->get(7);
    if (!answer) return 1;
    check_last_error(ag_reply_set(reply, answer), "ag_reply_set (test function)");
    return 0;
}

int answer_step(void* user_data, const char*, ag_reply* reply) {
    const char* answer = static_cast<const Parts*>(user_data)->get(8);
    if (!answer) return 1;
    check_last_error(ag_reply_set(reply, answer), "ag_reply_set (step)");
    return 0;
}

int keep_going(void*, size_t, size_t, size_t, const char* result_json) {
    if (nlohmann::json::parse(result_json, nullptr, false).is_discarded())
        fuzz::finding("ag_pipeline_grade_batch", "a progress result that is not JSON");
    return 0;
}

ag_sandbox_pool* inert_pool() {
    static ag_sandbox_pool* pool = [] {
        ag_sandbox_pool* made = nullptr;
        if (ag_sandbox_pool_create(R"({"default_size": 0, "max_total": 1})", &made) != AG_OK)
            fuzz::finding("ag_sandbox_pool_create", ag_last_error());
        return made;
    }();
    return pool;
}

// The readers behind the calls that would make a sandbox, at the same boundary.
void read_sandbox_requests(const Parts& parts) {
    if (const char* settings = parts.get(9))
        check_last_error(c_abi::guarded([&] {
                             c_abi::read_pool_settings(c_abi::parse_document(settings, "settings_json"));
                             return AG_OK;
                         }),
                         "read_pool_settings");
    if (const char* run = parts.get(10))
        check_last_error(c_abi::guarded([&] {
                             const auto& python = *LanguageTable::defaults().find("python");
                             c_abi::read_run_request(c_abi::parse_document(run, "request_json"), python);
                             return AG_OK;
                         }),
                         "read_run_request");
    if (const char* execute = parts.get(11))
        check_last_error(c_abi::guarded([&] {
                             c_abi::read_execute_request(c_abi::parse_document(execute, "request_json"),
                                                         LanguageTable::defaults());
                             return AG_OK;
                         }),
                         "read_execute_request");
}

void grade(const ag_pipeline* pipeline, const Parts& parts, bool host_step) {
    if (fuzz::grading_needs_sandbox(*pipeline->pipeline)) return;
    char* result = nullptr;
    int status = ag_pipeline_grade(pipeline, parts.get(2), &result);
    check_output(status, result, "ag_pipeline_grade");
    if (result) {
        auto value = parse_returned(result, "ag_pipeline_grade");
        if (!value.is_object()) fuzz::finding("ag_pipeline_grade", "a result that is not a JSON object");
        // INTERRUPTED is an exception inside a step: only a host step may cause one on purpose.
        if (value.value("status", "") == "INTERRUPTED" && !host_step)
            fuzz::finding("ag_pipeline_grade interrupted", value.dump());
    }
    if (parts.get(3)) {
        char* results = nullptr;
        status = ag_pipeline_grade_batch(pipeline, parts.get(3), 2, keep_going, nullptr, &results);
        check_output(status, results, "ag_pipeline_grade_batch");
        if (results && !parse_returned(results, "ag_pipeline_grade_batch").is_array())
            fuzz::finding("ag_pipeline_grade_batch", "results are not a list");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    Parts parts = split(std::string_view(reinterpret_cast<const char*>(data), size));

    ag_pipeline* plain = nullptr;
    check_output(ag_pipeline_create(parts.get(0), parts.get(1), &plain), plain, "ag_pipeline_create");
    ag_pipeline_destroy(plain);

    ag_pipeline_options* options = nullptr;
    int status = ag_pipeline_options_create(parts.get(1), &options);
    check_output(status, options, "ag_pipeline_options_create");
    if (status != AG_OK)
        check_output(ag_pipeline_options_create(nullptr, &options), options, "ag_pipeline_options_create");
    check_last_error(ag_pipeline_options_set_pool(options, inert_pool()), "ag_pipeline_options_set_pool");
    if (parts.get(4))
        check_last_error(ag_pipeline_options_set_languages(options, parts.get(4)), "ag_pipeline_options_set_languages");
    if (parts.get(5))
        check_last_error(
            ag_pipeline_options_add_test_function(options, "host", parts.get(5), answer_test, &parts, nullptr),
            "ag_pipeline_options_add_test_function");
    bool host_step = false;
    if (parts.get(6)) {
        status = ag_pipeline_options_add_step(options, parts.get(6), answer_step, &parts, nullptr);
        check_last_error(status, "ag_pipeline_options_add_step");
        host_step = status == AG_OK;
    }

    ag_pipeline* pipeline = nullptr;
    status = ag_pipeline_create_with_options(parts.get(0), options, &pipeline);
    check_output(status, pipeline, "ag_pipeline_create_with_options");
    ag_pipeline_options_destroy(options);
    if (pipeline) grade(pipeline, parts, host_step);
    ag_pipeline_destroy(pipeline);

    read_sandbox_requests(parts);
    return 0;
}
