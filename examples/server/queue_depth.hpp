// How many jobs wait, as POSTs compare it with --max-queue. Counting jobs in the store reads the
// whole queue, too slow for every request at thousands a second: the count is taken again at
// most every `refresh`, and jobs this process queued since are added to it. It can only
// overestimate (jobs claimed since the count are still in it), so the limit holds.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

#include "autograder/store.hpp"

namespace autograder::server {

class QueueDepth {
public:
    explicit QueueDepth(std::chrono::milliseconds refresh) : refresh_(refresh) {}
    int64_t waiting(const Store& store);
    void queued(int64_t jobs = 1);  // `jobs` jobs were committed

private:
    std::chrono::milliseconds refresh_;
    std::mutex mutex_;
    std::optional<std::chrono::steady_clock::time_point> counted_at_;
    int64_t waiting_ = 0;
};

}  // namespace autograder::server
