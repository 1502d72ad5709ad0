// The embedded queue: the server's own worker threads grade what they claim from the store.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include "job_handlers.hpp"
#include "job_queue.hpp"
#include "queue/job_messages.hpp"
#include "server_context.hpp"

namespace autograder::server {
namespace {

class StoreJobQueue final : public JobQueue {
public:
    StoreJobQueue(ServerContext& context, int threads) : context_(context), threads_(threads) {}

    void take(const Job& job) override { run_grade_job(context_, job); }

    nlohmann::json status() override {
        const JobCounts counts = context_.store->job_counts();
        const auto count = [&](const char* status) {
            auto found = counts.by_status.find(status);
            return found == counts.by_status.end() ? int64_t{0} : found->second;
        };
        return {{"backend", "store"},
                {"length", count("queued") + count("running")},
                {"pending", count("running")},
                {"waiting", count("queued")},
                {"dead_letters", count("failed")},
                {"jobs", counts.by_status}};
    }

    nlohmann::json workers() override {
        const JobCounts counts = context_.store->job_counts();
        const auto count = [&](const char* status) {
            auto found = counts.by_status.find(status);
            return found == counts.by_status.end() ? int64_t{0} : found->second;
        };
        const bool busy = count("running") > 0;
        return {{"backend", "store"},
                {"workers",
                 {{{"name", "embedded"},
                   {"state", context_.draining ? "draining"
                             : busy            ? "busy"
                                               : "idle"},
                   {"last_heartbeat", queue::utc_now_iso8601()},
                   {"jobs_done", count("done")},
                   {"jobs_failed", count("failed")},
                   {"concurrency", threads_}}}}};
    }

private:
    ServerContext& context_;
    int threads_;
};

}  // namespace

std::unique_ptr<JobQueue> make_store_job_queue(ServerContext& context, int threads) {
    return std::make_unique<StoreJobQueue>(context, threads);
}

}  // namespace autograder::server
