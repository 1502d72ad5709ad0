// The boundary between the C ABI and the C++ library: every ag_ function runs its body through
// guarded(), which turns each exception into a status code plus the thread's last-error message,
// so that no exception ever reaches a C caller.
#pragma once

#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "autograder.h"
#include "autograder/config.hpp"
#include "autograder/sandbox.hpp"

namespace autograder::c_abi {

// A failure with the status code the caller should see.
class AbiError : public std::runtime_error {
public:
    AbiError(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
    int status() const noexcept { return status_; }

private:
    int status_;
};

// The thread's last-error message (what ag_last_error returns).
std::string& last_error() noexcept;
int fail(int status, const char* message) noexcept;
// Every problem of an invalid configuration, one line each ("path: message"), after a first line
// that counts them: hosts show or split it as they like (the C++ what() abbreviates after five).
int fail_config(const ConfigError& error) noexcept;
// [{"path", "message"}], as ag_config_check and ag_pipeline_warnings_json answer.
nlohmann::json issues_json(const std::vector<ConfigIssue>& issues);

template <class Body>
int guarded(Body&& body) noexcept {
    try {
        int status = body();
        if (status == AG_OK) last_error().clear();
        return status;
    } catch (const AbiError& e) {
        return fail(e.status(), e.what());
    } catch (const ConfigError& e) {
        return fail_config(e);
    } catch (const SandboxError& e) {
        return fail(AG_ERROR_SANDBOX, e.what());
    } catch (const nlohmann::json::exception& e) {
        // The request parsers check every field; a JSON error that gets here is still the
        // caller's document (a number out of range, ...).
        return fail(AG_ERROR_INVALID_ARGUMENT, e.what());
    } catch (const std::bad_alloc&) {
        return fail(AG_ERROR_OUT_OF_MEMORY, "out of memory");
    } catch (const std::exception& e) {
        return fail(AG_ERROR_INTERNAL, e.what());
    } catch (...) {
        return fail(AG_ERROR_INTERNAL, "unknown exception inside libautograder");
    }
}

// Throws AG_ERROR_INVALID_ARGUMENT naming the argument when `pointer` is NULL.
inline void require(const void* pointer, const char* argument_name) {
    if (!pointer) throw AbiError(AG_ERROR_INVALID_ARGUMENT, std::string(argument_name) + " is NULL");
}

// A malloc'd copy the caller frees with ag_free.
inline char* copy_for_caller(std::string_view text) {
    auto* copy = static_cast<char*>(std::malloc(text.size() + 1));
    if (!copy) throw std::bad_alloc();
    std::memcpy(copy, text.data(), text.size());
    copy[text.size()] = '\0';
    return copy;
}

}  // namespace autograder::c_abi
