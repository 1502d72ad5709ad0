// Positive behaviour of the sandbox and of compile-and-run, in all five default languages.
#include <doctest/doctest.h>

#include "sandbox_fixture.hpp"

using namespace autograder;

namespace {

ExecuteResult run_sources(const std::string& language_name, const std::vector<SourceFile>& files,
                          std::optional<std::string> stdin_data = std::string(), const std::string& main_file = {}) {
    const auto& table = LanguageTable::defaults();
    const Language* language = table.find(language_name);
    REQUIRE(language != nullptr);
    auto sandbox = Sandbox::create(sandbox_options_for(table, *language));
    ExecuteOptions options;
    options.stdin_data = std::move(stdin_data);
    options.main_file = main_file;
    options.limits.wall_time_s = 20;  // the JVM is slow to start on a loaded 2-core machine
    options.limits.cpu_time_s = 10;
    return execute(*sandbox, table, *language, files, options);
}

struct HelloCase {
    const char* language;
    SourceFile file;
};

const HelloCase kHello[] = {
    {"python", {"main.py", "print('hello, world')\n"}},
    {"c", {"main.c", "#include <stdio.h>\nint main(void){puts(\"hello, world\");return 0;}\n"}},
    {"cpp", {"main.cpp", "#include <iostream>\nint main(){std::cout<<\"hello, world\\n\";}\n"}},
    {"java",
     {"Main.java",
      "public class Main{public static void main(String[] a){"
      "System.out.println(\"hello, world\");}}\n"}},
    {"javascript", {"index.js", "console.log('hello, world');\n"}},
};

// Reads integers from stdin and prints their sum, in each language.
const HelloCase kSum[] = {
    {"python", {"main.py", "import sys\nprint(sum(int(x) for x in sys.stdin.read().split()))\n"}},
    {"c",
     {"main.c",
      "#include <stdio.h>\nint main(void){long s=0,x;while(scanf(\"%ld\",&x)==1)s+=x;"
      "printf(\"%ld\\n\",s);return 0;}\n"}},
    {"cpp",
     {"main.cpp",
      "#include <iostream>\nint main(){long s=0,x;while(std::cin>>x)s+=x;"
      "std::cout<<s<<'\\n';}\n"}},
    {"java",
     {"Main.java",
      "import java.util.*;public class Main{public static void main(String[] a){"
      "Scanner in=new Scanner(System.in);long s=0;while(in.hasNextLong())s+=in.nextLong();"
      "System.out.println(s);}}\n"}},
    {"javascript",
     {"index.js",
      "const d=require('fs').readFileSync(0,'utf8');"
      "console.log(d.split(/\\s+/).filter(Boolean).map(Number).reduce((a,b)=>a+b,0));\n"}},
};

const HelloCase kExit3[] = {
    {"python", {"main.py", "import sys\nsys.exit(3)\n"}},
    {"c", {"main.c", "int main(void){return 3;}\n"}},
    {"cpp", {"main.cpp", "int main(){return 3;}\n"}},
    {"java", {"Main.java", "public class Main{public static void main(String[] a){System.exit(3);}}\n"}},
    {"javascript", {"index.js", "process.exit(3);\n"}},
};

}  // namespace

TEST_CASE("hello world in every language") {
    for (const auto& c : kHello) {
        SUBCASE(c.language) {
            auto result = run_sources(c.language, {c.file});
            INFO(result.to_json().dump());
            REQUIRE(result.status == "ok");
            CHECK(result.run->stdout_text == "hello, world\n");
            CHECK(result.run->exit_code == 0);
            CHECK(result.run->stderr_text.empty());
        }
    }
}

TEST_CASE("stdin to stdout round trip in every language") {
    for (const auto& c : kSum) {
        SUBCASE(c.language) {
            auto result = run_sources(c.language, {c.file}, "1 2 3\n40\n");
            INFO(result.to_json().dump());
            REQUIRE(result.status == "ok");
            CHECK(result.run->stdout_text == "46\n");
        }
    }
}

TEST_CASE("no stdin given: a program that reads input gets end-of-file at once, in every language") {
    // It used to wait for the wall limit on an empty pipe that stayed open (10 s for Java).
    for (const auto& c : kSum) {
        SUBCASE(c.language) {
            auto result = run_sources(c.language, {c.file}, std::nullopt);
            INFO(result.to_json().dump());
            REQUIRE(result.status == "ok");
            CHECK(result.run->status == RunStatus::ok);
            CHECK(result.run->stdout_text == "0\n");
        }
    }
}

