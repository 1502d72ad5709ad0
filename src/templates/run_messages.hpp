// The sandbox explains each run in one English sentence (RunReport.message, also in the JSON of
// `autograder run`). A student's report is written in the grading's language, so the sentence is
// said again here in the locale's words when the report is written, from its known forms; one it
// does not know (a sandbox newer than this table) stays as the sandbox wrote it.
#pragma once

#include <string>
#include <string_view>

#include "autograder/feedback.hpp"

namespace autograder::templates {

std::string localized_run_message(Locale locale, std::string_view message);

}  // namespace autograder::templates
