// Hostile submissions graded through real pipelines: checkers that a planted file must not fool,
// tests that must not see each other's expected output, and a sandbox pool shared by many
// threads while some submissions try to wedge, flood or poison it.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <doctest/doctest.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "autograder/pipeline.hpp"
#include "sandbox/host_leftovers.hpp"

using namespace autograder;
using nlohmann::json;

namespace {

namespace fs = std::filesystem;

struct TempAssignment {
    std::string path;
    TempAssignment() {
        std::string pattern = "/tmp/ag-hostile-XXXXXX";
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~TempAssignment() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    void write(const std::string& name, const std::string& content) const {
        std::ofstream(path + "/" + name, std::ios::binary) << content;
    }
};

json checker_test(const std::string& name, const std::string& expected, const std::string& checker,
                  json files = json::array()) {
    json test = {
        {"name", name},         {"type", "expect_output"}, {"inputs", json::array()}, {"expected_output", expected},
        {"compare", "checker"}, {"checker", checker}};
    if (!files.empty()) test["checker_files"] = std::move(files);
    return test;
}

json config_with(json tests, const std::string& language = "python") {
    return {{"template_name", "input_output"},
            {"languages", {language}},
            {"criteria_config", {{"base", {{"weight", 100}, {"tests", std::move(tests)}}}}}};
}

Submission submission_of(std::vector<SourceFile> files, const std::string& language = "") {
    Submission s;
    s.files = std::move(files);
    s.language = language;
    return s;
}

std::vector<double> scores_of(const GradingResult& result) {
    std::vector<double> scores;
    for (const auto& located : locate_tests(*result.result_tree)) scores.push_back(located.test->score);
    return scores;
}

// A checker in Python that imports json, one that is a one-liner, and one in Node that looks for
// an optional helper module: three module search paths a student could try to plant into.
const char* kPythonChecker =
    "import json, sys\n"
    "got, want = open(sys.argv[2]).read().strip(), open(sys.argv[3]).read().strip()\n"
    "sys.exit(42 if json.dumps(got) == json.dumps(want) else 43)\n";
const char* kNodeChecker =
    "let helper = null;\n"
    "try { helper = require('verdict'); } catch (e) {}\n"
    "const fs = require('fs');\n"
    "const [, , input, output, expected] = process.argv;\n"
    "process.exit(fs.readFileSync(output, 'utf8').trim() === fs.readFileSync(expected, 'utf8').trim() ? 42 : 43);\n";

}  // namespace

TEST_CASE("hostile: planted modules, user sites and node_modules never make a checker pass a wrong answer") {
    TempAssignment assignment;
    assignment.write("check.py", kPythonChecker);
    assignment.write("check.js", kNodeChecker);
    json tests = json::array({
        checker_test("one-liner", "42",
                     "python3 -c \"import sys; sys.exit(42 if open(sys.argv[2]).read().strip() == "
                     "open(sys.argv[3]).read().strip() else 43)\""),
        checker_test("python file", "42", "python3 check.py", {"check.py"}),
        checker_test("node file", "42", "node check.js", {"check.js"}),
    });
    PipelineOptions options;
    options.assignment_directory = assignment.path;
    auto pipeline = Pipeline::create(config_with(tests), options);

    // The checkers work: a right answer passes all three.
    auto right = pipeline->grade(submission_of({{"main.py", "print(42)\n"}}));
    REQUIRE(right.status == PipelineStatus::success);
    CHECK(scores_of(right) == std::vector<double>{100, 100, 100});

    // Whatever runs in an interpreter that is not the student's own program says "accepted".
    const std::string exploit =
        "import os\n"
        "if os.getcwd() != '/workspace':\n"
        "    print(1)\n"
        "    os._exit(42)\n";
    const std::string node_exploit = "process.exit(42);\n";
    struct Attack {
        const char* name;
        std::vector<SourceFile> files;
    };
    std::vector<Attack> attacks = {
        {"a user site in the workspace (HOME)",
         {{"main.py", "print('wrong answer')\n"}, {".local/lib/python3.11/site-packages/usercustomize.py", exploit}}},
        {"modules planted at run time next to the checker",
         {{"main.py",
           "import os\n"
           "for folder in ['.checker', '/grader', '.']:\n"
           "    try:\n"
           "        os.makedirs(folder, exist_ok=True)\n"
           "        for name in ['json.py', 'sys.py', 'sitecustomize.py']:\n"
           "            open(os.path.join(folder, name), 'w').write(" +
               json(exploit).dump() +
               ")\n"
               "    except OSError:\n"
               "        pass\n"
               "print('wrong answer')\n"}}},
        {"a node_modules folder",
         {{"main.py", "print('wrong answer')\n"},
          {"node_modules/verdict/index.js", node_exploit},
          {".checker/node_modules/verdict/index.js", node_exploit}}},
    };
    for (const auto& attack : attacks) {
        CAPTURE(attack.name);
        auto result = pipeline->grade(submission_of(attack.files));
        REQUIRE_MESSAGE(result.status == PipelineStatus::success, result.to_json().dump());
        CHECK(scores_of(result) == std::vector<double>{0, 0, 0});
        CHECK(result.final_score == 0);
    }
}

TEST_CASE("hostile: a later test cannot read an earlier test's checker input or expected output") {
    const std::string one_liner =
        "python3 -c \"import sys; sys.exit(42 if open(sys.argv[2]).read().strip() == "
        "open(sys.argv[3]).read().strip() else 43)\"";
    json tests = json::array({
        checker_test("first", "secret-answer-one", one_liner),
        // The program prints whatever of the first test's files it can find; "nothing" is right.
        checker_test("second", "nothing", one_liner),
    });
    auto pipeline = Pipeline::create(config_with(tests));
    const std::string snoop =
        "import glob\n"
        "found = []\n"
        "for pattern in ['.checker/*', '/grader/*', '/workspace/**/expected*', '/tmp/**/expected*']:\n"
        "    for path in glob.glob(pattern, recursive=True):\n"
        "        try:\n"
        "            found.append(open(path).read().strip())\n"
        "        except OSError:\n"
        "            pass\n"
        "print(' '.join(found) or 'nothing')\n";
    auto result = pipeline->grade(submission_of({{"main.py", snoop}}));
    REQUIRE(result.status == PipelineStatus::success);
    auto located = locate_tests(*result.result_tree);
    REQUIRE(located.size() == 2);
    CHECK(located[1].test->score == 100);
    CHECK(result.to_json().dump().find("secret-answer-one\\n") == std::string::npos);
}

namespace {

// The host's System V shared memory segments whose creator is one of the host uids sandboxes run
// as (1000000 and up), as lines of /proc/sysvipc/shm.
std::vector<std::string> host_shm_segments_of_sandbox_users() {
    std::ifstream in("/proc/sysvipc/shm");
    std::vector<std::string> found;
    std::string line;
    std::getline(in, line);  // the header
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        long long key, id, perms, size, cpid, lpid, attached, uid, gid, cuid;
        if (fields >> key >> id >> perms >> size >> cpid >> lpid >> attached >> uid >> gid >> cuid) {
            if (cuid >= 1000000) found.push_back(line);
        } else {
            found.push_back("unreadable: " + line);
        }
    }
    return found;
}

}  // namespace

