// The unit_test template's doctest function: the instructor's doctest test files (C++) run against
// the student's C or C++ code, each case a test of the result.
//
// Everything happens as the grader in /grader, out of the student's runs' reach. The student's
// .c files are compiled as C and their .cpp files as C++, each with `main` renamed (a program's
// main does not clash with the test runner's); the instructor's test files and a runner the engine
// supplies (doctest's main, DOCTEST_CONFIG_IMPLEMENT) are compiled as C++ and linked with them.
// The tests include the headers the assignment ships (support_files, beside them in /grader)
// before any header of the submission.
//
// The student's code runs inside the runner's process, so the report is not taken on trust: the
// runner reads a secret nonce from stdin in an entry of .preinit_array, which the loader runs
// before any static initializer of the program, and stdin is empty after it. The runner handles
// the nonce with system calls of its own, never through a library function the student's code
// could replace.
// doctest's JUnit reporter writes into the runner's memory; after the run the runner writes the
// report to /grader and prints, as its last line, the nonce, doctest's exit code and the report's
// size and hash, then leaves through _exit. An exit or crash of the code under test leaves no such
// line, and a report file the code under test wrote or rewrote does not match the hash.
#include <algorithm>
#include <filesystem>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "templates/unit_test/instructor_tests.hpp"
#include "templates/localized.hpp"
#include "templates/program_runs.hpp"
#include "templates/unit_test/unit_test_functions.hpp"

namespace autograder::templates {
namespace {

constexpr std::string_view kDoctestHeader = "/usr/include/doctest/doctest.h";
constexpr std::string_view kRunnerName = "autograder_doctest_runner.cpp";
constexpr std::string_view kProgram = "/grader/autograder-doctest";
constexpr std::string_view kReportPath = "/grader/autograder-doctest-report.xml";
constexpr std::string_view kFinishedMarker = "autograder-doctest-finished";  // as the runner prints it
constexpr std::string_view kRenamedMain = "autograder_student_main_";
constexpr double kDefaultRunCpuSeconds = 10;

// clang-format off: the runner's source is kept as written.
constexpr std::string_view kRunnerSource = R"CPP(
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/syscall.h>

#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>

    namespace {

    // System calls made directly: a function of the C library the program calls could be replaced by
    // one of the same name in the code under test (its definition wins at link time), and the nonce
    // is never handed to any of them.
    long raw_syscall(long number, long a, long b, long c, long d) {
#if defined(__x86_64__)
        long result;
        register long r10 asm("r10") = d;
        asm volatile("syscall" : "=a"(result) : "a"(number), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
        return result;
#elif defined(__aarch64__)
        register long x8 asm("x8") = number;
        register long x0 asm("x0") = a;
        register long x1 asm("x1") = b;
        register long x2 asm("x2") = c;
        register long x3 asm("x3") = d;
        asm volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
        return x0;
#else
#error "the doctest runner knows the system calls of x86-64 and arm64 only"
#endif
    }

    void write_all(long fd, const char* data, std::size_t size) {
        while (size > 0) {
            long wrote = raw_syscall(SYS_write, fd, reinterpret_cast<long>(data), static_cast<long>(size), 0);
            if (wrote <= 0) return;
            data += wrote;
            size -= static_cast<std::size_t>(wrote);
        }
    }

    char nonce[80];
    std::size_t nonce_size = 0;

    // Runs before every static initializer of the program (the loader calls the executable's
    // .preinit_array first, and this file comes first on the link line); stdin holds nothing more,
    // so the code under test finds it empty.
    void read_nonce(int, char**, char**) {
        while (nonce_size < sizeof nonce) {
            char c = 0;
            if (raw_syscall(SYS_read, 0, reinterpret_cast<long>(&c), 1, 0) != 1 || c == '\n') break;
            nonce[nonce_size++] = c;
        }
    }

    __attribute__((section(".preinit_array"), used)) void (*read_nonce_entry)(int, char**, char**) = read_nonce;

    // The digits of `value` in `base`, at least `width` of them, written backwards before `end`.
    char* digits(char* end, unsigned long long value, unsigned base, int width) {
        for (int i = 0; i < width || value > 0; ++i) {
            *--end = "0123456789abcdef"[value % base];
            value /= base;
        }
        return end;
    }

    }  // namespace

