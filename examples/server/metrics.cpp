#include "metrics.hpp"

#include <fmt/format.h>

namespace autograder::server {

void DurationHistogram::observe(double seconds) {
    std::lock_guard lock(mutex_);
    std::size_t bucket = 0;
    while (bucket < kBounds.size() && seconds > kBounds[bucket]) ++bucket;
    ++counts_[bucket];
    sum_ += seconds;
    ++count_;
}

std::string DurationHistogram::render(const std::string& name, const std::string& help) const {
    std::lock_guard lock(mutex_);
    std::string text = fmt::format("# HELP {0} {1}\n# TYPE {0} histogram\n", name, help);
    uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBounds.size(); ++i) {
        cumulative += counts_[i];
        text += fmt::format("{}_bucket{{le=\"{}\"}} {}\n", name, kBounds[i], cumulative);
    }
    text += fmt::format("{}_bucket{{le=\"+Inf\"}} {}\n", name, count_);
    text += fmt::format("{}_sum {}\n{}_count {}\n", name, sum_, name, count_);
    return text;
}

void Metrics::count_job_outcome(const std::string& kind, const std::string& outcome) {
    std::lock_guard lock(mutex_);
    ++job_outcomes_[{kind, outcome}];
}

void Metrics::count_response(int status) {
    std::lock_guard lock(mutex_);
    ++responses_[status];
}

std::string Metrics::render(const JobCounts& jobs, const SandboxPoolStats& pool) const {
    std::string text;
    text += "# HELP autograder_jobs Durable jobs in the store, by status.\n# TYPE autograder_jobs gauge\n";
    for (const auto& [status, count] : jobs.by_status)
        text += fmt::format("autograder_jobs{{status=\"{}\"}} {}\n", status, count);
    text +=
        "# HELP autograder_queue_depth Jobs waiting to be claimed (backoffs included).\n"
        "# TYPE autograder_queue_depth gauge\n";
    text += fmt::format("autograder_queue_depth {}\n", jobs.waiting);
    {
        std::lock_guard lock(mutex_);
        text +=
            "# HELP autograder_job_outcomes_total Jobs finished by this process, by kind and outcome.\n"
            "# TYPE autograder_job_outcomes_total counter\n";
        for (const auto& [key, count] : job_outcomes_)
            text += fmt::format("autograder_job_outcomes_total{{kind=\"{}\",outcome=\"{}\"}} {}\n", key.first,
                                key.second, count);
        text +=
            "# HELP autograder_http_responses_total HTTP responses, by status code.\n"
            "# TYPE autograder_http_responses_total counter\n";
        for (const auto& [status, count] : responses_)
            text += fmt::format("autograder_http_responses_total{{code=\"{}\"}} {}\n", status, count);
    }
    text += grading_seconds.render("autograder_grading_duration_seconds", "Time to grade one submission.");
    text += run_seconds.render("autograder_run_duration_seconds", "Time of one live code-session run.");
    text += execute_seconds.render("autograder_execute_duration_seconds", "Time of one POST /execute.");
    const std::pair<const char*, double> gauges[] = {{"idle", static_cast<double>(pool.idle)},
                                                     {"active", static_cast<double>(pool.active)}};
    text +=
        "# HELP autograder_sandbox_pool_sandboxes Sandboxes of the pool, idle and in use.\n"
        "# TYPE autograder_sandbox_pool_sandboxes gauge\n";
    for (const auto& [state, value] : gauges)
        text += fmt::format("autograder_sandbox_pool_sandboxes{{state=\"{}\"}} {}\n", state, value);
    const std::pair<const char*, int64_t> counters[] = {
        {"created", pool.created}, {"destroyed", pool.destroyed}, {"waits", pool.waits}, {"failures", pool.failures}};
    for (const auto& [name, value] : counters)
        text += fmt::format(
            "# HELP autograder_sandbox_pool_{0}_total Sandbox pool: {0}.\n# TYPE autograder_sandbox_pool_{0}_total "
            "counter\nautograder_sandbox_pool_{0}_total {1}\n",
            name, value);
    text += fmt::format(
        "# HELP autograder_sandbox_pool_wait_seconds_total Time spent waiting for a sandbox.\n"
        "# TYPE autograder_sandbox_pool_wait_seconds_total counter\nautograder_sandbox_pool_wait_seconds_total {}\n",
        pool.wait_time_ms / 1000.0);
    return text;
}

}  // namespace autograder::server
