#include "store/sqlite_backend.hpp"

#include <sqlite3.h>

#include <mutex>
#include <random>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "store/migrations.hpp"

namespace autograder::store {
namespace {

// `error` as the StoreError a caller can act on: busy (locked past the timeout), conflict (a
// unique rule), io (everything else: the file, the disk, a corrupt database).
StoreError store_error(const SQLite::Exception& error, std::string_view doing, std::string_view path) {
    switch (error.getErrorCode()) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return StoreError(StoreError::Kind::busy,
                              fmt::format("{}: the database {} stayed locked ({})", doing, path, error.what()));
        case SQLITE_CONSTRAINT:
            return StoreError(StoreError::Kind::conflict, fmt::format("{}: {}", doing, error.what()));
        default:
            return StoreError(StoreError::Kind::io, fmt::format("{}: database {}: {}", doing, path, error.what()));
    }
}

// A connection with the store's pragmas (busy timeout, foreign keys, synchronous). Readers are
// query_only.
std::unique_ptr<SQLite::Database> open_connection(const StoreOptions& options, bool writer) {
    int flags = SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX;
    if (writer) flags |= SQLite::OPEN_CREATE;
    auto connection =
        std::make_unique<SQLite::Database>(options.path, flags, static_cast<int>(options.busy_timeout.count()));
    connection->exec("PRAGMA foreign_keys = ON");
    connection->exec(options.synchronous_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    if (!writer) connection->exec("PRAGMA query_only = ON");
    return connection;
}

// Read connections, one per concurrent reader: WAL lets each read a consistent snapshot while the
// writer commits, so reads never wait for writes.
class ReadPool {
public:
    explicit ReadPool(StoreOptions options) : options_(std::move(options)) {}

    std::unique_ptr<SQLite::Database> acquire() {
        {
            std::lock_guard lock(mutex_);
            if (!idle_.empty()) {
                auto connection = std::move(idle_.back());
                idle_.pop_back();
                return connection;
            }
        }
        return open_connection(options_, false);
    }

    void give_back(std::unique_ptr<SQLite::Database> connection) {
        std::lock_guard lock(mutex_);
        if (idle_.size() < kMaxIdle) idle_.push_back(std::move(connection));
    }

private:
    static constexpr std::size_t kMaxIdle = 8;  // more concurrent readers open (and close) their own
    StoreOptions options_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<SQLite::Database>> idle_;
};

SqlValue value_of(const SQLite::Column& column) {
    switch (column.getType()) {
        case SQLITE_NULL:
            return {};
        case SQLITE_INTEGER:
            return SqlValue(static_cast<int64_t>(column.getInt64()));
        case SQLITE_FLOAT:
            return SqlValue(column.getDouble());
        default: {
            const char* data = static_cast<const char*>(column.getBlob());
            int size = column.getBytes();
            std::string bytes =
                data == nullptr || size <= 0 ? std::string() : std::string(data, static_cast<std::size_t>(size));
            return column.getType() == SQLITE_BLOB ? SqlValue::bytes(std::move(bytes)) : SqlValue(std::move(bytes));
        }
    }
}

void bind_all(SQLite::Statement& statement, const SqlParams& params) {
    for (std::size_t i = 0; i < params.size(); ++i) {
        const int index = static_cast<int>(i + 1);
        const SqlValue& value = params[i];
        if (value.is_null())
            statement.bind(index);
        else if (value.is_integer())
            statement.bind(index, value.integer());
        else if (value.is_real())
            statement.bind(index, value.real());
        else if (value.is_bytes())
            statement.bind(index, static_cast<const void*>(value.text_pointer()->data()),
                           static_cast<int>(value.text_pointer()->size()));
        else
            statement.bindNoCopy(index, *value.text_pointer());
    }
}

class SqliteConnection : public SqlConnection {
public:
    explicit SqliteConnection(SQLite::Database& db) : db_(db) {}

    std::vector<SqlRow> query(const std::string& sql, const SqlParams& params) override {
        SQLite::Statement statement(db_, sql);
        bind_all(statement, params);
        std::vector<SqlRow> rows;
        while (statement.executeStep()) {
            SqlRow row;
            row.reserve(static_cast<std::size_t>(statement.getColumnCount()));
            for (int column = 0; column < statement.getColumnCount(); ++column)
                row.push_back(value_of(statement.getColumn(column)));
            rows.push_back(std::move(row));
        }
        return rows;
    }

    int64_t execute(const std::string& sql, const SqlParams& params) override {
        SQLite::Statement statement(db_, sql);
        bind_all(statement, params);
        return statement.exec();
    }

    void execute_script(const std::string& sql) override { db_.exec(sql); }
    std::string_view lock_rows() const override { return ""; }
    std::string_view lock_rows_skip_locked() const override { return ""; }

private:
    SQLite::Database& db_;
};

class SqliteBackend : public StoreBackend {
public:
    explicit SqliteBackend(const StoreOptions& options)
        : options_(options), readers_(options), owner_key_(std::random_device{}() & 0x7fffffff) {}

    void write(std::string_view doing, const std::function<void(SqlConnection&)>& change) override {
        std::lock_guard lock(write_mutex_);
        try {
            SQLite::Transaction transaction(*writer_, SQLite::TransactionBehavior::IMMEDIATE);
            SqliteConnection connection(*writer_);
            change(connection);
            transaction.commit();
        } catch (const SQLite::Exception& error) {
            throw store_error(error, doing, options_.path);
        }
    }

    void read(std::string_view doing, const std::function<void(SqlConnection&)>& query) override {
        try {
            auto db = readers_.acquire();
            {
                SQLite::Transaction transaction(*db, SQLite::TransactionBehavior::DEFERRED);
                SqliteConnection connection(*db);
                query(connection);
                transaction.commit();
            }
            readers_.give_back(std::move(db));
        } catch (const SQLite::Exception& error) {
            throw store_error(error, doing, options_.path);
        }
    }

    void open() {
        try {
            writer_ = open_connection(options_, true);
            // Before the switch to WAL, which writes: a newer autograder's database stays untouched.
            checked_schema_version();
            std::string mode = writer_->execAndGet("PRAGMA journal_mode = WAL").getString();
            if (mode != "wal")
                throw StoreError(
                    StoreError::Kind::io,
                    fmt::format("{}: could not switch the database to WAL (journal_mode is {})", options_.path, mode));
            SQLite::Transaction transaction(*writer_, SQLite::TransactionBehavior::IMMEDIATE);
            SqliteConnection connection(*writer_);
            schema_version_ = apply_migrations(connection, checked_schema_version(), kSqliteTypes, [&](int version) {
                writer_->exec(fmt::format("PRAGMA user_version = {}", version));
            });
            transaction.commit();
        } catch (const SQLite::Exception& error) {
            throw store_error(error, "opening the store", options_.path);
        }
    }

    int schema_version() const override { return schema_version_; }
    int64_t owner_key() const override { return owner_key_; }
    bool owner_alive(SqlConnection&, int64_t) override { return false; }

private:
    int checked_schema_version() {
        int version = writer_->execAndGet("PRAGMA user_version").getInt();
        if (version > newest_schema_version()) throw schema_too_new(options_.path, version);
        return version;
    }

    StoreOptions options_;
    std::mutex write_mutex_;
    std::unique_ptr<SQLite::Database> writer_;
    ReadPool readers_;
    int schema_version_ = 0;
    int64_t owner_key_;
};

}  // namespace

std::unique_ptr<StoreBackend> open_sqlite_backend(const StoreOptions& options) {
    // Without SQLITE_OPEN_URI, ":memory:" is the only name SQLite does not take as a file.
    if (options.path.empty() || options.path == ":memory:")
        throw StoreError(StoreError::Kind::io,
                         fmt::format("the store's path '{}' is refused: give a file, the store exists to outlive "
                                     "the process",
                                     options.path));
    auto backend = std::make_unique<SqliteBackend>(options);
    backend->open();
    return backend;
}

}  // namespace autograder::store
