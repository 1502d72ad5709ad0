// SandboxPool: warm sandboxes per language, made before they are asked for, so that acquiring one
// costs microseconds. A released sandbox is destroyed (never reused by another submission) and a
// fresh one is made in the background. Thread-safe: any thread may acquire and release.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "autograder/languages.hpp"
#include "autograder/sandbox.hpp"

namespace autograder {

struct SandboxPoolOptions {
    LanguageTable languages = LanguageTable::defaults();
    // Warm sandboxes kept per language. Languages not listed use default_size, which defaults to
    // AUTOGRADER_SANDBOX_POOL_SIZE from the environment, else 2.
    std::map<std::string, int> size_per_language;
    int default_size = -1;   // -1: from the environment as above
    int max_total = 32;      // idle + in use, over all languages
    SandboxOptions sandbox;  // base options; each language adds its paths
    // Languages warmed at construction; others are warmed on first use.
    std::vector<std::string> warm_languages;
};

struct SandboxPoolStats {
    int64_t idle = 0;
    int64_t active = 0;
    int64_t created = 0;
    int64_t destroyed = 0;
    int64_t waits = 0;        // acquires that found no idle sandbox
    double wait_time_ms = 0;  // total time spent waiting in acquire
    int64_t failures = 0;     // sandboxes that could not be made
    nlohmann::json to_json() const;
};

class SandboxPool {
public:
    explicit SandboxPool(SandboxPoolOptions options = {});
    ~SandboxPool();  // destroys idle sandboxes; waits for background creation to stop
    SandboxPool(const SandboxPool&) = delete;
    SandboxPool& operator=(const SandboxPool&) = delete;

    // A sandbox on loan; returning it (destruction or release()) destroys the sandbox and
    // replenishes the pool in the background.
    class Lease {
    public:
        Lease() = default;
        Lease(Lease&&) noexcept;
        Lease& operator=(Lease&&) noexcept;
        ~Lease();
        Sandbox& operator*() const { return *sandbox_; }
        Sandbox* operator->() const { return sandbox_.get(); }
        explicit operator bool() const { return sandbox_ != nullptr; }
        const std::string& language() const { return language_; }
        void release();

    private:
        friend class SandboxPool;
        Lease(SandboxPool* pool, std::string language, std::unique_ptr<Sandbox> sandbox);
        SandboxPool* pool_ = nullptr;
        std::string language_;
        std::unique_ptr<Sandbox> sandbox_;
    };

    // Waits up to `timeout` for a sandbox of that language. Throws SandboxError on timeout, for an
    // unknown language, or when sandboxes cannot be made on this host (with the reason).
    Lease acquire(const std::string& language, std::chrono::milliseconds timeout = std::chrono::seconds(30));
    // A sandbox of that language with loopback-only networking (SandboxOptions::loopback_network,
    // for a test that starts the student's server), made now instead of kept warm: few
    // configurations need one. It counts as in use and is released like any other. Throws
    // SandboxError for an unknown language or when it cannot be made.
    Lease acquire_with_loopback_network(const std::string& language);

    // Waits until every language in use has its warm sandboxes and released ones are destroyed
    // (a readiness probe). Returns false on timeout.
    bool wait_until_ready(std::chrono::milliseconds timeout) const;

    SandboxPoolStats stats() const;
    const LanguageTable& languages() const;

private:
    // The implementation (src/sandbox/): private, so that hosts depend on this header only.
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace autograder
