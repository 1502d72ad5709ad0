#include "submission_fields.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "autograder/criteria.hpp"
#include "autograder/feedback.hpp"
#include "autograder/languages.hpp"
#include "submitted_files.hpp"

namespace autograder::server {

NewSubmission read_student_fields(const nlohmann::json& object, const std::string& parent, const ServerOptions& options,
                                  Problems& problems) {
    FieldReader fields(object, parent, problems);
    NewSubmission submission;
    auto user = fields.text("external_user_id", Presence::required, kMaxIdBytes);
    auto username = fields.text("username", Presence::required, kMaxIdBytes);
    submission.files = read_files(object, "files", options, problems, parent);
    auto language = fields.text("language", Presence::optional, 64);
    auto locale = fields.text("locale", Presence::optional, 16);
    if (locale && !locale_from_string(*locale))
        problems.add(fields.path("locale"), fmt::format("'{}' is not en or pt_br", *locale));
    if (const auto* metadata =
            fields.of_type("metadata", Presence::optional, nlohmann::json::value_t::object, "an object"))
        submission.metadata = *metadata;
    if (const auto* baseline =
            fields.of_type("baseline_result_tree", Presence::optional, nlohmann::json::value_t::object, "an object")) {
        try {
            ScoreSnapshot::from_result_json(*baseline);
            submission.baseline_result_tree = *baseline;
        } catch (const std::exception& e) {
            problems.add(fields.path("baseline_result_tree"), e.what());
        }
    }
    submission.external_user_id = user.value_or("");
    submission.username = username.value_or("");
    submission.language = language.value_or("");
    submission.locale = locale.value_or("");
    return submission;
}

void check_submission_language(const std::string& language, const ConfigHead& config, const std::string& path,
                               Problems& problems) {
    if (language.empty()) return;
    if (!LanguageTable::defaults().find(language)) {
        problems.add(path, fmt::format("'{}' is not a known language", language));
        return;
    }
    const auto& allowed = config.languages;
    const bool in_config =
        !allowed.is_array() || allowed.empty() || std::any_of(allowed.begin(), allowed.end(), [&](const auto& l) {
            return l.is_string() && canonical_language(l.template get<std::string>()) == canonical_language(language);
        });
    if (!in_config)
        problems.add(path, fmt::format("'{}' is not a language of this assignment ({})", language, allowed.dump()));
}

}  // namespace autograder::server
