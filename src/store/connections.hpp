// The store's SQLite connections: how one is opened (pragmas), the pool that read-only calls take
// theirs from, and how SQLite's errors become StoreErrors.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "autograder/store.hpp"

namespace autograder::store {

// `error` as the StoreError a caller can act on: busy (locked past the timeout), conflict (a
// unique rule), io (everything else: the file, the disk, a corrupt database). `doing` says what
// the store was doing ("accepting a submission").
StoreError store_error(const SQLite::Exception& error, std::string_view doing, std::string_view path);

// A connection with the store's pragmas (busy timeout, foreign keys, synchronous). The writer
// also switches the database to WAL; readers are query_only.
std::unique_ptr<SQLite::Database> open_connection(const StoreOptions& options, bool writer);

// Read connections, one per concurrent reader: WAL lets each read a consistent snapshot while the
// writer commits, so reads never wait for writes.
class ReadPool {
public:
    explicit ReadPool(StoreOptions options) : options_(std::move(options)) {}

    class Lease {
    public:
        Lease(ReadPool& pool, std::unique_ptr<SQLite::Database> connection)
            : pool_(pool), connection_(std::move(connection)) {}
        ~Lease() { pool_.give_back(std::move(connection_)); }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        SQLite::Database& operator*() const { return *connection_; }
        SQLite::Database* operator->() const { return connection_.get(); }

    private:
        ReadPool& pool_;
        std::unique_ptr<SQLite::Database> connection_;
    };

    Lease acquire();

private:
    void give_back(std::unique_ptr<SQLite::Database> connection);

    static constexpr std::size_t kMaxIdle = 8;  // more concurrent readers open (and close) their own
    StoreOptions options_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<SQLite::Database>> idle_;
};

// Column readers that never fail on NULL.
std::string text_of(const SQLite::Column& column);
std::optional<std::string> optional_text_of(const SQLite::Column& column);
nlohmann::json json_of(const SQLite::Column& column);  // NULL or unparsable text: null

// JSON as stored in a TEXT column (invalid UTF-8 repaired, never throws).
std::string json_column_text(const nlohmann::json& value);

}  // namespace autograder::store
