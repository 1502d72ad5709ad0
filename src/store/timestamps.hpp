// The store's clock: what it writes in *_at columns (UTC, ISO 8601 with milliseconds) and the
// milliseconds since the epoch it compares backoffs with.
#pragma once

#include <cstdint>
#include <string>

namespace autograder::store {

int64_t now_milliseconds();

// "2026-11-27T21:56:31.123Z"
std::string iso8601(int64_t milliseconds_since_epoch);

}  // namespace autograder::store