TEST_CASE("hostile: 8 threads, one shared pool, 200 submissions of which 20 hostile") {
    {
        SandboxPoolOptions pool_options;
        pool_options.default_size = 2;
        pool_options.max_total = 24;
        auto pool = std::make_shared<SandboxPool>(pool_options);
        PipelineOptions options;
        options.pool = pool;
        options.sandbox_timeout = std::chrono::seconds(300);
        auto sum_test = [](const std::string& input, const std::string& output) {
            return json{{"name", "sum " + input},
                        {"type", "expect_output"},
                        {"inputs", {input}},
                        {"expected_output", output},
                        {"time_limit", 1}};
        };
        json tests = json::array({sum_test("1 2", "3"), sum_test("20 22", "42"), sum_test("-5 5", "0")});
        json python_config = config_with(tests, "python");
        python_config["languages"] = {"python", "c"};
        auto pipeline = Pipeline::create(python_config, options);

        const std::string python_right = "a, b = map(int, input().split())\nprint(a + b)\n";
        const std::string python_wrong = "a, b = map(int, input().split())\nprint(a * b)\n";
        const std::string c_right =
            "#include <stdio.h>\nint main(void) { long a, b; scanf(\"%ld %ld\", &a, &b); printf(\"%ld\\n\", a + b); "
            "}\n";
        std::vector<std::pair<std::string, std::string>> hostile = {
            // A FIFO where the compiled program should be: the next test's start used to wedge init.
            {"c",
             "#include <stdio.h>\n#include <sys/stat.h>\n#include <unistd.h>\n"
             "int main(void) { long a, b; scanf(\"%ld %ld\", &a, &b); unlink(\"a.out\"); mkfifo(\"a.out\", 0755); "
             "printf(\"%ld\\n\", a + b); }\n"},
            // System V shared memory left behind by every test.
            {"c",
             "#include <stdio.h>\n#include <string.h>\n#include <sys/shm.h>\n"
             "int main(void) { int id = shmget(IPC_PRIVATE, 48 << 20, IPC_CREAT | 0600); char* p = shmat(id, 0, 0); "
             "if (p != (void*)-1) memset(p, 1, 48 << 20); long a, b; scanf(\"%ld %ld\", &a, &b); "
             "printf(\"%ld\\n\", a + b); }\n"},
            // A fork bomb and a daemon.
            {"python", "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n"},
            {"python", "import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(1000)\nprint(3)\n"},
            // Burning CPU, sleeping, flooding.
            {"python", "while True:\n    pass\n"},
            {"python", "import time\ntime.sleep(100)\n"},
            {"python", "import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n"},
            // Replacing its own program with a FIFO (the interpreter then blocks inside).
            {"python", "import os\nos.unlink('main.py')\nos.mkfifo('main.py')\nprint(3)\n"},
            // Invalid UTF-8 on stdout and stderr.
            {"python", "import sys\nsys.stdout.buffer.write(b'\\xff\\xfe 3\\n')\nsys.stderr.buffer.write(b'\\xc3')\n"},
            // A memory hog.
            {"python", "x = bytearray(1 << 30)\n"},
        };
        struct Case {
            Submission submission;
            double expected_score;  // < 0: hostile, any score
        };
        std::vector<Case> cases;
        for (int i = 0; i < 200; ++i) {
            if (i % 10 == 3) {
                const auto& [language, code] = hostile[static_cast<size_t>(i / 10) % hostile.size()];
                std::string file = language == "c" ? "main.c" : "main.py";
                cases.push_back({submission_of({{file, code}}, language), -1});
            } else if (i % 10 == 7) {
                cases.push_back({submission_of({{"main.c", c_right}}, "c"), 100});
            } else if (i % 2 == 0) {
                cases.push_back({submission_of({{"main.py", python_right}}, "python"), 100});
            } else {
                // 1*2=2 (wrong), 20*22 (wrong), -5*5 (wrong): 0 points.
                cases.push_back({submission_of({{"main.py", python_wrong}}, "python"), 0});
            }
        }
        std::vector<GradingResult> results(cases.size());
        std::atomic<size_t> next{0};
        std::vector<std::thread> workers;
        for (int t = 0; t < 8; ++t)
            workers.emplace_back([&] {
                for (size_t i; (i = next.fetch_add(1)) < cases.size();)
                    results[i] = pipeline->grade(cases[i].submission);
            });
        for (auto& worker : workers) worker.join();

        int hostile_count = 0;
        for (size_t i = 0; i < cases.size(); ++i) {
            CAPTURE(i);
            if (cases[i].expected_score < 0) {
                ++hostile_count;
                // Whatever it did, it got a result of its own (never an abort of the batch).
                CHECK(results[i].status != PipelineStatus::empty);
                CHECK(results[i].status != PipelineStatus::running);
                continue;
            }
            CHECK_MESSAGE(results[i].status == PipelineStatus::success, results[i].to_json().dump().substr(0, 2000));
            CHECK(results[i].final_score == doctest::Approx(cases[i].expected_score));
        }
        CHECK(hostile_count == 20);
        REQUIRE(pool->wait_until_ready(std::chrono::seconds(120)));
        auto stats = pool->stats();
        CHECK(stats.active == 0);
        CHECK(stats.destroyed + stats.idle == stats.created);
    }
    // The pool is gone: nothing of any sandbox is left on the host.
    CHECK(testing::descendant_processes().empty());
    CHECK(testing::own_sandbox_cgroups().empty());
    CHECK(testing::own_staging_directories().empty());
    CHECK(testing::sandbox_mounts_on_host().empty());
    // The hostile submissions' 48 MiB segments stayed in their sandboxes' IPC namespaces: none is
    // on the host under a sandbox's user. (Other programs' segments come and go meanwhile: a
    // PostgreSQL test cluster makes one, so the host's whole list is not compared.)
    CHECK(host_shm_segments_of_sandbox_users().empty());
}
