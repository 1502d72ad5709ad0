// autograder worker: grades jobs from a Redis Streams queue until SIGTERM or SIGINT, then drains
// (the jobs being graded finish and are published) and exits 0 (queue/worker.hpp).
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <mutex>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "commands.hpp"
#include "queue/job_messages.hpp"
#include "queue/redis_client.hpp"
#include "queue/worker.hpp"

namespace autograder::cli {
namespace {

struct WorkerFlags {
    std::string redis_url;
    int concurrency = 1;
    std::string name;
    int pool_size = 0;
    double claim_idle_s = 30;
    double heartbeat_s = 2;
    std::string prefix = "autograder";
};

std::chrono::milliseconds seconds(double value) {
    return std::chrono::milliseconds(static_cast<int64_t>(value * 1000));
}

int run_worker(const WorkerFlags& flags) {
    queue::WorkerOptions options;
    try {
        options.address = queue::parse_redis_url(flags.redis_url);
    } catch (const std::invalid_argument& e) {
        std::cerr << "autograder worker: --redis: " << e.what() << "\n";
        return 2;
    }
    // A Redis that answers but refuses this worker (a wrong password) stays refused: say so and
    // stop, instead of waiting for it like for a Redis that is away.
    try {
        queue::RedisClient probe(options.address, std::chrono::seconds(5));
        probe.command({"PING"});
    } catch (const queue::RedisError& e) {
        if (!e.connection()) {
            std::cerr << "autograder worker: " << e.what() << "\n";
            return 2;
        }
    }
    options.names.prefix = flags.prefix;
    options.name = flags.name;
    options.concurrency = flags.concurrency;
    options.pool_size = flags.pool_size;
    options.claim_idle = seconds(flags.claim_idle_s);
    options.heartbeat_interval = seconds(flags.heartbeat_s);

    // Before any thread starts: the stop signals are read from a signalfd, never handled.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    ::signal(SIGPIPE, SIG_IGN);

    std::mutex log_mutex;
    auto log = [&log_mutex](queue::LogLevel level, const std::string& message) {
        static constexpr const char* names[] = {"info", "warning", "error"};
        std::lock_guard lock(log_mutex);
        std::cerr << fmt::format("{} [{}] {}\n", queue::utc_now_iso8601(), names[static_cast<int>(level)], message)
                  << std::flush;
    };
    queue::Worker worker(options, log);
    worker.start();
    log(queue::LogLevel::info, fmt::format("worker {} started: {} jobs at once from {} ({}:jobs)",
                                           flags.name.empty() ? fmt::format("(pid {})", ::getpid()) : flags.name,
                                           options.concurrency, options.address.to_string(), options.names.prefix));

    const int fd = ::signalfd(-1, &signals, SFD_CLOEXEC);
    signalfd_siginfo info{};
    while (fd >= 0 && ::read(fd, &info, sizeof info) != static_cast<ssize_t>(sizeof info)) {
    }
    if (fd >= 0) ::close(fd);
    log(queue::LogLevel::info,
        fmt::format("signal {}: draining (no new jobs; the ones being graded finish)", info.ssi_signo));
    worker.request_stop();
    worker.join();
    log(queue::LogLevel::info, "drained; exiting");
    return 0;
}

}  // namespace

Action add_worker_command(CLI::App& app) {
    auto flags = std::make_shared<WorkerFlags>();
    auto* command = app.add_subcommand(
        "worker", "Grade jobs from a Redis Streams queue that autograder-server --queue fills (docs/scale-out.md)");
    command
        ->add_option("--redis", flags->redis_url,
                     "The queue's Redis: redis://[:password@]host[:port][/database] (password percent-encoded)")
        ->required()
        ->envname("AUTOGRADER_REDIS_URL");
    command->add_option("--concurrency", flags->concurrency, "Jobs graded at once")
        ->capture_default_str()
        ->check(CLI::Range(1, 256));
    command
        ->add_option("--name", flags->name,
                     "This worker's name in the consumer group and in GET /api/v1/workers (default: "
                     "<hostname>-<pid>); unique among the workers")
        ->check([](const std::string& name) {
            return name.size() <= 200 && name.find_first_of(" \t\r\n") == std::string::npos
                       ? std::string()
                       : std::string("a name of at most 200 characters without spaces");
        });
    command->add_option("--pool-size", flags->pool_size, "Warm sandboxes kept per language (default: --concurrency)")
        ->check(CLI::Range(0, 64));
    command
        ->add_option("--claim-idle", flags->claim_idle_s,
                     "Seconds a job may stay unacknowledged in a worker that sends no sign of life before another "
                     "worker takes it over")
        ->capture_default_str()
        ->check(CLI::Range(0.1, 86400.0));
    command
        ->add_option("--heartbeat-interval", flags->heartbeat_s,
                     "Seconds between heartbeats; a worker silent for three is gone from GET /api/v1/workers")
        ->capture_default_str()
        ->check(CLI::Range(0.05, 3600.0));
    command->add_option("--prefix", flags->prefix, "Prefix of the queue's Redis keys (the server's --queue-prefix)")
        ->capture_default_str();
    command->footer(
        "Jobs come from the stream <prefix>:jobs (consumer group \"workers\"); results go to <prefix>:results, jobs "
        "given up on to <prefix>:dead-letters (a `grade --batch --queue` job's: to its <prefix>:replies:<id>). A job "
        "whose worker dies is taken over after --claim-idle; after its "
        "attempts (3 by default) it is dead-lettered. SIGTERM or SIGINT drains: no new jobs, the ones being graded "
        "finish and are published, exit 0.\n"
        "Example: autograder worker --redis redis://10.0.0.5:6379 --concurrency 4 --name grader-1");
    return [flags] { return run_worker(*flags); };
}

}  // namespace autograder::cli