TEST_CASE("exit codes are reported in every language") {
    for (const auto& c : kExit3) {
        SUBCASE(c.language) {
            auto result = run_sources(c.language, {c.file});
            INFO(result.to_json().dump());
            REQUIRE(result.run.has_value());
            CHECK(result.status == "runtime_error");
            CHECK(result.run->exit_code == 3);
            CHECK(result.run->signal == 0);
        }
    }
}

TEST_CASE("multi-file programs in every language") {
    SUBCASE("python") {
        auto r = run_sources("python", {{"main.py", "from helper import twice\nprint(twice(21))\n"},
                                        {"helper.py", "def twice(x):\n    return 2 * x\n"}});
        INFO(r.to_json().dump());
        CHECK(r.run->stdout_text == "42\n");
    }
    SUBCASE("c") {
        auto r = run_sources(
            "c",
            {{"main.c", "#include \"twice.h\"\n#include <stdio.h>\nint main(void){printf(\"%d\\n\",twice(21));}\n"},
             {"twice.h", "int twice(int);\n"},
             {"twice.c", "int twice(int x){return 2*x;}\n"}});
        INFO(r.to_json().dump());
        CHECK(r.run->stdout_text == "42\n");
    }
    SUBCASE("cpp") {
        auto r = run_sources(
            "cpp",
            {{"main.cpp", "#include \"twice.hpp\"\n#include <iostream>\nint main(){std::cout<<twice(21)<<'\\n';}\n"},
             {"twice.hpp", "int twice(int);\n"},
             {"src/twice.cpp", "int twice(int x){return 2*x;}\n"}});
        INFO(r.to_json().dump());
        CHECK(r.run->stdout_text == "42\n");
    }
    SUBCASE("java") {
        auto r = run_sources(
            "java", {{"Main.java",
                      "public class Main{public static void main(String[] a){System.out.println(Twice.of(21));}}\n"},
                     {"Twice.java", "public class Twice{static int of(int x){return 2*x;}}\n"}});
        INFO(r.to_json().dump());
        CHECK(r.run->stdout_text == "42\n");
    }
    SUBCASE("javascript") {
        auto r =
            run_sources("javascript", {{"index.js", "const {twice}=require('./lib/twice');console.log(twice(21));\n"},
                                       {"lib/twice.js", "exports.twice=x=>2*x;\n"}});
        INFO(r.to_json().dump());
        CHECK(r.run->stdout_text == "42\n");
    }
}

TEST_CASE("a Java class in a package runs by its qualified name") {
    auto r =
        run_sources("java",
                    {{"com/example/app/Main.java",
                      "/* header */\npackage com.example.app;\n\nimport com.example.util.Twice;\n"
                      "public class Main{public static void main(String[] a){System.out.println(Twice.of(21));}}\n"},
                     {"com/example/util/Twice.java",
                      "package com.example.util;\npublic class Twice{public static int of(int x){return 2*x;}}\n"}},
                    std::string(), "com/example/app/Main.java");
    INFO(r.to_json().dump());
    REQUIRE(r.status == "ok");
    CHECK(r.run->stdout_text == "42\n");
}

TEST_CASE("compile errors carry the compiler's message") {
    struct Broken {
        const char* language;
        SourceFile file;
        const char* expected;  // a piece of the compiler's own message
    };
    const Broken cases[] = {
        {"c", {"main.c", "int main(void){ return undefined_name; }\n"}, "undefined_name"},
        {"cpp", {"main.cpp", "int main(){ return undefined_name; }\n"}, "undefined_name"},
        {"java",
         {"Main.java", "public class Main{public static void main(String[] a){ int x = \"s\"; }}\n"},
         "incompatible types"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.language) {
            auto r = run_sources(c.language, {c.file});
            INFO(r.to_json().dump());
            CHECK(r.status == "compile_error");
            REQUIRE(r.compile.has_value());
            CHECK_FALSE(r.run.has_value());
            CHECK(r.compile->exit_code != 0);
            CHECK(r.compile->stderr_text.find(c.expected) != std::string::npos);
            CHECK(r.to_json()["phase"] == "compile");
        }
    }
    SUBCASE("python: a syntax error is the run's error") {
        auto r = run_sources("python", {{"main.py", "def f(:\n"}});
        CHECK(r.status == "runtime_error");
        CHECK(r.run->stderr_text.find("SyntaxError") != std::string::npos);
    }
    SUBCASE("javascript: a syntax error is the run's error") {
        auto r = run_sources("javascript", {{"index.js", "function (\n"}});
        CHECK(r.status == "runtime_error");
        CHECK(r.run->stderr_text.find("SyntaxError") != std::string::npos);
    }
}

