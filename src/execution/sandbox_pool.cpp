#include "autograder/sandbox_pool.hpp"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <thread>

#include <linux/capability.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "sandbox/sandbox_impl.hpp"

namespace autograder {

using Clock = std::chrono::steady_clock;

namespace {

// Making and tearing down sandboxes is the pool's background work: on a busy host it must not
// take the CPU from the runs being graded. The worker thread drops its priority, and the sandboxes
// it makes get the thread's original one back for their runs (see sandbox_impl.hpp). Only where
// the process may raise a priority again (CAP_SYS_NICE): else runs would inherit the low one.
void lower_own_priority() {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2] = {};
    if (::syscall(SYS_capget, &header, data) != 0 || !(data[0].effective & (1u << CAP_SYS_NICE))) return;
    errno = 0;
    int own = ::getpriority(PRIO_PROCESS, 0);  // this thread's
    if (errno != 0 || own >= 10) return;
    if (::setpriority(PRIO_PROCESS, 0, own + 10) == 0) sandbox::runs_nice = own;
}

int pool_size_from_environment() {
    const char* text = std::getenv("AUTOGRADER_SANDBOX_POOL_SIZE");
    if (!text || !*text) return 2;
    char* end = nullptr;
    long value = std::strtol(text, &end, 10);
    if (*end != '\0' || value < 0 || value > 256)
        throw SandboxError(std::string("AUTOGRADER_SANDBOX_POOL_SIZE='") + text +
                           "': expected a whole number from 0 to 256");
    return static_cast<int>(value);
}

}  // namespace

class SandboxPool::Impl {
public:
    struct PerLanguage {
        const Language* language = nullptr;
        SandboxOptions options;
        int target = 0;    // warm sandboxes to keep
        int creating = 0;  // being made now
        int waiting = 0;   // acquires waiting for one
        std::deque<std::unique_ptr<Sandbox>> idle;
        // Creation failed: no retry until an acquire asks again (no busy loop on a broken host).
        bool suspended = false;
        uint64_t failures = 0;
        std::string last_error;
    };

    SandboxPoolOptions options;
    int default_size = 2;
    mutable std::mutex mutex;
    std::condition_variable work_ready;             // wakes the workers
    mutable std::condition_variable sandbox_ready;  // wakes acquire and wait_until_ready
    std::map<std::string, PerLanguage> languages;
    std::deque<std::unique_ptr<Sandbox>> to_destroy;
    int64_t destroying = 0;  // taken from to_destroy, being torn down now
    int64_t active = 0;
    SandboxPoolStats stats;
    bool stopping = false;
    std::vector<std::thread> workers;

    int64_t total_locked() const {
        int64_t total = active + destroying + static_cast<int64_t>(to_destroy.size());
        for (const auto& [name, entry] : languages) total += entry.creating + static_cast<int64_t>(entry.idle.size());
        return total;
    }

    PerLanguage& entry_locked(const Language& language) {
        auto [it, inserted] = languages.try_emplace(language.name);
        if (inserted) {
            it->second.language = &language;
            it->second.options = sandbox_options_for(options.languages, language, options.sandbox);
            auto size = options.size_per_language.find(language.name);
            it->second.target = size != options.size_per_language.end() ? size->second : default_size;
        }
        return it->second;
    }

    // The language that most needs a new sandbox, or nullptr.
    PerLanguage* next_to_create_locked() {
        if (total_locked() >= options.max_total) return nullptr;
        PerLanguage* best = nullptr;
        int best_have = 0;
        for (auto& [name, entry] : languages) {
            if (entry.suspended) continue;
            int have = entry.creating + static_cast<int>(entry.idle.size());
            int want = std::max(entry.target, entry.waiting);
            if (have < want && (!best || have < best_have)) {
                best = &entry;
                best_have = have;
            }
        }
        return best;
    }

    void work() {
        lower_own_priority();
        std::unique_lock lock(mutex);
        for (;;) {
            work_ready.wait(lock,
                            [&] { return stopping || !to_destroy.empty() || next_to_create_locked() != nullptr; });
            if (stopping) return;
            if (!to_destroy.empty()) {
                auto doomed = std::move(to_destroy.front());
                to_destroy.pop_front();
                ++destroying;
                lock.unlock();
                doomed.reset();
                lock.lock();
                --destroying;
                ++stats.destroyed;
                sandbox_ready.notify_all();
                continue;  // capacity is free again: the next pass may create
            }
            PerLanguage* entry = next_to_create_locked();
            if (!entry) continue;
            ++entry->creating;
            SandboxOptions sandbox_options = entry->options;
            lock.unlock();
            std::unique_ptr<Sandbox> made;
            std::string error;
            try {
                made = Sandbox::create(sandbox_options);
            } catch (const std::exception& e) {
                error = e.what();
            }
            lock.lock();
            --entry->creating;
            if (made) {
                entry->idle.push_back(std::move(made));
                entry->last_error.clear();
                ++stats.created;
            } else {
                entry->suspended = true;
                entry->last_error = error;
                ++entry->failures;
                ++stats.failures;
            }
            sandbox_ready.notify_all();
        }
    }
};

SandboxPool::SandboxPool(SandboxPoolOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
    impl_->default_size = impl_->options.default_size >= 0 ? impl_->options.default_size : pool_size_from_environment();
    if (impl_->options.max_total < 1) throw SandboxError("sandbox pool: max_total must be >= 1");
    for (const auto& [name, size] : impl_->options.size_per_language) {
        if (!impl_->options.languages.find(name))
            throw SandboxError("sandbox pool: unknown language '" + name + "' in size_per_language");
        if (size < 0) throw SandboxError("sandbox pool: size of '" + name + "' must be >= 0");
    }
    {
        std::lock_guard lock(impl_->mutex);
        for (const auto& name : impl_->options.warm_languages) {
            const Language* language = impl_->options.languages.find(name);
            if (!language) throw SandboxError("sandbox pool: unknown language '" + name + "'");
            impl_->entry_locked(*language);
        }
    }
    unsigned count = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
    for (unsigned i = 0; i < count; ++i) impl_->workers.emplace_back([this] { impl_->work(); });
}

