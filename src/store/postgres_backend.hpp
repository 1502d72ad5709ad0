// The store in a PostgreSQL database (libpqxx), shared by any number of servers. Every call takes
// a connection from a pool (StoreOptions::pool_size at most); a write is one READ COMMITTED
// transaction that locks the rows it changes (SELECT ... FOR UPDATE, claims with SKIP LOCKED), a
// read one REPEATABLE READ, READ ONLY transaction (one snapshot). Migrations run under an advisory
// lock, so servers starting at once migrate once. Each Store holds a session advisory lock on its
// own key (jobs.owner) for as long as it lives, so a server knows which running jobs are orphans.
#pragma once

#include <memory>

#include "autograder/store.hpp"
#include "store/sql.hpp"

namespace autograder::store {

// Connects to options.url and migrates.
std::unique_ptr<StoreBackend> open_postgres_backend(const StoreOptions& options);

}  // namespace autograder::store
