// The store's schema as a list of numbered migrations, written once for both databases. A
// database records the last one applied (SQLite: PRAGMA user_version; PostgreSQL: the table
// autograder_schema); opening runs the ones after it, all in one transaction. A change to the
// schema is a new entry at the end of the list, never an edit of an applied one.
#pragma once

#include <functional>
#include <string_view>

#include "autograder/store.hpp"
#include "store/sql.hpp"

namespace autograder::store {

// How a database spells the column types the schema needs.
struct SqlTypes {
    const char* key;      // an integer id the database assigns on insert
    const char* integer;  // 64 bits
    const char* real;     // a double
    const char* blob;     // bytes
};
extern const SqlTypes kSqliteTypes;
extern const SqlTypes kPostgresTypes;

int newest_schema_version();

// The refusal of a database at schema `version`, newer than this binary knows; `where` names it.
StoreError schema_too_new(std::string_view where, int version);

// Runs the migrations after `current` on `connection` (inside the caller's transaction), calling
// `record_version` after each. Returns the version reached.
int apply_migrations(SqlConnection& connection, int current, const SqlTypes& types,
                     const std::function<void(int)>& record_version);

}  // namespace autograder::store
