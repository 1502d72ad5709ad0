// Whole-report pt_br: every example assignment graded with Locale::pt_br scores as in English, and
// the test reports (and PRE_FLIGHT's report) hold no English sentence of the message table.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "autograder/pipeline.hpp"
#include "autograder/submission_reader.hpp"
#include "feedback/message_table.hpp"

namespace fs = std::filesystem;
using namespace autograder;

namespace {

nlohmann::json read_json(const fs::path& path) {
    std::ifstream in(path);
    REQUIRE_MESSAGE(in, "cannot read " << path);
    return nlohmann::json::parse(in);
}

// The words of a report that are ours: fenced blocks (program output, compiler messages, code)
// are the student's and stay as they are.
std::string without_fenced_blocks(const std::string& text) {
    std::istringstream in(text);
    std::string line, kept;
    std::size_t open_fence = 0;  // the backticks of the open fence; 0 outside one
    while (std::getline(in, line)) {
        std::size_t ticks = std::min(line.find_first_not_of('`'), line.size());
        if (open_fence == 0 && ticks >= 3) {
            open_fence = ticks;
        } else if (open_fence > 0) {
            if (ticks == line.size() && ticks >= open_fence) open_fence = 0;
        } else {
            kept += line + "\n";
        }
    }
    return kept;
}

// The literal pieces (between placeholders) of every English pattern whose translation differs,
// long enough to be a sentence of ours rather than a word a program might print.
std::vector<std::string> english_sentences() {
    auto table = read_json(fs::path(AUTOGRADER_SOURCE_DIR) / "src" / "feedback" / "locales" / "pt_br.json");
    std::vector<std::string> sentences;
    for (const auto& [english, translated] : table.items()) {
        if (english == translated.get<std::string>()) continue;
        std::string piece;
        auto flush = [&] {
            if (piece.size() >= 12 && piece.find(' ') != std::string::npos) sentences.push_back(piece);
            piece.clear();
        };
        int depth = 0;
        for (char c : english) {
            if (c == '{') {
                flush();
                ++depth;
            } else if (c == '}') {
                depth = depth > 0 ? depth - 1 : 0;
            } else if (depth == 0) {
                piece += c;
            }
        }
        flush();
    }
    REQUIRE(sentences.size() > 100);
    return sentences;
}

std::shared_ptr<SandboxPool> shared_pool() {
    static auto pool = [] {
        SandboxPoolOptions options;
        options.default_size = 1;
        return std::make_shared<SandboxPool>(options);
    }();
    return pool;
}

void collect_reports(const TestResult& test, std::vector<std::string>& reports) {
    reports.push_back(test.report);
    for (const auto& one_case : test.cases) collect_reports(one_case, reports);
}

void check_portuguese(const std::string& name) {
    static const std::vector<std::string> kEnglish = english_sentences();
    fs::path folder = fs::path(AUTOGRADER_SOURCE_DIR) / "examples" / "assignments" / name;
    PipelineOptions options;
    options.assignment_directory = folder.string();
    options.pool = shared_pool();
    options.locale = Locale::pt_br;
    auto pipeline = Pipeline::create(read_json(folder / "config.json"), options);
    auto expected = read_json(folder / "expected.json");
    std::size_t translated_reports = 0;
    for (const auto& [submission_name, want] : expected.items()) {
        CAPTURE(submission_name);
        Submission submission;
        submission.files = read_submission_files({(folder / "submissions" / submission_name).string()});
        GradingResult result = pipeline->grade(submission);
        // The language changes the words, never the score.
        CHECK(result.to_json()["status"] == want["status"]);
        CHECK(result.final_score == doctest::Approx(want["final_score"].get<double>()).epsilon(1e-12));
        std::vector<std::string> reports;
        if (result.result_tree)
            for (const auto& located : locate_tests(*result.result_tree)) collect_reports(*located.test, reports);
        else
            reports.push_back(result.feedback);  // PRE_FLIGHT's report
        for (const auto& report : reports) {
            std::string ours = without_fenced_blocks(report);
            CAPTURE(report);
            for (const auto& sentence : kEnglish) CHECK_MESSAGE(ours.find(sentence) == std::string::npos, sentence);
            if (!ours.empty()) ++translated_reports;
        }
    }
    CHECK(translated_reports > 0);
}

}  // namespace

TEST_CASE("locale pt_br: python-calculator's test reports are in Portuguese") {
    check_portuguese("python-calculator");
}
TEST_CASE("locale pt_br: c-geometry's test reports and compile error are in Portuguese") {
    check_portuguese("c-geometry");
}
TEST_CASE("locale pt_br: java-grades' test reports are in Portuguese") {
    check_portuguese("java-grades");
}
TEST_CASE("locale pt_br: js-wordcount's test reports are in Portuguese") {
    check_portuguese("js-wordcount");
}
TEST_CASE("locale pt_br: python-statistics' pytest reports are in Portuguese") {
    check_portuguese("python-statistics");
}
TEST_CASE("locale pt_br: java-junit's JUnit 5 reports are in Portuguese") {
    check_portuguese("java-junit");
}
TEST_CASE("locale pt_br: python-recursion's structural reports are in Portuguese") {
    check_portuguese("python-recursion");
}
TEST_CASE("locale pt_br: webdev-portfolio's reports are in Portuguese") {
    check_portuguese("webdev-portfolio");
}
TEST_CASE("locale pt_br: python-http-api's api reports are in Portuguese") {
    check_portuguese("python-http-api");
}

TEST_CASE("locale table: English is the key and the fallback, pt_br its translation") {
    CHECK(localized(Locale::en, "The file '{}' is correct.", "out.txt") == "The file 'out.txt' is correct.");
    CHECK(localized(Locale::pt_br, "The file '{}' is correct.", "out.txt") == "O arquivo 'out.txt' está correto.");
    // A message no table has stays English (and locale.message_table_complete fails for it).
    CHECK(localized(Locale::pt_br, "no such message {}", 1) == "no such message 1");
    CHECK(locale_name(Locale::pt_br) == "pt_br");
    CHECK(locale_name(Locale::en) == "en");
}
