#include "store/postgres_backend.hpp"

#include <condition_variable>
#include <mutex>
#include <random>
#include <vector>

#include <fmt/format.h>
#include <pqxx/pqxx>

#include "store/migrations.hpp"
#include "text/utf8.hpp"

namespace autograder::store {
namespace {

// Serializes migrations of one database: two servers starting at once must not both create it.
constexpr int64_t kMigrationLock = 0x6175746f67726164;  // "autograd"

// The type oids of the columns the store reads (pg_type.h).
constexpr pqxx::oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kFloat4 = 700, kFloat8 = 701;

// Where the password of a postgresql:// URL is (in its user information or a password=
// parameter): {offset, length}, or nothing.
std::optional<std::pair<std::size_t, std::size_t>> password_span(std::string_view url) {
    std::size_t scheme = url.find("://");
    std::size_t authority = scheme == std::string_view::npos ? 0 : scheme + 3;
    std::size_t end = std::min(url.find_first_of("/?", authority), url.size());
    std::string_view host_part = url.substr(authority, end - authority);
    if (std::size_t at = host_part.rfind('@'); at != std::string_view::npos) {
        if (std::size_t colon = host_part.substr(0, at).find(':'); colon != std::string_view::npos)
            return std::pair{authority + colon + 1, at - colon - 1};
    }
    for (std::size_t key = url.find("password="); key != std::string_view::npos; key = url.find("password=", key + 1)) {
        if (key == 0 || (url[key - 1] != '?' && url[key - 1] != '&')) continue;
        std::size_t value = key + 9;
        return std::pair{value, std::min(url.find('&', value), url.size()) - value};
    }
    return std::nullopt;
}

std::string password_of(std::string_view url) {
    auto span = password_span(url);
    return span ? std::string(url.substr(span->first, span->second)) : std::string();
}

// `message` without `password`, in case libpq repeats it (a short one would garble the message,
// and libpq does not repeat passwords: only those of 4 bytes or more are looked for).
std::string scrubbed(std::string message, const std::string& password) {
    if (password.size() < 4) return message;
    for (std::size_t at = message.find(password); at != std::string::npos; at = message.find(password, at))
        message.replace(at, password.size(), "***");
    return message;
}

// Text as PostgreSQL stores it: UTF-8 without NUL (SQLite keeps any bytes; a program's output
// may have both).
std::string storable_text(const std::string& text) {
    if (text.find('\0') == std::string::npos && text::is_valid_utf8(text)) return text;
    std::string repaired = text::valid_utf8(text);
    std::string without_nul;
    without_nul.reserve(repaired.size());
    for (char c : repaired) {
        if (c == '\0')
            without_nul += "\xEF\xBF\xBD";  // U+FFFD
        else
            without_nul += c;
    }
    return without_nul;
}

std::optional<std::string> parameter_text(const SqlValue& value) {
    if (value.is_null()) return std::nullopt;
    if (value.is_bytes()) {
        static constexpr char kHex[] = "0123456789abcdef";
        const std::string& bytes = *value.text_pointer();
        std::string hex = "\\x";
        hex.reserve(2 + bytes.size() * 2);
        for (unsigned char byte : bytes) {
            hex += kHex[byte >> 4];
            hex += kHex[byte & 0xf];
        }
        return hex;
    }
    if (const std::string* text = value.text_pointer()) return storable_text(*text);
    return value.text();  // a number: its shortest exact decimal
}

// `sql` with its `?` placeholders numbered ($1, $2, ...). The store's statements hold no `?`
// in a literal.
std::string numbered(const std::string& sql) {
    std::string out;
    out.reserve(sql.size() + 16);
    int next = 1;
    for (char c : sql) {
        if (c == '?')
            out += fmt::format("${}", next++);
        else
            out += c;
    }
    return out;
}

SqlValue value_of(const pqxx::field& field) {
    if (field.is_null()) return {};
    switch (field.type()) {
        case kInt2:
        case kInt4:
        case kInt8:
            return SqlValue(field.as<int64_t>());
        case kFloat4:
        case kFloat8:
            return SqlValue(field.as<double>());
        case kBool:
            return SqlValue(field.as<bool>() ? 1 : 0);
        case kBytea:
            return SqlValue::bytes(pqxx::binarystring(field).str());
        default:
            return SqlValue(std::string(field.c_str(), field.size()));
    }
}

class PostgresConnection : public SqlConnection {
public:
    explicit PostgresConnection(pqxx::transaction_base& transaction) : transaction_(transaction) {}

