// In-process figures for GET /metrics (Prometheus text format, version 0.0.4). Job counts and
// sandbox pool statistics are read when scraped; durations and outcomes are counted here.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "autograder/sandbox_pool.hpp"
#include "autograder/store.hpp"

namespace autograder::server {

class DurationHistogram {
public:
    void observe(double seconds);
    // The _bucket, _sum and _count lines of `name`.
    std::string render(const std::string& name, const std::string& help) const;

private:
    static constexpr std::array<double, 12> kBounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    mutable std::mutex mutex_;
    std::array<uint64_t, kBounds.size() + 1> counts_{};  // the last: above every bound
    double sum_ = 0;
    uint64_t count_ = 0;
};

class Metrics {
public:
    DurationHistogram grading_seconds;  // one grade job, from claim to result
    DurationHistogram run_seconds;      // one live run, from claim to outcome
    DurationHistogram execute_seconds;  // one POST /execute

    void count_job_outcome(const std::string& kind, const std::string& outcome);  // "grade", "completed"
    void count_response(int status);

    std::string render(const JobCounts& jobs, const SandboxPoolStats& pool) const;

private:
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, std::string>, uint64_t> job_outcomes_;
    std::map<int, uint64_t> responses_;
};

}  // namespace autograder::server
