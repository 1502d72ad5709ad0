// A student's submission as requests give it: POST /submissions, and each of a grading run's
// "submissions". Every problem is recorded with its JSON path, so one 422 lists them all.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "autograder/store.hpp"
#include "json_fields.hpp"
#include "server_options.hpp"

namespace autograder::server {

inline constexpr std::size_t kMaxIdBytes = 255;

// external_user_id, username, files, language, locale, metadata and baseline_result_tree of
// `object` (at `parent`, "" for the body itself); the language is checked later, against the
// assignment (check_submission_language).
NewSubmission read_student_fields(const nlohmann::json& object, const std::string& parent, const ServerOptions& options,
                                  Problems& problems);

// A problem (under `path`) unless `language` is known and one of the assignment's languages.
void check_submission_language(const std::string& language, const ConfigHead& config, const std::string& path,
                               Problems& problems);

}  // namespace autograder::server
