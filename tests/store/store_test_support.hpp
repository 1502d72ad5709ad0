// What the store's tests share: a fresh database in a temporary directory removed at the end, a
// configuration and submissions to store, a look at the raw database.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include "autograder/store.hpp"

namespace store_test {

class TemporaryDirectory {
public:
    TemporaryDirectory() {
        std::string pattern = (std::filesystem::temp_directory_path() / "autograder-store-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path_ = pattern;
    }
    ~TemporaryDirectory() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TemporaryDirectory(const TemporaryDirectory&) = delete;
    TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

inline autograder::StoreOptions options_in(const TemporaryDirectory& directory) {
    autograder::StoreOptions options;
    options.path = (directory.path() / "autograder.db").string();
    return options;
}

inline autograder::ConfigDocument python_config(double points = 100) {
    autograder::ConfigDocument document;
    document.template_name = "input_output";
    document.criteria_config = {{"base", {{"weight", points}}}};
    document.languages = {"python", "java"};
    return document;
}

inline autograder::NewSubmission submission_of(const std::string& assignment, const std::string& user,
                                               const std::string& idempotency_key = "") {
    autograder::NewSubmission submission;
    submission.external_assignment_id = assignment;
    submission.external_user_id = user;
    submission.username = user + "-name";
    submission.files = {{"main.py", "print(input())\n"}};
    submission.idempotency_key = idempotency_key;
    return submission;
}

// A connection of the test's own, next to the store's.
inline SQLite::Database raw_database(const autograder::StoreOptions& options) {
    return SQLite::Database(options.path, SQLite::OPEN_READWRITE, 5000);
}

inline int64_t count_rows(const autograder::StoreOptions& options, const std::string& sql) {
    auto db = raw_database(options);
    return db.execAndGet(sql).getInt64();
}

// "2026-11-27T21:56:31.123Z"
inline bool is_utc_timestamp(const std::string& text) {
    static constexpr const char* kShape = "dddd-dd-ddTdd:dd:dd.dddZ";
    if (text.size() != std::char_traits<char>::length(kShape)) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        bool digit = text[i] >= '0' && text[i] <= '9';
        if (kShape[i] == 'd' ? !digit : text[i] != kShape[i]) return false;
    }
    return true;
}

}  // namespace store_test
