// The default Markdown feedback report (docs/configuration.md, "Feedback"). Pure: it reads a graded
// result and the feedback settings, and returns text; safe to call from many threads at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "autograder/config.hpp"
#include "autograder/criteria.hpp"

namespace autograder {

enum class Locale { en, pt_br };

// "en", "pt_br" (also "pt-BR", "pt_BR", "pt"); nullopt otherwise.
std::optional<Locale> locale_from_string(std::string_view name);

// Title; optional summary; per category (base, penalty, bonus) the tests in focus order with
// ✅/❌, file, coloured score, parameters and report; the final score as "> **NN.NN / 100**";
// learning resources linked to failed tests. Test reports are untrusted text and are fenced so they
// cannot change the structure of the document. The report is for `audience`: tests it may not see
// (hidden ones for students) are left out entirely, and the summary says how many there are.
std::string render_default_report(const ResultTree& result, const Focus& focus, const FeedbackConfig& config,
                                  Locale locale = Locale::en, Audience audience = Audience::student);

}  // namespace autograder
