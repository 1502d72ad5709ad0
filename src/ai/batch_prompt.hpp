// The AI_BATCH request: every AI-judged test of one submission in one chat completion. The system
// message holds our instructions; the user message is a JSON document whose "submission_files"
// are the student's files as JSON strings, so nothing a student writes can leave its string and
// pass for an instruction (and the instructions say so: a file that addresses the grader is data).
// The reply is {"results": [{"id", "score", "justification"}]}, one per test id, score 0-100.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ai/chat_client.hpp"
#include "ai/submission_ai.hpp"
#include "autograder/execute.hpp"
#include "autograder/feedback.hpp"

namespace autograder::ai {

struct JudgedTest {
    std::string id;  // unique within the submission: the test's path ("base/Quality/Sorting", "#2" on a repeat)
    std::string name;
    std::string kind;  // the test function's key
    std::string criterion;
    std::vector<std::string> examples;
    std::optional<std::string> file;  // the file the test is about; nullopt: all of them
};

// Limits on what of a submission is sent: a file is cut past kMaxFileBytes, and files stop being
// added past kMaxSubmissionBytes (each cut or left out is said in the document).
inline constexpr std::size_t kMaxFileBytes = 64 * 1024;
inline constexpr std::size_t kMaxSubmissionBytes = 256 * 1024;

// The submission's files as the prompt's data: those the tests name, or all when a test names none
// (`only`: those paths, whatever the tests say). [{"path", "content", "note"?}]
nlohmann::json files_as_data(const std::vector<SourceFile>& files, const std::vector<std::string>& only);

ChatRequest batch_request(const std::vector<JudgedTest>& tests, const std::vector<SourceFile>& files, Locale locale);

struct BatchVerdicts {
    std::map<std::string, Verdict> by_id;
    std::string problem;  // why the reply is refused; empty when every test has its verdict
};
// Checks the reply (already matching the schema): every id once, no other id, scores 0-100.
BatchVerdicts read_batch_reply(const nlohmann::json& content, const std::vector<JudgedTest>& tests);

// "English", "Brazilian Portuguese": the language the model writes to the student in.
std::string language_for_model(Locale locale);

}  // namespace autograder::ai