    std::vector<SqlRow> query(const std::string& sql, const SqlParams& params) override {
        pqxx::result result = run(sql, params);
        std::vector<SqlRow> rows;
        rows.reserve(result.size());
        for (const auto& source : result) {
            SqlRow row;
            row.reserve(source.size());
            for (const auto& field : source) row.push_back(value_of(field));
            rows.push_back(std::move(row));
        }
        return rows;
    }

    int64_t execute(const std::string& sql, const SqlParams& params) override {
        return static_cast<int64_t>(run(sql, params).affected_rows());
    }

    void execute_script(const std::string& sql) override { transaction_.exec(sql); }
    std::string_view lock_rows() const override { return " FOR UPDATE"; }
    std::string_view lock_rows_skip_locked() const override { return " FOR UPDATE SKIP LOCKED"; }

private:
    pqxx::result run(const std::string& sql, const SqlParams& params) {
        std::vector<std::optional<std::string>> texts;
        texts.reserve(params.size());
        for (const SqlValue& value : params) texts.push_back(parameter_text(value));
        return transaction_.exec_params(numbered(sql), pqxx::prepare::make_dynamic_params(texts));
    }

    pqxx::transaction_base& transaction_;
};

// At most `size` connections; a caller waits for one when all are in use.
class ConnectionPool {
public:
    ConnectionPool(std::string url, std::size_t size, std::chrono::milliseconds lock_timeout)
        : url_(std::move(url)), size_(std::max<std::size_t>(size, 1)), lock_timeout_(lock_timeout) {}

    std::unique_ptr<pqxx::connection> acquire() {
        std::unique_lock lock(mutex_);
        available_.wait(lock, [&] { return !idle_.empty() || open_ < size_; });
        if (!idle_.empty()) {
            auto connection = std::move(idle_.back());
            idle_.pop_back();
            return connection;
        }
        ++open_;
        lock.unlock();
        try {
            return connect();
        } catch (...) {
            give_back(nullptr);  // its place is free again
            throw;
        }
    }

    // A connection that broke is closed; its place goes to the next caller.
    void give_back(std::unique_ptr<pqxx::connection> connection) {
        {
            std::lock_guard lock(mutex_);
            if (connection && connection->is_open())
                idle_.push_back(std::move(connection));
            else
                --open_;
        }
        available_.notify_one();
    }

    std::unique_ptr<pqxx::connection> connect() const {
        auto connection = std::make_unique<pqxx::connection>(url_);
        // A write that waits for a row lock longer than this is `busy`, as SQLite's busy timeout.
        pqxx::nontransaction(*connection).exec(fmt::format("SET lock_timeout = {}", lock_timeout_.count()));
        return connection;
    }

private:
    const std::string url_;
    const std::size_t size_;
    const std::chrono::milliseconds lock_timeout_;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<pqxx::connection>> idle_;
    std::size_t open_ = 0;
};

class PostgresBackend : public StoreBackend {
public:
    explicit PostgresBackend(const StoreOptions& options)
        : where_(redact_store_location(options.url)),
          password_(password_of(options.url)),
          pool_(options.url, options.pool_size, options.busy_timeout) {
        std::mt19937_64 random(std::random_device{}());
        owner_key_ = static_cast<int64_t>(random() >> 2) + 1;  // positive, never the migration lock
    }

    // Gives the owner lock back before the connection closes: a server closing its connection
    // does not wait for the server process to end, and a Store opened next must find it free.
    ~PostgresBackend() override {
        try {
            if (owner_) pqxx::nontransaction(*owner_).exec("SELECT pg_advisory_unlock_all()");
        } catch (const std::exception&) {  // the connection broke: the server freed the lock
        }
    }
    PostgresBackend(const PostgresBackend&) = delete;
    PostgresBackend& operator=(const PostgresBackend&) = delete;

    void write(std::string_view doing, const std::function<void(SqlConnection&)>& change) override {
        with_connection(doing, [&](pqxx::connection& db) {
            pqxx::work transaction(db);
            PostgresConnection connection(transaction);
            change(connection);
            transaction.commit();
        });
    }

    void read(std::string_view doing, const std::function<void(SqlConnection&)>& query) override {
        with_connection(doing, [&](pqxx::connection& db) {
            pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> transaction(db);
            PostgresConnection connection(transaction);
            query(connection);
            transaction.commit();
        });
    }