    int main(int argc, char** argv) {
        std::ostringstream report;
        int code = 98;
        {
            doctest::Context context(argc, argv);
            context.setCout(&report);
            code = context.run();
        }
        std::fflush(stdout);
        std::fflush(stderr);
        const std::string xml = report.str();
        long fd = raw_syscall(SYS_openat, AT_FDCWD, reinterpret_cast<long>("/grader/autograder-doctest-report.xml"),
                              O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0) {
            write_all(fd, xml.data(), xml.size());
            raw_syscall(SYS_close, fd, 0, 0, 0);
        }
        std::uint64_t hash = 14695981039346656037ull;
        for (unsigned char c : xml) hash = (hash ^ c) * 1099511628211ull;
        // "\nautograder-doctest-finished NONCE CODE SIZE HASH\n"
        char tail[64];
        char* end = tail + sizeof tail;
        *--end = '\n';
        end = digits(end, hash, 16, 16);
        *--end = ' ';
        end = digits(end, xml.size(), 10, 1);
        *--end = ' ';
        end = digits(end, code == 0 || code == 1 ? static_cast<unsigned>(code) : 98u, 10, 1);
        *--end = ' ';
        static const char marker[] = "\nautograder-doctest-finished ";
        write_all(1, marker, sizeof marker - 1);
        write_all(1, nonce, nonce_size);
        write_all(1, end, static_cast<std::size_t>(tail + sizeof tail - end));
        raw_syscall(SYS_exit_group, 0, 0, 0, 0);
        return 0;
    }
)CPP";
// clang-format on

// The same hash as the runner's.
std::string fnv1a_hex(std::string_view text) {
    uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
    return fmt::format("{:016x}", hash);
}

bool is_c_source(const std::string& name) {
    return name.ends_with(".c");
}

bool is_cpp_source(const std::string& name) {
    return name.ends_with(".cpp") || name.ends_with(".cc") || name.ends_with(".cxx") || name.ends_with(".C");
}

// "/grader/test_stats.cpp" or "test_stats.cpp" -> "test_stats"
std::string file_stem(const std::string& path) {
    return std::filesystem::path(path).stem().string();
}

class Doctest final : public TestFunction {
public:
    std::string key() const override { return "doctest"; }
    std::string description() const override {
        return "Runs the instructor's doctest test files (C++) against the student's C or C++ code; every test "
               "case is a test of the result.";
    }
    bool needs_sandbox() const override { return true; }
    std::vector<ParameterDoc> parameters() const override {
        return instructor_test_parameter_docs(
            "the instructor's doctest files (C++, relative to the assignment folder): they include "
            "doctest/doctest.h without defining DOCTEST_CONFIG_IMPLEMENT(_WITH_MAIN), the engine supplies "
            "main; a C function is declared extern \"C\"",
            "other instructor files placed beside the tests: the headers they include (found before the "
            "submission's), data files; .c and .cpp files here are compiled and linked with the tests",
            "\"test_stats::mean of three numbers\", \"test_stats::maximum/negative numbers\" (a subcase)");
    }

    TestOutcome run(const TestContext& context) const override {
        const Locale locale = locale_of(context);
        const TestSpec& spec = context.spec;
        const std::string& language = context.execution.language->name;
        if (language != "c" && language != "cpp")
            throw std::invalid_argument("doctest grades C and C++ submissions, not " + context.execution.language_key);
        if (!std::filesystem::exists(kDoctestHeader))
            throw std::invalid_argument("doctest is not installed on the grading machine (" +
                                        std::string(kDoctestHeader) +
                                        " is missing: install the Debian package doctest-dev)");
        const auto test_files = assignment_paths(spec, "test_files", true);
        const auto support_files = assignment_paths(spec, "support_files", false);
        const CaseWeights weights(spec);

        Sandbox& sandbox = *context.sandbox;
        sandbox.clear_grader_files();
        const std::string folder = std::string(kGraderPath) + "/";
        std::vector<std::string> instructor_sources = {folder + std::string(kRunnerName)};
        sandbox.write_file(instructor_sources.front(), kRunnerSource, false, true);
        for (const auto& name : place_instructor_files(context, test_files))
            instructor_sources.push_back(folder + name);
        for (const auto& name : place_instructor_files(context, support_files))
            if (is_c_source(name) || is_cpp_source(name)) instructor_sources.push_back(folder + name);
        // Only the cases of the test files run and count (not those of a support file, nor any the
        // submission defines).
        std::set<std::string> test_paths;
        std::string source_filter;
        for (const auto& file : test_files) {
            const std::string path = folder + std::filesystem::path(file).filename().string();
            if (path.find_first_of(",*?[]\\") != std::string::npos)
                throw std::invalid_argument("test_files: '" + file +
                                            "' has a character doctest's filters treat "
                                            "specially (, * ? [ ] \\)");
            source_filter += (source_filter.empty() ? "" : ",") + path;
            test_paths.insert(path);
        }

        if (auto failed = build(context, locale, instructor_sources)) return std::move(*failed);

        RunRequest request;
        request.argv = {std::string(kProgram), "--reporters=junit", "--no-colors=true",
                        "--no-version=true",   "--order-by=file",   "--source-file=" + source_filter};
        const std::string nonce = random_nonce();
        request.stdin_data = nonce + "\n";
        request.env = context.execution.language->env;
        request.limits = instructor_run_limits(context, kDefaultRunCpuSeconds);
        request.run_as = RunAs::grader;
        RunReport run = sandbox.run(request);

        const std::optional<std::string> report_xml = read_grader_report(sandbox, std::string(kReportPath));
        sandbox.clear_grader_files();
        return judge(locale, run, nonce, report_xml, test_paths, weights);
    }

private:
    // The student's sources compiled apart, each to an object of its own, then linked with the
    // runner and the instructor's files into kProgram; no points when either fails. One compiler
    // run per file: each has the compile limits to itself.
    static std::optional<TestOutcome> build(const TestContext& context, Locale locale,
                                            const std::vector<std::string>& instructor_sources) {
        std::vector<std::string> student_objects;
        for (const auto& file : context.execution.submission.files) {
            if (!is_c_source(file.path) && !is_cpp_source(file.path)) continue;
            const std::string object = fmt::format("{}/student-{}.o", kGraderPath, student_objects.size());
            const std::string source = std::string(kWorkspacePath) + "/" + file.path;
            if (auto failed = compile(context, compile_command(source, object, true)))
                return no_points(locale, localized(locale, "Your code does not compile, so no test counts."), *failed);
            student_objects.push_back(object);
        }
        if (student_objects.empty()) throw std::invalid_argument("the submission has no .c or .cpp file");

        // The runner first on the link line: its .preinit_array entry runs first.
        std::vector<std::string> link = {"/usr/bin/g++", "-o", std::string(kProgram)};
        std::optional<RunReport> failed;
        for (std::size_t i = 0; i < instructor_sources.size() && !failed; ++i) {
            link.push_back(fmt::format("{}/instructor-{}.o", kGraderPath, i));
            failed = compile(context, compile_command(instructor_sources[i], link.back(), false));
        }
        link.insert(link.end(), student_objects.begin(), student_objects.end());
        link.push_back("-lm");
        if (!failed) failed = compile(context, link);
        if (failed)
            return no_points(
                locale,
                localized(locale,
                          "The instructor's tests do not compile or link against your code (a function, type or "
                          "signature they use is missing or different), so no test counts."),
                *failed);
        return std::nullopt;
    }

