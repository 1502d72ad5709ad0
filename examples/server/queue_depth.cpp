#include "queue_depth.hpp"

namespace autograder::server {

int64_t QueueDepth::waiting(const Store& store) {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (!counted_at_ || now - *counted_at_ >= refresh_) {
        waiting_ = store.job_counts().waiting;
        counted_at_ = now;
    }
    return waiting_;
}

void QueueDepth::queued(int64_t jobs) {
    std::lock_guard lock(mutex_);
    waiting_ += jobs;
}

}  // namespace autograder::server
