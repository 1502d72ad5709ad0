// The seam between the Store's operations and the database that keeps them. The operations
// (store.cpp) are written once, in the SQL that SQLite and PostgreSQL both speak, against an
// SqlConnection: one transaction of one backend (sqlite_backend.cpp, postgres_backend.cpp).
// Statements use `?` placeholders; a backend that numbers them ($1, ...) renumbers.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace autograder::store {

// A parameter bound to a statement or a cell read from a row: NULL, an integer, a real, text or
// bytes (a BLOB / bytea).
class SqlValue {
public:
    SqlValue() = default;  // NULL
    SqlValue(std::nullptr_t) {}
    SqlValue(int value) : value_(int64_t{value}) {}
    SqlValue(int64_t value) : value_(value) {}
    SqlValue(double value) : value_(value) {}
    SqlValue(std::string value) : value_(std::move(value)) {}
    SqlValue(const char* value) : value_(std::string(value)) {}
    template <class T>
    SqlValue(const std::optional<T>& value) {
        if (value) *this = SqlValue(*value);
    }
    static SqlValue bytes(std::string value) {
        SqlValue result(std::move(value));
        result.bytes_ = true;
        return result;
    }

    bool is_null() const { return std::holds_alternative<std::monostate>(value_); }
    bool is_bytes() const { return bytes_; }
    bool is_integer() const { return std::holds_alternative<int64_t>(value_); }
    bool is_real() const { return std::holds_alternative<double>(value_); }
    int64_t integer() const;   // NULL: 0; text: its number
    double real() const;       // NULL: 0
    std::string text() const;  // NULL: ""; a number: its decimal text
    std::optional<std::string> optional_text() const;
    const std::string* text_pointer() const { return std::get_if<std::string>(&value_); }

private:
    std::variant<std::monostate, int64_t, double, std::string> value_;
    bool bytes_ = false;
};

using SqlParams = std::vector<SqlValue>;
using SqlRow = std::vector<SqlValue>;

// One transaction on one connection.
class SqlConnection {
public:
    virtual ~SqlConnection() = default;
    // The rows `sql` returns (a SELECT, or a statement with RETURNING).
    virtual std::vector<SqlRow> query(const std::string& sql, const SqlParams& params = {}) = 0;
    // How many rows `sql` changed.
    virtual int64_t execute(const std::string& sql, const SqlParams& params = {}) = 0;
    // Several statements without parameters (a migration).
    virtual void execute_script(const std::string& sql) = 0;
    // What a SELECT ends with to hold the rows it reads until the transaction ends, and to skip
    // rows another transaction holds. Empty where a write transaction holds the whole database
    // (SQLite): then nobody else can hold a row.
    virtual std::string_view lock_rows() const = 0;
    virtual std::string_view lock_rows_skip_locked() const = 0;

    std::optional<SqlRow> first(const std::string& sql, const SqlParams& params = {}) {
        auto rows = query(sql, params);
        if (rows.empty()) return std::nullopt;
        return std::move(rows.front());
    }
};

// A database the Store keeps its data in.
class StoreBackend {
public:
    virtual ~StoreBackend() = default;
    // `change` in one write transaction, committed when it returns, rolled back when it throws.
    // The backend's errors become StoreErrors naming `doing` ("accepting a submission").
    virtual void write(std::string_view doing, const std::function<void(SqlConnection&)>& change) = 0;
    // `query` in one read-only transaction that reads one snapshot.
    virtual void read(std::string_view doing, const std::function<void(SqlConnection&)>& query) = 0;
    virtual int schema_version() const = 0;
    // What claims record in jobs.owner: this Store's key, unique among the Stores that share the
    // database.
    virtual int64_t owner_key() const = 0;
    // Whether the Store that claimed a job as `owner` may still be running it. SQLite: never (one
    // process per file, and it requeues before it claims); PostgreSQL: while that Store's
    // connection holds its advisory lock.
    virtual bool owner_alive(SqlConnection& connection, int64_t owner) = 0;
};

}  // namespace autograder::store
