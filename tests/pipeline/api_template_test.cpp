// The api template: the student's HTTP server started in a sandbox with loopback-only networking,
// real requests from inside it, and servers that try to get points without earning them or to
// outlive their test (examples/assignments/python-http-api is graded in assignments_test.cpp).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "autograder/pipeline.hpp"

namespace fs = std::filesystem;
using namespace autograder;
using nlohmann::json;

namespace {

const fs::path kAssignment = fs::path(AUTOGRADER_SOURCE_DIR) / "examples" / "assignments" / "python-http-api";

std::shared_ptr<SandboxPool> pool() {
    static auto shared = [] {
        SandboxPoolOptions options;
        options.default_size = 0;
        options.max_total = 4;
        return std::make_shared<SandboxPool>(options);
    }();
    return shared;
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    REQUIRE_MESSAGE(in, "cannot read " << path);
    return {std::istreambuf_iterator<char>(in), {}};
}

GradingResult grade(const json& config, const std::string& server_source) {
    PipelineOptions options;
    options.assignment_directory = kAssignment.string();
    options.pool = pool();
    Submission submission;
    submission.files = {{"server.py", server_source}};
    return Pipeline::create(config, options)->grade(submission);
}

// A configuration of the given api tests, each starting `python3 server.py` on port 8080.
json config_of(json tests) {
    for (auto& test : tests) {
        test["program_command"] = "python3 server.py";
        test["port"] = 8080;
        if (!test.contains("startup_timeout")) test["startup_timeout"] = 5;
    }
    return {{"template_name", "api"},
            {"languages", {"python"}},
            {"criteria_config", {{"base", {{"weight", 100}, {"tests", tests}}}}}};
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

const TestResult& test_named(const GradingResult& result, const std::string& name) {
    REQUIRE(result.result_tree.has_value());
    for (const auto& test : result.result_tree->base.tests)
        if (test.name == name) return test;
    FAIL("no test " << name);
    throw std::logic_error("unreachable");
}

// A server answering GET with {"ok": true, "path": ...}; `before` runs first, `on_request` in
// the handler before it answers.
std::string python_server(const std::string& before = "", const std::string& on_request = "",
                          const std::string& address = "127.0.0.1") {
    return "import json, os, socket, sys, time\n"
           "from http.server import BaseHTTPRequestHandler, HTTPServer\n" +
           before +
           "\nclass Handler(BaseHTTPRequestHandler):\n"
           "    def do_GET(self):\n" +
           (on_request.empty() ? "" : "        " + on_request + "\n") +
           "        body = json.dumps({'ok': True, 'path': self.path}).encode()\n"
           "        self.send_response(200)\n"
           "        self.send_header('Content-Type', 'application/json')\n"
           "        self.end_headers()\n"
           "        self.wfile.write(body)\n"
           "HTTPServer(('" +
           address + "', int(os.environ['PORT'])), Handler).serve_forever()\n";
}

const json kOkRequest = {
    {"name", "ok"}, {"type", "http_request"}, {"path", "/x"}, {"status", 200}, {"expected_json", {{"/ok", true}}}};

}  // namespace

TEST_CASE("api: the example's partial submission, request by request") {
    json config = json::parse(read_text(kAssignment / "config.json"));
    GradingResult result = grade(config, read_text(kAssignment / "submissions" / "partial" / "server.py"));
    REQUIRE(result.status == PipelineStatus::success);
    const TestResult& list = test_named(result, "empty list as JSON");
    CHECK(list.score == 0);
    CHECK(contains(list.report, "the header Content-Type is \"text/plain\", expected \"application/json\""));
    const TestResult& workflow = test_named(result, "to-do workflow");
    REQUIRE(workflow.cases.size() == 6);
    CHECK(workflow.cases[0].name == "create a to-do");
    CHECK(workflow.cases[0].score == 100);
    CHECK(workflow.cases[0].weight == doctest::Approx(200.0 / 7));
    CHECK(workflow.cases[3].score == 0);
    CHECK(contains(workflow.cases[3].report, "expected status 404, got 200"));
    CHECK(contains(workflow.cases[5].report, "expected status 200, got 501"));
    const TestResult& hidden = test_named(result, "malformed JSON is refused");
    CHECK(hidden.score == 0);
    CHECK(contains(hidden.report, "closed the connection without answering"));
    CHECK(contains(hidden.report, "JSONDecodeError"));  // the server's traceback, from its stderr
    CHECK(result.final_score == doctest::Approx(20 + 50.0 * 4 / 7));
    // The hidden test's name and request stay out of the student's feedback, not the teacher's.
    CHECK_FALSE(contains(result.feedback, "malformed JSON"));
    CHECK_FALSE(contains(result.feedback, "not json"));
    CHECK(contains(result.teacher_feedback, "malformed JSON"));
}

TEST_CASE("api: a server that never listens scores 0 and its output is in the report") {
    json config = config_of(json::array({kOkRequest}));
    config["criteria_config"]["base"]["tests"][0]["startup_timeout"] = 1;
    GradingResult result =
        grade(config, "import sys, time\nprint('warming up forever', file=sys.stderr, flush=True)\ntime.sleep(60)\n");
    REQUIRE(result.status == PipelineStatus::success);
    const TestResult& test = test_named(result, "ok");
    CHECK(test.score == 0);
    CHECK(contains(test.report, "did not answer on port 8080 within 1 s"));
    CHECK(contains(test.report, "warming up forever"));
    CHECK(result.final_score == 0);
}

TEST_CASE("api: a server that crashes at start scores 0 at once, with its exit status and error output") {
    GradingResult result = grade(config_of(json::array({kOkRequest})), "raise SystemExit('no database: giving up')\n");
    const TestResult& test = test_named(result, "ok");
    CHECK(test.score == 0);
    CHECK(contains(test.report, "ended before it answered on port 8080"));
    CHECK(contains(test.report, "exit status 1"));
    CHECK(contains(test.report, "no database: giving up"));
    CHECK_FALSE(contains(test.report, "did not answer"));  // noticed at once, not after the time-out
    CHECK(test.resources.has_value());
}

TEST_CASE("api: a server on 0.0.0.0 is reached inside the sandbox, and it reaches nothing outside") {
    // A listener of the test's, on the host's loopback: the sandbox has its own loopback.
    int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    REQUIRE(listener >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(listener, 8) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    const int host_port = ntohs(address.sin_port);

    const std::string probe =
        "reached = []\n"
        "for host in ('127.0.0.1', '10.0.2.2', '172.17.0.1'):\n"
        "    try:\n"
        "        socket.create_connection((host, " +
        std::to_string(host_port) +
        "), timeout=0.5).close()\n"
        "        reached.append(host)\n"
        "    except OSError:\n"
        "        pass\n";
    json request = kOkRequest;
    request["expected_json"] = {{"/ok", true}};
    GradingResult result = grade(config_of(json::array({request})),
                                 python_server(probe, "print('reached', reached, file=sys.stderr)", "0.0.0.0"));
    const TestResult& test = test_named(result, "ok");
    CHECK(test.score == 100);
    pollfd waiting{listener, POLLIN, 0};
    CHECK(::poll(&waiting, 1, 0) == 0);  // no connection ever came to the host's listener
    ::close(listener);
}

TEST_CASE("api: a server that daemonizes is answered, then killed: the next test finds nothing left") {
    const std::string daemon = python_server(
        "if os.fork() > 0:\n    os._exit(0)\nos.setsid()\nif os.fork() > 0:\n    os._exit(0)\n"
        "sys.stdout.flush()\n");
    // The second test's "server" counts the processes it can see besides itself, its runner and
    // the sandbox's init: a daemon left by the first test would be one.
    const std::string counter =
        "import json, os\nfrom http.server import BaseHTTPRequestHandler, HTTPServer\n"
        "others = [p for p in os.listdir('/proc') if p.isdigit() and int(p) not in (1, os.getpid(), os.getppid())]\n"
        "class Handler(BaseHTTPRequestHandler):\n"
        "    def do_GET(self):\n"
        "        body = json.dumps({'others': len(others)}).encode()\n"
        "        self.send_response(200)\n        self.end_headers()\n        self.wfile.write(body)\n"
        "HTTPServer(('127.0.0.1', 8080), Handler).serve_forever()\n";
    json first = kOkRequest;
    first["name"] = "daemon";
    json second = {{"name", "nothing left"},
                   {"type", "http_request"},
                   {"path", "/"},
                   {"status", 200},
                   {"expected_json", {{"/others", 0}}}};
    json config = config_of(json::array({first, second}));
    config["criteria_config"]["base"]["tests"][1]["program_command"] = "python3 counter.py";
    PipelineOptions options;
    options.pool = pool();
    Submission submission;
    submission.files = {{"server.py", daemon}, {"counter.py", counter}};
    GradingResult result = Pipeline::create(config, options)->grade(submission);
    CHECK(test_named(result, "daemon").score == 100);
    const TestResult& left = test_named(result, "nothing left");
    INFO(left.report);
    CHECK(left.score == 100);
}

TEST_CASE("api: a server that crashes mid-way loses the requests after the crash, with the reason") {
    json scenario = {{"name", "scenario"},
                     {"type", "http_scenario"},
                     {"requests",
                      {{{"name", "first"}, {"path", "/one"}, {"status", 200}},
                       {{"name", "crash"}, {"path", "/crash"}, {"status", 200}},
                       {{"name", "after"}, {"path", "/three"}, {"status", 200}}}}};
    GradingResult result =
        grade(config_of(json::array({scenario})), python_server("", "if self.path == '/crash': os._exit(3)"));
    const TestResult& test = test_named(result, "scenario");
    INFO(test.report);
    REQUIRE(test.cases.size() == 3);
    INFO(test.cases[2].report);
    CHECK(test.cases[0].score == 100);
    CHECK(test.cases[1].score == 0);
    CHECK(contains(test.cases[1].report, "no response"));
    CHECK(test.cases[2].score == 0);
    CHECK(contains(test.cases[2].report, "connection refused"));
    CHECK(test.score == doctest::Approx(100.0 / 3));
    CHECK(contains(test.report, "exit status 3"));
}

TEST_CASE("api: a server that prints without end has its output closed and scores 0") {
    GradingResult result =
        grade(config_of(json::array({kOkRequest})), "import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n");
    const TestResult& test = test_named(result, "ok");
    INFO(test.report);
    CHECK(test.score == 0);
    CHECK(contains(test.report, "printed more than 16 MB"));
    CHECK(test.report.size() < 20000);
}

TEST_CASE("api: a huge response is cut at 256 KiB: too large to check as JSON, its status still counts") {
    const std::string huge =
        "import os\nfrom http.server import BaseHTTPRequestHandler, HTTPServer\n"
        "class Handler(BaseHTTPRequestHandler):\n"
        "    def do_GET(self):\n"
        "        self.send_response(200)\n"
        "        self.send_header('Content-Length', str(1 << 40))\n"
        "        self.end_headers()\n"
        "        try:\n"
        "            while True:\n"
        "                self.wfile.write(b'[' * 65536)\n"
        "        except OSError:\n"
        "            pass\n"
        "HTTPServer(('127.0.0.1', 8080), Handler).serve_forever()\n";
    json status_only = {{"name", "status"}, {"type", "http_request"}, {"path", "/"}, {"status", 200}};
    GradingResult result = grade(config_of(json::array({kOkRequest, status_only})), huge);
    const TestResult& json_test = test_named(result, "ok");
    CHECK(json_test.score == 0);
    CHECK(contains(json_test.report, "larger than 256 KiB, too large to check"));
    CHECK(json_test.report.size() < 20000);
    CHECK(test_named(result, "status").score == 100);
}

TEST_CASE("api: a server's forged runner report on its own output gives nothing") {
    GradingResult result = grade(config_of(json::array({kOkRequest})),
                                 "print('\\nautograder-api-finished 0 {\"problem\": \"\", \"responses\": [{\"error\": "
                                 "\"\", \"status\": 200, \"reason\": \"OK\", \"headers\": [], \"body\": "
                                 "\"{\\\\\"ok\\\\\": true}\", \"body_truncated\": false}], \"server_output\": \"\", "
                                 "\"server_output_truncated\": false, \"server_exit\": null}', flush=True)\n");
    const TestResult& test = test_named(result, "ok");
    CHECK(test.score == 0);
    CHECK(contains(test.report, "ended before it answered"));
}

TEST_CASE("api: mistakes in requests are refused when the pipeline is made, naming the field") {
    auto issues_of = [](const json& test) -> std::string {
        try {
            PipelineOptions options;
            options.pool = pool();
            (void)Pipeline::create(config_of(json::array({test})), options);
        } catch (const ConfigError& e) {
            std::string text;
            for (const auto& issue : e.issues()) text += issue.path + ": " + issue.message + "\n";
            return text;
        }
        return "";
    };
    json bad_scenario = {{"name", "s"},
                         {"type", "http_scenario"},
                         {"requests", {{{"path", "/a"}, {"status", 200}}, {{"path", "/b"}, {"expect_json", {}}}}}};
    std::string text = issues_of(bad_scenario);
    CHECK(contains(text, "criteria_config.base.tests[0].requests"));
    CHECK(contains(text, "requests[1]: 'expect_json' is not a request key"));

    json bad_schema = kOkRequest;
    bad_schema["json_schema"] = {{"type", "object"}, {"minProperties", 1}};
    CHECK(contains(issues_of(bad_schema), "'minProperties' is not supported"));

    json bad_status = kOkRequest;
    bad_status["status"] = 999;
    CHECK(contains(issues_of(bad_status), "criteria_config.base.tests[0].status"));

    json missing = {{"name", "m"}, {"type", "check_status_code"}, {"endpoint", "/"}};
    CHECK(contains(issues_of(missing), "expected_status"));

    CHECK(issues_of(kOkRequest).empty());
}

TEST_CASE("api: a Node server (the language's own run command) is graded the same way") {
    const std::string server =
        "const http = require('http');\n"
        "http.createServer((request, response) => {\n"
        "  response.setHeader('Content-Type', 'application/json; charset=utf-8');\n"
        "  response.end(JSON.stringify({ok: request.url === '/x', items: [{name: 'milk'}]}));\n"
        "}).listen(Number(process.env.PORT), '127.0.0.1');\n";
    json request = kOkRequest;
    request["expected_json"] = {{"/ok", true}, {"/items/0/name", "milk"}};
    request["expected_headers"] = {{"content-type", "application/json"}};
    request["json_schema"] = {{"type", "object"},
                              {"required", {"ok", "items"}},
                              {"properties", {{"items", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}};
    json config = config_of(json::array({request}));
    config["languages"] = {"javascript"};
    config["criteria_config"]["base"]["tests"][0].erase("program_command");  // CMD: node index.js
    PipelineOptions options;
    options.pool = pool();
    Submission submission;
    submission.language = "javascript";
    submission.files = {{"index.js", server}};
    GradingResult result = Pipeline::create(config, options)->grade(submission);
    const TestResult& test = test_named(result, "ok");
    INFO(test.report);
    CHECK(test.score == 100);
}

TEST_CASE("api: a server that kills the grader's runner gets no points") {
    GradingResult result =
        grade(config_of(json::array({kOkRequest})), python_server("import signal\nos.kill(-1, signal.SIGKILL)\n"));
    const TestResult& test = test_named(result, "ok");
    INFO(test.report);
    CHECK(test.score == 0);
    CHECK(contains(test.report, "could not be tested"));
}
