#include "event_hub.hpp"

namespace autograder::server {

void EventHub::publish() {
    {
        std::lock_guard lock(mutex_);
        ++generation_;
    }
    changed_.notify_all();
}

uint64_t EventHub::generation() const {
    std::lock_guard lock(mutex_);
    return generation_;
}

bool EventHub::wait_for_change(uint64_t seen, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return shut_down_ || generation_ != seen; });
    return !shut_down_;
}

void EventHub::shutdown() {
    {
        std::lock_guard lock(mutex_);
        shut_down_ = true;
    }
    changed_.notify_all();
}

}  // namespace autograder::server
