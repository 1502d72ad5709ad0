// What route handlers and workers share. Owned by main(); handlers keep a reference. For
// --list-routes the routes are registered against an empty context and never called.
#pragma once

#include <atomic>
#include <functional>
#include <memory>

#include "autograder/sandbox_pool.hpp"
#include "autograder/store.hpp"
#include "autograder/templates.hpp"
#include "event_hub.hpp"
#include "job_queue.hpp"
#include "metrics.hpp"
#include "queue/pipeline_cache.hpp"
#include "queue_depth.hpp"
#include "server_options.hpp"

namespace autograder::server {

struct ServerContext {
    ServerOptions options;
    std::unique_ptr<Store> store;
    std::shared_ptr<SandboxPool> pool;
    std::unique_ptr<queue::PipelineCache> pipelines;
    std::unique_ptr<JobQueue> queue;  // where grade jobs are graded (job_queue.hpp)
    TemplateRegistry templates = TemplateRegistry::with_defaults();
    EventHub events;
    Metrics metrics;
    QueueDepth queue_depth{std::chrono::milliseconds(100)};
    std::function<void()> wake_workers = [] {};  // a job was queued
    std::atomic<bool> draining{false};
    bool sandboxes_supported = false;  // detect_host_support() found nothing missing, at start
};

// Answers 503 with Retry-After when the queue is at --max-queue, so POSTs cannot grow it without
// bound.
void refuse_when_queue_full(ServerContext& context);

}  // namespace autograder::server
