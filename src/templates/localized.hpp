// localized() for test functions and steps: the grading's locale comes from its pipeline's options.
// How to wrap a message: see feedback/message_table.hpp.
#pragma once

#include "autograder/pipeline.hpp"
#include "autograder/templates.hpp"
#include "feedback/message_table.hpp"

namespace autograder {

inline Locale locale_of(const PipelineExecution& execution) {
    return execution.pipeline.options().locale;
}
inline Locale locale_of(const TestContext& context) {
    return locale_of(context.execution);
}

template <typename... Args>
std::string localized(const TestContext& context, std::string_view english, const Args&... args) {
    return localized(locale_of(context), english, args...);
}
template <typename... Args>
std::string localized(const PipelineExecution& execution, std::string_view english, const Args&... args) {
    return localized(locale_of(execution), english, args...);
}

}  // namespace autograder