TEST_CASE("a missing program is a runtime error with exit code 127, not a crash") {
    auto sandbox = testing::make_sandbox();
    RunRequest request;
    request.argv = {"no-such-program"};
    auto report = sandbox->run(request);
    CHECK(report.status == RunStatus::runtime_error);
    CHECK(report.exit_code == 127);
    CHECK(report.message.find("No such file") != std::string::npos);
    // The sandbox still works afterwards.
    auto next = testing::run_shell(*sandbox, "echo again");
    CHECK(next.stdout_text == "again\n");
}

TEST_CASE("many runs in one sandbox share the workspace, in order") {
    auto sandbox = testing::make_sandbox();
    sandbox->write_file("data/in.txt", "from the host\n");
    auto first = testing::run_shell(*sandbox, "cat data/in.txt > copy.txt && echo made > made.txt");
    REQUIRE(first.status == RunStatus::ok);
    CHECK(sandbox->read_file("copy.txt") == "from the host\n");
    auto second = testing::run_shell(*sandbox, "cat made.txt; id -u; pwd");
    CHECK(second.stdout_text == "made\n1000\n/workspace\n");
    CHECK(sandbox->file_exists("made.txt"));
    CHECK_FALSE(sandbox->file_exists("absent.txt"));
}

TEST_CASE("invalid run requests are refused with a message") {
    auto sandbox = testing::make_sandbox();
    RunRequest empty;
    CHECK(sandbox->run(empty).status == RunStatus::internal_error);
    RunRequest escape;
    escape.argv = {"/bin/true"};
    escape.cwd = "../..";
    auto report = sandbox->run(escape);
    CHECK(report.status == RunStatus::internal_error);
    CHECK(report.message.find("cwd") != std::string::npos);
    RunRequest bad_limit;
    bad_limit.argv = {"/bin/true"};
    bad_limit.limits.memory_bytes = 0;
    CHECK(sandbox->run(bad_limit).message.find("memory_bytes") != std::string::npos);
    CHECK_THROWS_AS(sandbox->write_file("/etc/passwd", "x"), SandboxError);
    CHECK_THROWS_AS(sandbox->write_file("a/../../x", "x"), SandboxError);
    CHECK_THROWS_AS(sandbox->write_file("", "x"), SandboxError);
}

TEST_CASE("limits are per run: a later run gets its own") {
    auto sandbox = testing::make_sandbox();
    Limits tight;
    tight.memory_bytes = 32LL << 20;
    auto hog = testing::run_shell(*sandbox, "exec python3 -c 'b = bytearray(64 << 20); print(len(b))'", tight);
    CHECK(hog.status == RunStatus::memory_limit);
    Limits roomy;
    roomy.memory_bytes = 256LL << 20;
    auto fine = testing::run_shell(*sandbox, "exec python3 -c 'b = bytearray(64 << 20); print(len(b))'", roomy);
    INFO(testing::describe(fine));
    CHECK(fine.status == RunStatus::ok);
    CHECK(fine.stdout_text == std::to_string(64 << 20) + "\n");
    CHECK(fine.peak_memory_kb >= (64 << 10));
}

TEST_CASE("java in a sandbox maps the JDK's class-data-sharing archive (its start-up classes come ready)") {
    // Debian's JDK ships the archive (lib/server/classes.jsa); the sandbox's read-only view of the
    // JDK must keep it usable, or every Java run would parse its start-up classes again.
    const auto& table = LanguageTable::defaults();
    const Language* java = table.find("java");
    REQUIRE(java != nullptr);
    auto sandbox = Sandbox::create(sandbox_options_for(table, *java));
    RunRequest request;
    request.argv = {"java", "-Xshare:auto", "-version"};
    request.env = java->env;
    request.limits = scaled_limits(*java, Limits{});
    request.limits.wall_time_s = 20;  // the JVM is slow to start on a loaded 2-core machine
    auto report = sandbox->run(request);
    INFO(report.to_json().dump());
    REQUIRE(report.status == RunStatus::ok);
    CHECK(report.stderr_text.find("sharing") != std::string::npos);  // "mixed mode, sharing"
}
