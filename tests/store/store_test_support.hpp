// What the store's tests share: a fresh database removed at the end, a configuration and
// submissions to store, a look at the raw database. Each case is written once (STORE_TEST_CASE)
// and compiled twice: into the test binary against SQLite ("store: ..."), and into the
// PostgreSQL one (AUTOGRADER_STORE_TEST_POSTGRES, "store.pg: ...") against a database of its
// own on the cluster that CTest's fixture started (tests/store/postgres_cluster.sh).
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "autograder/store.hpp"

#ifdef AUTOGRADER_STORE_TEST_POSTGRES
#include <pqxx/pqxx>
#define STORE_TEST_CASE(name) TEST_CASE("store.pg: " name)
#else
#include <SQLiteCpp/SQLiteCpp.h>
#define STORE_TEST_CASE(name) TEST_CASE("store: " name)
#endif

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

#ifdef AUTOGRADER_STORE_TEST_POSTGRES

// The unix socket directory of the test cluster (CTest sets it).
inline std::string cluster_directory() {
    const char* directory = ::getenv("AUTOGRADER_TEST_POSTGRES_HOST");
    if (directory == nullptr || *directory == '\0')
        FAIL(
            "AUTOGRADER_TEST_POSTGRES_HOST is not set: run the store.pg tests through ctest, whose fixture "
            "(store.pg.cluster.start) starts the PostgreSQL cluster they use");
    return directory;
}

inline std::string database_url(const std::string& database) {
    return fmt::format("postgresql://postgres@/{}?host={}", database, cluster_directory());
}

// A database of its own on the test cluster, dropped at the end.
class TestDatabase {
public:
    TestDatabase() {
        static std::atomic<int> counter{0};
        name_ = fmt::format("store_test_{}_{}", ::getpid(), counter++);
        admin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
        admin("CREATE DATABASE " + name_);
    }
    ~TestDatabase() {
        try {
            admin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
        } catch (...) {
        }
    }
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    autograder::StoreOptions options() const {
        autograder::StoreOptions options;
        options.url = database_url(name_);
        return options;
    }
    bool is_postgres() const { return true; }
    // How the store's messages name the database.
    std::string where() const { return options().url; }

    int64_t count(const std::string& sql) const {
        pqxx::connection connection(options().url);
        pqxx::nontransaction transaction(connection);
        return transaction.exec1(sql)[0].as<int64_t>();
    }
    void execute(const std::string& sql) const {
        pqxx::connection connection(options().url);
        pqxx::work transaction(connection);
        transaction.exec(sql);
        transaction.commit();
    }
    bool table_exists(const std::string& table) const {
        return count("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '" + table + "'") == 1;
    }
    int64_t recorded_schema_version() const { return count("SELECT version FROM autograder_schema"); }
    void record_schema_version(int version) const {
        execute(fmt::format("UPDATE autograder_schema SET version = {}", version));
    }

private:
    static void admin(const std::string& sql) {
        pqxx::connection connection(database_url("postgres"));
        pqxx::nontransaction(connection).exec(sql);
    }
    std::string name_;
};

#else

// A database file in a temporary directory removed at the end.
class TestDatabase {
public:
    autograder::StoreOptions options() const {
        autograder::StoreOptions options;
        options.path = (directory_.path() / "autograder.db").string();
        return options;
    }
    bool is_postgres() const { return false; }
    std::string where() const { return options().path; }

    // A connection of the test's own, next to the store's.
    SQLite::Database raw() const { return SQLite::Database(options().path, SQLite::OPEN_READWRITE, 5000); }
    int64_t count(const std::string& sql) const { return raw().execAndGet(sql).getInt64(); }
    void execute(const std::string& sql) const { raw().exec(sql); }
    bool table_exists(const std::string& table) const { return raw().tableExists(table); }
    int64_t recorded_schema_version() const { return count("PRAGMA user_version"); }
    void record_schema_version(int version) const { execute(fmt::format("PRAGMA user_version = {}", version)); }

private:
    TemporaryDirectory directory_;
};

#endif

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

// The job ids each worker claimed: `expected` jobs in all, none claimed twice.
inline void check_each_claimed_once(const std::vector<std::vector<int64_t>>& claimed, std::size_t expected) {
    std::set<int64_t> unique;
    std::size_t total = 0;
    for (const auto& ids : claimed) {
        total += ids.size();
        unique.insert(ids.begin(), ids.end());
    }
    CHECK(total == expected);
    CHECK(unique.size() == expected);
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
