// Tells Server-Sent Event streams that an execution changed state. Workers publish after each
// change they commit; a stream re-reads its execution from the store and waits again. One counter
// for all executions: streams are few, and a spurious wake-up only costs a read.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace autograder::server {

class EventHub {
public:
    void publish();
    uint64_t generation() const;
    // Waits until a publish after `seen`, shutdown() or `timeout`. False once shut down.
    bool wait_for_change(uint64_t seen, std::chrono::milliseconds timeout) const;
    // Wakes every stream for good (the server is draining).
    void shutdown();

private:
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    uint64_t generation_ = 0;
    bool shut_down_ = false;
};

}  // namespace autograder::server
