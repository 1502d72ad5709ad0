// The runner runs as the student's user (the server is its child and cannot run as anyone else),
// so the engine does not trust its output blindly: it reads a secret nonce from stdin before the
// server starts, makes itself non-dumpable (the server, although the same user, can then neither
// read nor write it through /proc), gives the server its own pipes rather than the runner's stdout,
// and reports on its last line only, after the nonce. Every process of the student's user is
// killed before that line is written; the sandbox kills whatever is left when the runner ends.
#include "templates/api/api_session.hpp"

#include <algorithm>
#include <chrono>
#include <random>
#include <stdexcept>

#include <fmt/format.h>

#include "templates/localized.hpp"
#include "templates/parameter_reader.hpp"
#include "templates/program_runs.hpp"

namespace autograder::templates {
namespace {

constexpr std::string_view kFinishedMarker = "autograder-api-finished";
constexpr int64_t kServerOutputKeptBytes = 64 << 10;
// A server that prints more than this has its output pipe closed (it then dies of SIGPIPE or gets
// EPIPE), so that a flood costs neither memory nor much time.
constexpr int64_t kServerOutputDrainedBytes = 16 << 20;
constexpr double kDefaultStartupTimeout = 10;
constexpr double kDefaultRequestTimeout = 5;
constexpr int kDefaultPort = 8000;

constexpr std::string_view kRunnerSource =
    R"PY(import ctypes, http.client, json, os, signal, socket, subprocess, sys, threading, time

KEPT = %KEPT%
DRAINED = %DRAINED%


def others_alive():
    me = os.getpid()
    try:
        return any(name.isdigit() and int(name) not in (1, me) for name in os.listdir("/proc"))
    except OSError:
        return True


def drain(fd, state):
    total = 0
    try:
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            total += len(chunk)
            room = KEPT - len(state["kept"])
            if room > 0:
                state["kept"] += chunk[:room]
            if len(chunk) > max(room, 0):
                state["truncated"] = True
            if total > DRAINED:
                state["flooded"] = True
                break
    except OSError:
        pass
    os.close(fd)


def wait_ready(server, port, deadline):
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return None
        except OSError:
            pass
        if server.poll() is not None and (server.returncode != 0 or not others_alive()):
            return "exited"
        if time.monotonic() >= deadline:
            return "timeout"
        time.sleep(0.05)


def send(request, port, timeout, max_body):
    deadline = time.monotonic() + timeout
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        body = request.get("body")
        connection.request(request["method"], request["path"], body=None if body is None else body.encode(),
                           headers=dict(request["headers"]))
        response = connection.getresponse()
        data = b""
        while len(data) <= max_body:
            if time.monotonic() > deadline:
                raise socket.timeout()
            chunk = response.read(min(65536, max_body + 1 - len(data)))
            if not chunk:
                break
            data += chunk
        return {"status": response.status, "reason": response.reason or "",
                "headers": [[name.lower(), value] for name, value in response.getheaders()],
                "body": data[:max_body].decode("utf-8", "replace"), "body_truncated": len(data) > max_body,
                "error": None}
    except socket.timeout:
        return {"error": ["timeout", timeout]}
    except ConnectionRefusedError:
        return {"error": ["refused", port], "lost": True}
    except ConnectionResetError:
        return {"error": ["reset"], "lost": True}
    except http.client.HTTPException as error:
        return {"error": ["not_http", type(error).__name__]}
    except OSError as error:
        return {"error": ["failed", error.strerror or type(error).__name__]}
    finally:
        connection.close()


def stop_everything(server):
    for kill in (lambda: os.killpg(server.pid, signal.SIGKILL), lambda: os.kill(-1, signal.SIGKILL)):
        try:
            kill()
        except OSError:
            pass
    try:
        server.wait(timeout=5)
    except Exception:
        pass


def report(nonce, result):
    data = ("\n%s %s %s\n" % ("autograder-api-finished", nonce, json.dumps(result))).encode()
    while data:
        data = data[os.write(1, data):]
    os._exit(0)


def main():
    nonce = sys.stdin.readline().strip()
    job = json.loads(sys.stdin.readline())
    result = {"problem": None, "responses": [], "server_output": "", "server_output_truncated": False,
              "server_exit": None}
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(4, 0, 0, 0, 0) != 0:  # PR_SET_DUMPABLE
        result["problem"] = ["unprotected"]
        report(nonce, result)
    read_end, write_end = os.pipe()
    try:
        server = subprocess.Popen(job["argv"], stdin=subprocess.DEVNULL, stdout=write_end, stderr=write_end,
                                  start_new_session=True, close_fds=True)
    except OSError as error:
        result["problem"] = ["not_started", str(error.strerror or error), job["argv"][0]]
        report(nonce, result)
    os.close(write_end)
    state = {"kept": b"", "truncated": False, "flooded": False}
    reader = threading.Thread(target=drain, args=(read_end, state), daemon=True)
    reader.start()
    waited = wait_ready(server, job["port"], time.monotonic() + job["startup_timeout"])
    if waited == "exited":
        result["problem"] = ["exited", job["port"]]
    elif waited == "timeout":
        result["problem"] = ["timeout", job["port"], job["startup_timeout"]]
    else:
        for request in job["requests"]:
            response = send(request, job["port"], job["request_timeout"], job["max_body"])
            result["responses"].append(response)
            if response.pop("lost", False) and server.poll() is None:
                # A server that is crashing gets a moment to finish, so that the next request and
                # the report see it gone rather than half-closed.
                try:
                    server.wait(timeout=1)
                except subprocess.TimeoutExpired:
                    pass
    code = server.poll()
    if code is not None:
        result["server_exit"] = code
    stop_everything(server)
    reader.join(5)
    result["server_output"] = bytes(state["kept"]).decode("utf-8", "replace")
    result["server_output_truncated"] = state["truncated"]
    result["server_output_flooded"] = state["flooded"]
    report(nonce, result)


main()
)PY";

std::string runner_source() {
    std::string source(kRunnerSource);
    auto replace = [&](std::string_view key, int64_t value) {
        source.replace(source.find(key), key.size(), std::to_string(value));
    };
    replace("%KEPT%", kServerOutputKeptBytes);
    replace("%DRAINED%", kServerOutputDrainedBytes);
    return source;
}

std::string random_nonce() {
    std::random_device device;
    std::string nonce;
    for (int i = 0; i < 4; ++i) nonce += fmt::format("{:08x}", device());
    return nonce;
}

std::string last_line(const std::string& output) {
    std::size_t end = output.find_last_not_of("\r\n");
    if (end == std::string::npos) return {};
    std::size_t start = output.rfind('\n', end);
    start = start == std::string::npos ? 0 : start + 1;
    return output.substr(start, end + 1 - start);
}

HeaderList header_list(const nlohmann::json& pairs) {
    HeaderList headers;
    for (const auto& pair : pairs) headers.emplace_back(pair.at(0).get<std::string>(), pair.at(1).get<std::string>());
    return headers;
}

// The runner reports why the server could not be tested as ["KIND", values...], so that the
// sentence is written here, in the grading's language.
std::string runner_problem(Locale locale, const nlohmann::json& problem) {
    const std::string kind = problem.at(0).get<std::string>();
    if (kind == "exited")
        return localized(locale, "the server ended before it answered on port {}", problem.at(1).get<int>());
    if (kind == "timeout")
        return localized(locale, "the server did not answer on port {} within {:g} s", problem.at(1).get<int>(),
                         problem.at(2).get<double>());
    if (kind == "not_started")
        return localized(locale, "the server could not be started: {} ({})", problem.at(1).get<std::string>(),
                         problem.at(2).get<std::string>());
    if (kind == "unprotected") return localized(locale, "the grader's runner could not protect itself");
    throw std::invalid_argument("unknown problem '" + kind + "'");
}

// Why a request got no response, from the runner's ["KIND", value].
std::string request_error(Locale locale, const nlohmann::json& error) {
    const std::string kind = error.at(0).get<std::string>();
    if (kind == "timeout") return localized(locale, "no complete answer within {:g} s", error.at(1).get<double>());
    if (kind == "refused")
        return localized(locale, "connection refused: nothing listens on port {} any more", error.at(1).get<int>());
    if (kind == "reset") return localized(locale, "the server closed the connection without answering");
    if (kind == "not_http") return localized(locale, "not a valid HTTP response ({})", error.at(1).get<std::string>());
    if (kind == "failed") return localized(locale, "the request failed ({})", error.at(1).get<std::string>());
    throw std::invalid_argument("unknown error '" + kind + "'");
}

HttpResponse response_of(Locale locale, const nlohmann::json& entry) {
    HttpResponse response;
    if (const auto error = entry.find("error"); error != entry.end() && !error->is_null()) {
        response.error = request_error(locale, *error);
        return response;
    }
    response.status = entry.at("status").get<int>();
    response.reason = entry.at("reason").get<std::string>();
    response.headers = header_list(entry.at("headers"));
    response.body = entry.at("body").get<std::string>();
    response.body_truncated = entry.at("body_truncated").get<bool>();
    return response;
}

struct SessionTimes {
    int port = kDefaultPort;
    double startup_timeout = kDefaultStartupTimeout;
    double request_timeout = kDefaultRequestTimeout;
};

SessionTimes session_times(const TestSpec& spec) {
    const ParameterReader parameters(spec, server_parameter_docs());
    SessionTimes times;
    times.port = static_cast<int>(parameters.number_or("port", kDefaultPort));
    times.startup_timeout = parameters.number_or("startup_timeout", kDefaultStartupTimeout);
    times.request_timeout = parameters.number_or("request_timeout", kDefaultRequestTimeout);
    return times;
}

// The runner's job: the server's command, the port, the time-outs and the requests.
nlohmann::json session_job(const TestContext& context, const SessionTimes& times,
                           const std::vector<HttpRequestSpec>& requests) {
    nlohmann::json job_requests = nlohmann::json::array();
    for (const auto& request : requests) {
        nlohmann::json headers = nlohmann::json::array();
        for (const auto& header : request.headers) headers.push_back({header.first, header.second});
        job_requests.push_back({{"method", request.method},
                                {"path", request.path},
                                {"headers", headers},
                                {"body", request.body ? nlohmann::json(*request.body) : nlohmann::json()}});
    }
    return {{"argv", program_command(context)},         {"port", times.port},
            {"startup_timeout", times.startup_timeout}, {"request_timeout", times.request_timeout},
            {"max_body", kMaxResponseBodyBytes},        {"requests", job_requests}};
}

// The limits of the session's one run: the server idles between requests, so they cover the
// whole session unless the test says otherwise, within what is left of the submission's budget.
Limits session_limits(const TestContext& context, const SessionTimes& times, std::size_t request_count) {
    const TestSpec& spec = context.spec;
    Limits limits = test_limits(context);
    if (!spec.parameter("time_limit")) limits.cpu_time_s = std::max(limits.cpu_time_s, 10.0);
    if (!spec.parameter("wall_time_limit"))
        limits.wall_time_s =
            std::max(limits.wall_time_s,
                     times.startup_timeout + times.request_timeout * static_cast<double>(request_count) + 10.0);
    if (const auto& budget = context.execution.pipeline.config().time_budget_s) {
        const double left =
            *budget -
            std::chrono::duration<double>(std::chrono::steady_clock::now() - context.execution.started).count();
        limits.wall_time_s = std::min(limits.wall_time_s, std::max(left, 0.1));
        limits.cpu_time_s = std::min(limits.cpu_time_s, std::max(left, 0.1));
    }
    // Room for every response (escaped as JSON, at worst six bytes a byte) and the server's output.
    limits.output_bytes = (1LL << 20) + static_cast<int64_t>(request_count) * (kMaxResponseBodyBytes * 6 + 65536) +
                          kServerOutputKeptBytes * 6;
    limits.processes = std::max(limits.processes, 64);
    return limits;
}

// Fills `session` from the runner's last line (after the nonce); throws on a malformed one.
void read_runner_report(Locale locale, const std::string& report, ApiSession& session) {
    const nlohmann::json result = nlohmann::json::parse(report);
    if (!result.at("problem").is_null()) session.problem = runner_problem(locale, result["problem"]);
    session.server_output = result.at("server_output").get<std::string>();
    session.server_output_truncated = result.at("server_output_truncated").get<bool>();
    session.server_output_flooded = result.value("server_output_flooded", false);
    if (!result.at("server_exit").is_null()) session.server_exit = result["server_exit"].get<int>();
    for (const auto& entry : result.at("responses")) session.responses.push_back(response_of(locale, entry));
}

}  // namespace