SandboxPool::~SandboxPool() {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stopping = true;
    }
    impl_->work_ready.notify_all();
    for (auto& worker : impl_->workers) worker.join();
    // Idle and released sandboxes are destroyed with the maps that hold them.
}

SandboxPool::Lease SandboxPool::acquire(const std::string& language_name, std::chrono::milliseconds timeout) {
    const Language* language = impl_->options.languages.find(language_name);
    if (!language) throw SandboxError("sandbox pool: unknown language '" + language_name + "'");
    const auto start = Clock::now();
    const auto deadline = start + timeout;
    std::unique_lock lock(impl_->mutex);
    auto& entry = impl_->entry_locked(*language);
    const uint64_t failures_before = entry.failures;
    entry.suspended = false;  // an acquire always allows another attempt
    bool waited = false;
    ++entry.waiting;
    impl_->work_ready.notify_one();
    while (entry.idle.empty()) {
        waited = true;
        if (entry.failures != failures_before && entry.creating == 0) {
            --entry.waiting;
            throw SandboxError("sandbox pool: cannot make a '" + language->name + "' sandbox: " + entry.last_error);
        }
        if (impl_->sandbox_ready.wait_until(lock, deadline) == std::cv_status::timeout && entry.idle.empty()) {
            --entry.waiting;
            ++impl_->stats.waits;
            impl_->stats.wait_time_ms += std::chrono::duration<double, std::milli>(Clock::now() - start).count();
            throw SandboxError("sandbox pool: no '" + language->name + "' sandbox free within " +
                               std::to_string(timeout.count()) + " ms (raise max_total or the timeout)");
        }
    }
    --entry.waiting;
    auto sandbox = std::move(entry.idle.front());
    entry.idle.pop_front();
    ++impl_->active;
    if (waited) {
        ++impl_->stats.waits;
        impl_->stats.wait_time_ms += std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    }
    impl_->work_ready.notify_one();  // replenish
    return Lease(this, language->name, std::move(sandbox));
}

SandboxPool::Lease SandboxPool::acquire_with_loopback_network(const std::string& language_name) {
    const Language* language = impl_->options.languages.find(language_name);
    if (!language) throw SandboxError("sandbox pool: unknown language '" + language_name + "'");
    SandboxOptions options = sandbox_options_for(impl_->options.languages, *language, impl_->options.sandbox);
    options.loopback_network = true;
    std::unique_ptr<Sandbox> sandbox;
    try {
        sandbox = Sandbox::create(options);
    } catch (const std::exception& e) {
        std::lock_guard lock(impl_->mutex);
        ++impl_->stats.failures;
        throw SandboxError("sandbox pool: cannot make a '" + language->name +
                           "' sandbox with loopback networking: " + e.what());
    }
    std::lock_guard lock(impl_->mutex);
    ++impl_->active;
    ++impl_->stats.created;
    return Lease(this, language->name, std::move(sandbox));
}

bool SandboxPool::wait_until_ready(std::chrono::milliseconds timeout) const {
    std::unique_lock lock(impl_->mutex);
    return impl_->sandbox_ready.wait_for(lock, timeout, [&] {
        if (!impl_->to_destroy.empty() || impl_->destroying > 0) return false;
        bool full = impl_->total_locked() >= impl_->options.max_total;
        for (const auto& [name, entry] : impl_->languages) {
            if (entry.creating > 0) return false;
            bool warm = static_cast<int>(entry.idle.size()) >= entry.target;
            if (!warm && !entry.suspended && !full) return false;
        }
        return true;
    });
}

SandboxPoolStats SandboxPool::stats() const {
    std::lock_guard lock(impl_->mutex);
    SandboxPoolStats stats = impl_->stats;
    stats.active = impl_->active;
    stats.idle = 0;
    for (const auto& [name, entry] : impl_->languages) stats.idle += static_cast<int64_t>(entry.idle.size());
    return stats;
}

const LanguageTable& SandboxPool::languages() const {
    return impl_->options.languages;
}

nlohmann::json SandboxPoolStats::to_json() const {
    return {{"idle", idle},           {"active", active}, {"created", created},
            {"destroyed", destroyed}, {"waits", waits},   {"wait_time_ms", wait_time_ms},
            {"failures", failures}};
}

SandboxPool::Lease::Lease(SandboxPool* pool, std::string language, std::unique_ptr<Sandbox> sandbox)
    : pool_(pool), language_(std::move(language)), sandbox_(std::move(sandbox)) {}

SandboxPool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)),
      language_(std::move(other.language_)),
      sandbox_(std::move(other.sandbox_)) {}

SandboxPool::Lease& SandboxPool::Lease::operator=(Lease&& other) noexcept {
    if (this != &other) {
        release();
        pool_ = std::exchange(other.pool_, nullptr);
        language_ = std::move(other.language_);
        sandbox_ = std::move(other.sandbox_);
    }
    return *this;
}

SandboxPool::Lease::~Lease() {
    release();
}

void SandboxPool::Lease::release() {
    if (!pool_ || !sandbox_) return;
    auto& impl = *pool_->impl_;
    {
        std::lock_guard lock(impl.mutex);
        --impl.active;
        // Used sandboxes are never handed out again: destroyed in the background.
        impl.to_destroy.push_back(std::move(sandbox_));
    }
    impl.work_ready.notify_one();
    pool_ = nullptr;
}

}  // namespace autograder