    void open() {
        with_connection("opening the store", [&](pqxx::connection& db) {
            owner_ = pool_.connect();
            pqxx::nontransaction(*owner_).exec(fmt::format("SELECT pg_advisory_lock({})", owner_key_));

            pqxx::work transaction(db);
            PostgresConnection connection(transaction);
            transaction.exec(fmt::format("SELECT pg_advisory_xact_lock({})", kMigrationLock));
            int current = 0;
            bool exists = transaction.exec("SELECT to_regclass('autograder_schema') IS NOT NULL")[0][0].as<bool>();
            if (exists) {
                pqxx::result version = transaction.exec("SELECT version FROM autograder_schema");
                if (!version.empty()) current = version[0][0].as<int>();
            }
            // Before anything is written: a newer autograder's database stays untouched.
            if (current > newest_schema_version()) throw schema_too_new(where_, current);
            if (!exists)
                transaction.exec(
                    "CREATE TABLE autograder_schema (version INTEGER NOT NULL); "
                    "INSERT INTO autograder_schema VALUES (0)");
            schema_version_ = apply_migrations(connection, current, kPostgresTypes, [&](int version) {
                transaction.exec(fmt::format("UPDATE autograder_schema SET version = {}", version));
            });
            transaction.commit();
        });
    }

    int schema_version() const override { return schema_version_; }
    int64_t owner_key() const override { return owner_key_; }

    bool owner_alive(SqlConnection& connection, int64_t owner) override {
        // The lock is free only when the Store that took it is gone (its connection closed).
        auto row = connection.first("SELECT pg_try_advisory_lock(?)", {owner});
        if (!row || (*row)[0].integer() == 0) return true;
        connection.query("SELECT pg_advisory_unlock(?)", {owner});
        return false;
    }

private:
    // `use` on a connection of the pool; PostgreSQL's errors as StoreErrors.
    void with_connection(std::string_view doing, const std::function<void(pqxx::connection&)>& use) {
        std::unique_ptr<pqxx::connection> connection;
        try {
            connection = pool_.acquire();
        } catch (const pqxx::failure& error) {
            throw failure(StoreError::Kind::io, doing, "cannot connect", error.what());
        }
        // Back to the pool whatever happens (closed instead when it broke).
        struct GiveBack {
            ConnectionPool& pool;
            std::unique_ptr<pqxx::connection>& connection;
            ~GiveBack() { pool.give_back(std::move(connection)); }
        } give_back{pool_, connection};
        try {
            use(*connection);
        } catch (const pqxx::broken_connection& error) {
            throw failure(StoreError::Kind::io, doing, "the connection to the server broke", error.what());
        } catch (const pqxx::unique_violation& error) {
            throw failure(StoreError::Kind::conflict, doing, "a unique rule refused the change", error.what());
        } catch (const pqxx::integrity_constraint_violation& error) {
            throw failure(StoreError::Kind::conflict, doing, "a rule of the schema refused the change", error.what());
        } catch (const pqxx::transaction_rollback& error) {  // deadlock, serialization failure
            throw failure(StoreError::Kind::busy, doing, "the transaction collided with another", error.what());
        } catch (const pqxx::sql_error& error) {
            if (error.sqlstate() == "55P03")  // lock_not_available: lock_timeout passed
                throw failure(StoreError::Kind::busy, doing, "rows stayed locked", error.what());
            throw failure(StoreError::Kind::io, doing, "the server refused a statement", error.what());
        } catch (const pqxx::failure& error) {
            throw failure(StoreError::Kind::io, doing, "the connection failed", error.what());
        }
    }

    StoreError failure(StoreError::Kind kind, std::string_view doing, std::string_view what, const char* detail) const {
        std::string message = fmt::format("{}: database {}: {}: {}", doing, where_, what, detail);
        while (!message.empty() && message.back() == '\n') message.pop_back();
        return StoreError(kind, scrubbed(std::move(message), password_));
    }

    const std::string where_;     // the URL without its password
    const std::string password_;  // scrubbed from every message
    ConnectionPool pool_;
    std::unique_ptr<pqxx::connection> owner_;  // holds the advisory lock on owner_key_
    int64_t owner_key_ = 0;
    int schema_version_ = 0;
};

}  // namespace

std::unique_ptr<StoreBackend> open_postgres_backend(const StoreOptions& options) {
    auto backend = std::make_unique<PostgresBackend>(options);
    backend->open();
    return backend;
}

}  // namespace autograder::store

namespace autograder {

bool is_postgres_url(std::string_view location) {
    return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::string redact_store_location(std::string_view location) {
    std::string redacted(location);
    if (auto span = store::password_span(location); span && span->second > 0)
        redacted.replace(span->first, span->second, "***");
    return redacted;
}

}  // namespace autograder