std::vector<ParameterDoc> server_parameter_docs() {
    ParameterDoc port{"port", "integer", false,
                      "the port the server listens on, on 127.0.0.1 or 0.0.0.0 (default 8000); the server also finds "
                      "it in the environment variable PORT"};
    port.minimum = 1024;
    port.maximum = 65535;
    ParameterDoc startup{"startup_timeout", "number", false,
                         "seconds the server has to answer on its port after it starts (default 10)"};
    startup.minimum = 0.1;
    startup.maximum = 120;
    ParameterDoc request{"request_timeout", "number", false,
                         "seconds each request has for its complete answer (default 5)"};
    request.minimum = 0.1;
    request.maximum = 120;
    auto docs = program_run_parameter_docs();
    docs.front().description =
        "the command that starts the server: a string (split like a shell would, never run by one), an object "
        "with one command per language ({\"python\": \"python3 server.py\"}), or \"CMD\" (the default): the "
        "language's own run command";
    for (auto& doc : docs) {
        if (doc.name == "time_limit")
            doc.description =
                "CPU seconds for the whole session, server and requests (default 10, times the "
                "language's factor)";
        if (doc.name == "wall_time_limit")
            doc.description =
                "wall-clock seconds for the whole session (default: startup_timeout plus "
                "request_timeout for each request plus 10)";
        if (doc.name == "memory_limit")
            doc.description = "MB of memory for the server and the grader's runner (default 256)";
    }
    docs.insert(docs.begin() + 1, {port, startup, request});
    return docs;
}

