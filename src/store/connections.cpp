#include "store/connections.hpp"

#include <sqlite3.h>

#include <fmt/format.h>

#include "text/utf8.hpp"

namespace autograder::store {

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

ReadPool::Lease ReadPool::acquire() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            auto connection = std::move(idle_.back());
            idle_.pop_back();
            return Lease(*this, std::move(connection));
        }
    }
    return Lease(*this, open_connection(options_, false));
}

void ReadPool::give_back(std::unique_ptr<SQLite::Database> connection) {
    if (!connection) return;
    std::lock_guard lock(mutex_);
    if (idle_.size() < kMaxIdle) idle_.push_back(std::move(connection));
}

std::string text_of(const SQLite::Column& column) {
    if (column.isNull()) return {};
    const char* data = static_cast<const char*>(column.getBlob());
    int size = column.getBytes();
    return data == nullptr || size <= 0 ? std::string() : std::string(data, static_cast<std::size_t>(size));
}

std::optional<std::string> optional_text_of(const SQLite::Column& column) {
    if (column.isNull()) return std::nullopt;
    return text_of(column);
}

nlohmann::json json_of(const SQLite::Column& column) {
    if (column.isNull()) return nullptr;
    auto parsed = nlohmann::json::parse(text_of(column), nullptr, /*allow_exceptions=*/false);
    return parsed.is_discarded() ? nlohmann::json() : parsed;
}

std::string json_column_text(const nlohmann::json& value) {
    return text::json_text(value);
}

}  // namespace autograder::store
