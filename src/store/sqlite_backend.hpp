// The store in one SQLite file (SQLiteCpp): WAL, writes through one connection behind a mutex,
// each in one `BEGIN IMMEDIATE` transaction (so a read-modify-write, such as claiming a job, holds
// the write lock from its first read); reads on connections of their own from a pool, each
// reading one snapshot, so they never wait for a write.
#pragma once

#include <memory>

#include "autograder/store.hpp"
#include "store/sql.hpp"

namespace autograder::store {

// Opens (creating when missing) and migrates the file at options.path.
std::unique_ptr<StoreBackend> open_sqlite_backend(const StoreOptions& options);

}  // namespace autograder::store