    // A .c file compiled as C, any other as C++. The student's `main` is renamed; the
    // instructor's files find the submission's headers last, after their own folder's.
    static std::vector<std::string> compile_command(const std::string& source, const std::string& object,
                                                    bool students) {
        const bool c = is_c_source(source);
        std::vector<std::string> argv = {c ? "/usr/bin/gcc" : "/usr/bin/g++", c ? "-std=gnu17" : "-std=gnu++17",
                                         students ? "-O2" : "-O1", "-pipe"};
        if (students)
            argv.push_back(fmt::format("-Dmain={}", kRenamedMain));
        else
            argv.insert(argv.end(), {"-idirafter", std::string(kWorkspacePath)});
        argv.insert(argv.end(), {"-c", "-o", object, source});
        return argv;
    }

    // Runs a compiler as the grader; the failed run when it fails.
    static std::optional<RunReport> compile(const TestContext& context, std::vector<std::string> argv) {
        RunRequest request;
        request.argv = std::move(argv);
        request.stdin_data = std::string();
        request.env = context.execution.language->env;
        request.env["TMPDIR"] = std::string(kGraderPath);  // the compiler's files, out of the student's reach
        request.limits = context.execution.pipeline.options().languages.compile_limits;
        request.run_as = RunAs::grader;
        RunReport run = context.sandbox->run(request);
        if (run.status == RunStatus::ok) return std::nullopt;
        return run;
    }

    static TestOutcome judge(Locale locale, const RunReport& run, const std::string& nonce,
                             const std::optional<std::string>& report_xml, const std::set<std::string>& test_paths,
                             const CaseWeights& weights) {
        auto finished = checked_runner_fields(
            locale, run, kFinishedMarker, nonce, 3,
            localized(locale,
                      "The tests did not finish: the code under test ended the test run early (for example with "
                      "exit, _exit or a crash), so no test counts."));
        if (auto* cut_short = std::get_if<TestOutcome>(&finished)) return std::move(*cut_short);
        const auto& fields = std::get<std::vector<std::string>>(finished);
        const std::string& code = fields[0];
        if (code != "0" && code != "1")
            return no_points(locale, localized(locale, "The test run ended abnormally (doctest exit status {}).", code),
                             run);
        // Only the report the runner wrote: one the code under test wrote or rewrote differs.
        if (report_xml && (fields[1] != std::to_string(report_xml->size()) || fields[2] != fnv1a_hex(*report_xml)))
            return no_points(locale,
                             localized(locale, "The test report does not match the test run, so no test counts."), run);
        // doctest says 0 when every case passed and 1 when some failed.
        auto cases =
            checked_report_cases(locale, run, report_xml, kMaxTestCases, code == "1",
                                 [&test_paths](const JunitCase& c) { return test_paths.contains(c.classname); });
        if (auto* untrusted = std::get_if<TestOutcome>(&cases)) return std::move(*untrusted);
        return outcome_of_cases(
            locale, std::get<std::vector<JunitCase>>(cases),
            [](const JunitCase& c) { return file_stem(c.classname) + "::" + c.name; }, weights, run);
    }
};

}  // namespace

std::shared_ptr<const TestFunction> doctest_function() {
    return std::make_shared<Doctest>();
}

}  // namespace autograder::templates
