// What the AI model said about one submission, kept in its PipelineExecution: the verdicts of
// AI_BATCH (read by the ai template's functions during GRADE) and the tokens spent so far (the
// FEEDBACK step's request spends from the same budget).
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "ai/chat_client.hpp"

namespace autograder::ai {

struct Verdict {
    double score = 0;  // 0-100, checked
    std::string justification;
};

struct SubmissionAi {
    TokenBudget budget;
    std::map<std::size_t, Verdict> verdicts;  // by the test's index in CriteriaTree::tests()
    std::string batch_problem;                // why AI_BATCH has no verdicts; empty when it has
    std::string model;
    AiConfig::Fallback fallback = AiConfig::Fallback::zero;
};

}  // namespace autograder::ai
