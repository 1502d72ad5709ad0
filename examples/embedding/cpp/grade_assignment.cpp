// Grades every submission of an assignment with the C++ API and prints each final score, e.g.
//
//   grade_assignment examples/assignments/python-calculator
//   broken: 0.00
//   correct: 100.00
//   partial: 38.19
//
// An assignment folder holds config.json and submissions/NAME/, one folder of files each.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include <autograder/pipeline.hpp>
#include <autograder/submission_reader.hpp>

namespace fs = std::filesystem;

static std::string read_file(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

// Every file under the folder, with its path relative to it, read as the CLI and the Python
// package read a folder (symlinks never followed, stable order, size limits).
static autograder::Submission read_submission(const fs::path& folder) {
    autograder::Submission submission;
    submission.files = autograder::read_submission_files({folder.string()});
    return submission;
}

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: " << argv[0] << " ASSIGNMENT_DIR\n";
        return 2;
    }
    const fs::path assignment = argv[1];

    std::shared_ptr<const autograder::Pipeline> pipeline;
    try {
        autograder::PipelineOptions options;
        options.assignment_directory = assignment.string();  // what asset sources are relative to
        pipeline = autograder::Pipeline::create(nlohmann::json::parse(read_file(assignment / "config.json")),
                                                std::move(options));
    } catch (const std::exception& e) {  // autograder::ConfigError lists every problem
        std::cerr << "invalid configuration:\n" << e.what() << "\n";
        return 1;
    }

    std::vector<fs::path> folders;
    for (const auto& entry : fs::directory_iterator(assignment / "submissions"))
        if (entry.is_directory()) folders.push_back(entry.path());
    std::sort(folders.begin(), folders.end());

    // One pipeline grades many submissions (from many threads too); grade() never throws for
    // anything a submission does: a compile error is a FAILED result with score 0.
    for (const auto& folder : folders) {
        autograder::Submission submission;
        try {
            submission = read_submission(folder);
        } catch (const autograder::SubmissionReadError& e) {  // an empty folder, too many files
            std::fprintf(stderr, "%s: %s\n", folder.filename().c_str(), e.what());
            continue;
        }
        const autograder::GradingResult result = pipeline->grade(submission);
        std::printf("%s: %.2f\n", folder.filename().c_str(), result.final_score);
    }
    return 0;
}
