// The store's schema as a list of numbered migrations. A database records the last one applied in
// PRAGMA user_version; opening runs the ones after it, all in one transaction. A change to the
// schema is a new entry at the end of the list, never an edit of an applied one.
#pragma once

#include <string>

#include <SQLiteCpp/SQLiteCpp.h>

namespace autograder::store {

int newest_schema_version();

// The schema version the database of `connection` is at (PRAGMA user_version). Throws StoreError
// schema_too_new when it is newer than this binary knows, before anything is written.
int checked_schema_version(SQLite::Database& connection, const std::string& path);

// Brings the database of `connection` (at `path`) up to newest_schema_version(). Throws
// StoreError schema_too_new when a newer autograder wrote it. Returns the version it is at.
int migrate(SQLite::Database& connection, const std::string& path);

}  // namespace autograder::store
