// autograder-server: the grading service. Flags and environment, start-up (store, abandoned jobs,
// sandbox pool, workers, listener), and the drain on SIGTERM/SIGINT: stop accepting, let running
// jobs finish, exit 0.
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <thread>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "http_server.hpp"
#include "job_workers.hpp"
#include "queue/redis_client.hpp"
#include "request_guards.hpp"
#include "routes.hpp"
#include "server_log.hpp"

namespace autograder::server {
namespace {

void add_flags(CLI::App& app, ServerOptions& o, bool& list_routes) {
    app.add_option("--host", o.host, "Address to listen on")->envname("AUTOGRADER_HOST")->capture_default_str();
    app.add_option("--port", o.port, "Port to listen on; 0 picks a free one (the log says which)")
        ->envname("AUTOGRADER_PORT")
        ->capture_default_str()
        ->check(CLI::Range(0, 65535));
    app.add_option("--db", o.db,
                   "SQLite database file (created when missing), or a PostgreSQL URL (postgresql://user:password@host/"
                   "database) that several servers share")
        ->envname("AUTOGRADER_DB")
        ->capture_default_str();
    app.add_option("--token", o.token,
                   "Bearer token clients must send (also AUTOGRADER_INTEGRATION_TOKEN); without one, a random "
                   "token is generated and printed once at start")
        ->envname("AUTOGRADER_API_TOKEN");
    app.add_option(
           "--queue", o.queue,
           "Grade through `autograder worker` processes on this Redis (redis://host[:port][/database]) "
           "instead of here (redis://:password@host for a Redis with a password); the database stays the record of "
           "every job")
        ->envname("AUTOGRADER_QUEUE")
        ->check([](const std::string& url) {
            try {
                queue::parse_redis_url(url);
                return std::string();
            } catch (const std::invalid_argument& e) {
                return std::string(e.what());
            }
        });
    app.add_option("--queue-prefix", o.queue_prefix, "Prefix of the queue's Redis keys (the workers' --prefix)")
        ->capture_default_str();
    app.add_option("--shared-poll", o.shared_poll_s,
                   "With --db postgresql://: seconds between looks for jobs other servers queued")
        ->capture_default_str()
        ->check(CLI::Range(0.05, 60.0));
    app.add_option("--requeue-interval", o.requeue_interval_s,
                   "With --db postgresql://: seconds between looks for jobs left running by servers that are gone "
                   "(they are queued again)")
        ->capture_default_str()
        ->check(CLI::Range(0.1, 86400.0));
    app.add_option(
           "--workers", o.workers,
           "Jobs graded or run at once (default: the pool size; 0: accept jobs, run none); with --queue, threads "
           "handing grade jobs to Redis")
        ->check(CLI::Range(-1, 256));
    app.add_option("--pool-size", o.pool_size, "Warm sandboxes kept per language")
        ->envname("AUTOGRADER_SANDBOX_POOL_SIZE")
        ->capture_default_str()
        ->check(CLI::Range(1, 64));
    app.add_flag("--json-logs", o.json_logs, "Log one JSON object per line")->envname("JSON_LOGS");
    app.add_option("--http-threads", o.http_threads, "Threads answering HTTP requests")
        ->capture_default_str()
        ->check(CLI::Range(1, 1024));
    app.add_option("--max-queue", o.max_queue, "Jobs waiting at which POSTs answer 503 with Retry-After")
        ->capture_default_str()
        ->check(CLI::Range(int64_t{0}, int64_t{100000000}));
    app.add_option("--max-body-bytes", o.max_body_bytes, "Largest request body (413 above)")
        ->capture_default_str()
        ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 30));
    app.add_option("--max-files", o.max_files, "Most files in one submission or execution")
        ->capture_default_str()
        ->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
    app.add_option("--max-file-bytes", o.max_file_bytes, "Largest content of one file")
        ->capture_default_str()
        ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 30));
    app.add_option("--max-filename-bytes", o.max_filename_bytes, "Longest file name (a relative path)")
        ->capture_default_str()
        ->check(CLI::Range(std::size_t{1}, std::size_t{4096}));
    app.add_option("--max-code-bytes", o.max_code_bytes, "Largest code of a live code session")
        ->capture_default_str()
        ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 30));
    app.add_option("--max-test-cases", o.max_test_cases, "Most test cases of one POST /execute")
        ->capture_default_str()
        ->check(CLI::Range(std::size_t{1}, std::size_t{10000}));
    app.add_option("--run-time-limit", o.live.time_s, "Live runs: CPU and wall time, seconds")
        ->capture_default_str()
        ->check(CLI::Range(0.01, 3600.0));
    app.add_option("--run-memory-limit", o.live.memory_mb, "Live runs: memory, MiB")
        ->capture_default_str()
        ->check(CLI::Range(int64_t{16}, int64_t{65536}));
    app.add_option("--run-processes", o.live.processes, "Live runs: processes and threads at once")
        ->capture_default_str()
        ->check(CLI::Range(1, 4096));
    app.add_flag("--list-routes", list_routes, "Print every route (METHOD /path) and exit");
    app.footer(
        "Endpoints are under /api/v1 (GET /api/v1/openapi.json describes them). Every write, and every read of "
        "submissions, sessions and executions, needs `Authorization: Bearer <token>`.\n"
        "SIGTERM or SIGINT drains: the listener stops, running jobs finish, queued ones stay in the database for "
        "the next start.\nWith --queue redis://HOST:PORT the server grades nothing itself: `autograder worker --redis "
        "redis://HOST:PORT` processes do (docs/scale-out.md).\nExample: autograder-server --port 8000 --db "
        "/var/lib/autograder/grades.db --token "
        "\"$TOKEN\"");
}

