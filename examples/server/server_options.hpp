// What `autograder-server` is configured with (flags and environment, see main.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace autograder::server {

// Limits of one run of a live code session (and the defaults of POST /execute).
struct LiveRunLimits {
    double time_s = 10;        // CPU and wall time
    int64_t memory_mb = 128;   // whole process tree
    int processes = 50;        // processes and threads at once
    int64_t output_kb = 1024;  // stdout and stderr, each
};

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8000;  // 0: a free port, printed at start-up
    std::string db = "./autograder.db";
    std::string token;
    std::string queue;  // empty: jobs are graded here; redis://…: by `autograder worker` processes
    std::string queue_prefix = "autograder";
    // A PostgreSQL store is shared: look for jobs other servers queued this often (seconds), and
    // queue again the jobs of servers that are gone this often.
    double shared_poll_s = 1;
    double requeue_interval_s = 30;
    int workers = -1;  // -1: the sandbox pool's size; 0: accept jobs without running them
    int pool_size = 2;
    bool json_logs = false;
    int http_threads = 16;
    int64_t max_queue = 10000;  // jobs waiting at which POSTs answer 503
    std::size_t max_body_bytes = 16u << 20;
    std::size_t max_files = 100;
    std::size_t max_file_bytes = 1u << 20;
    std::size_t max_filename_bytes = 255;
    std::size_t max_code_bytes = 256u << 10;
    std::size_t max_test_cases = 50;
    LiveRunLimits live;
};

}  // namespace autograder::server
