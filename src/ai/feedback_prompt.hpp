// feedback_mode "ai": the request that asks the model for the student's feedback, and the frame
// the reply is put in (the title, the final score the grader computed, and a line saying the text
// was generated). The prompt holds only what the student may see: tests hidden from the student
// (and after_due_date ones) are left out, so the model cannot give them away.
#pragma once

#include <string>
#include <vector>

#include "ai/chat_client.hpp"
#include "autograder/config.hpp"
#include "autograder/criteria.hpp"
#include "autograder/execute.hpp"
#include "autograder/feedback.hpp"

namespace autograder::ai {

enum class SolutionPolicy { none, hint, full };
// provide_solutions: "none" / "hint" / "full", or false (none) / true (full); anything else: hint.
SolutionPolicy solution_policy(const nlohmann::json& provide_solutions);

ChatRequest feedback_request(const ResultTree& result, const GradingConfig& config,
                             const std::vector<SourceFile>& files, Locale locale);

// The reply's Markdown in the report's frame.
std::string framed_feedback(const std::string& markdown, const ResultTree& result, const FeedbackConfig& config,
                            const std::string& model, Locale locale);

}  // namespace autograder::ai