Router make_router(ServerContext& context) {
    Router router;
    add_health_routes(router, context);
    add_config_routes(router, context);
    add_submission_routes(router, context);
    add_grading_run_routes(router, context);
    add_execute_routes(router, context);
    add_session_routes(router, context);
    add_queue_routes(router, context);
    add_page_routes(router);
    return router;
}

// Blocks until SIGTERM or SIGINT (blocked in every thread, read here from a signalfd).
int wait_for_stop_signal(const sigset_t& signals) {
    const int fd = ::signalfd(-1, &signals, SFD_CLOEXEC);
    if (fd < 0) throw std::runtime_error("signalfd failed");
    signalfd_siginfo info{};
    while (::read(fd, &info, sizeof info) != static_cast<ssize_t>(sizeof info)) {
    }
    ::close(fd);
    return static_cast<int>(info.ssi_signo);
}

int serve(ServerContext& context, const sigset_t& signals) {
    const ServerOptions& o = context.options;
    try {
        StoreOptions store_options;
        (is_postgres_url(o.db) ? store_options.url : store_options.path) = o.db;
        context.store = Store::open(store_options);
    } catch (const StoreError& e) {
        log_error(fmt::format("cannot open the database {}: {}", redact_store_location(o.db), e.what()));
        return 1;
    }
    if (const int64_t requeued = context.store->requeue_abandoned_jobs(); requeued > 0)
        log_info(fmt::format("{} jobs left running by a previous process are queued again", requeued));

    const HostSupport support = detect_host_support();
    context.sandboxes_supported = support.problems.empty();
    for (const auto& problem : support.problems) log_warning("sandboxes cannot be made here: " + problem);

    SandboxPoolOptions pool_options;
    pool_options.default_size = o.pool_size;
    pool_options.max_total = std::max(32, o.pool_size * 4);
    context.pool = std::make_shared<SandboxPool>(std::move(pool_options));
    context.pipelines = std::make_unique<queue::PipelineCache>(context.pool, 256);
    const int worker_threads = o.workers < 0 ? o.pool_size : o.workers;
    if (o.queue.empty())
        context.queue = make_store_job_queue(context, worker_threads);
    else
        context.queue = make_redis_job_queue(context, o.queue, o.queue_prefix);
    context.queue->start();
    std::optional<JobWorkers::SharedStore> shared_store;
    if (is_postgres_url(o.db)) {
        const auto milliseconds = [](double seconds) {
            return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
        };
        shared_store = JobWorkers::SharedStore{milliseconds(o.shared_poll_s), milliseconds(o.requeue_interval_s)};
    }
    JobWorkers workers(context, worker_threads, shared_store);
    context.wake_workers = [&workers] { workers.wake(); };

    const Router router = make_router(context);
    const BearerToken token(o.token);
    httplib::Server http;
    configure_http_server(http, router, token, context);
    int port = o.port;
    if (port == 0)
        port = http.bind_to_any_port(o.host);
    else if (!http.bind_to_port(o.host, port))
        port = -1;
    if (port <= 0) {
        log_error(fmt::format("cannot listen on {}:{}", o.host, o.port));
        return 1;
    }
    workers.start();
    std::thread listener([&http] {
        http.listen_after_bind();
        ::kill(::getpid(), SIGTERM);  // the listener ended on its own: drain and exit
    });
    log_info(fmt::format("listening on http://{}:{}", o.host, port),
             {{"db", redact_store_location(o.db)},
              {"workers", worker_threads},
              {"pool_size", o.pool_size},
              {"queue", o.queue.empty() ? std::string("store") : queue::parse_redis_url(o.queue).to_string()}});

    const int signal_number = wait_for_stop_signal(signals);
    log_info(fmt::format("signal {}: draining (no new requests; running jobs finish)", signal_number));
    context.draining = true;
    context.events.shutdown();  // event streams end, so their connections close
    http.stop();
    listener.join();
    workers.stop();
    context.queue->stop();
    log_info("drained; exiting");
    return 0;
}

}  // namespace
}  // namespace autograder::server

int main(int argc, char** argv) {
    using namespace autograder::server;
    ServerContext context;
    bool list_routes = false;
    CLI::App app("autograder-server: the grading service (REST API over the autograder library and a SQLite store)");
    add_flags(app, context.options, list_routes);
    CLI11_PARSE(app, argc, argv);

    if (list_routes) {
        for (const auto& line : make_router(context).listing()) std::cout << line << "\n";
        return 0;
    }
    ServerOptions& o = context.options;
    if (o.token.empty())
        if (const char* token = std::getenv("AUTOGRADER_INTEGRATION_TOKEN")) o.token = token;

    // Before any thread starts: the stop signals are read from a signalfd, never handled.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    ::signal(SIGPIPE, SIG_IGN);

    setup_logging(o.json_logs);
    if (o.token.empty()) {
        o.token = random_hex(32);
        log_info(fmt::format("no token configured; generated API token (shown once): {}", o.token));
    }
    try {
        return serve(context, signals);
    } catch (const std::exception& e) {
        log_error(fmt::format("fatal: {}", e.what()));
        return 1;
    }
}