ApiSession run_api_session(const TestContext& context, const std::vector<HttpRequestSpec>& requests) {
    if (!context.sandbox) throw std::logic_error("this test needs a sandbox, and none was acquired");
    const Locale locale = locale_of(context);
    const SessionTimes times = session_times(context.spec);
    if (requests.size() > kMaxRequestsPerTest)
        throw std::invalid_argument(fmt::format("at most {} requests per test", kMaxRequestsPerTest));

    RunRequest run;
    run.argv = {"/usr/bin/python3", "-I", "-S", "-c", runner_source()};
    const std::string nonce = random_nonce();
    run.stdin_data =
        nonce + "\n" +
        session_job(context, times, requests).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    run.env = context.execution.language->env;
    run.env["PORT"] = std::to_string(times.port);
    run.limits = session_limits(context, times, requests.size());

    ApiSession session;
    session.run = context.sandbox->run(run);
    const std::string line = last_line(session.run.stdout_text);
    const std::string prefix = fmt::format("{} {} ", kFinishedMarker, nonce);
    if (session.run.status != RunStatus::ok) {
        session.problem =
            localized(locale, "the session with the server was cut short. {}", explain_run(locale, session.run));
        return session;
    }
    if (!line.starts_with(prefix)) {
        session.problem =
            localized(locale, "the session with the server ended abnormally (the grader's runner was stopped)");
        return session;
    }
    try {
        read_runner_report(locale, line.substr(prefix.size()), session);
    } catch (const std::exception& error) {
        session.problem = localized(locale, "the grader's runner gave an unreadable report ({})", error.what());
        session.responses.clear();
        return session;
    }
    if (session.problem.empty() && session.responses.size() != requests.size()) {
        session.problem = localized(locale, "the grader's runner gave an incomplete report");
        session.responses.clear();
    }
    return session;
}

std::string describe_server(Locale locale, const ApiSession& session) {
    std::string text;
    if (session.server_exit) {
        const int code = *session.server_exit;
        text += code < 0 ? localized(locale, "The server was killed by signal {} before the end.\n", -code)
                         : localized(locale, "The server ended with exit status {} before the end.\n", code);
    }
    if (session.server_output.empty())
        text += localized(locale, "The server printed nothing.\n");
    else if (session.server_output_truncated)
        text += localized(locale, "Server output (first 64 KiB):\n{}", fenced(session.server_output, 3000));
    else
        text += localized(locale, "Server output:\n{}", fenced(session.server_output, 3000));
    if (session.server_output_flooded)
        text += localized(locale, "The server printed more than {} MB: its output was closed.\n",
                          kServerOutputDrainedBytes >> 20);
    return text;
}

}  // namespace autograder::templates
