// libautograder-http.so: found, checked and loaded on the first POST, never at start. The requests
// themselves are tested against real servers in tests/export (webhook) and tests/ai.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <doctest/doctest.h>

#include "http/http_post.hpp"
#include "http/module_loader.hpp"
#include "loopback_port.hpp"

using namespace autograder;

namespace {

// `readelf -d FILE`'s NEEDED entries, one per line.
std::string needed_libraries(const std::string& file) {
    std::string command = "readelf -d '" + file + "' 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string needed;
    char line[512];
    while (std::fgets(line, sizeof line, pipe))
        if (std::string(line).find("(NEEDED)") != std::string::npos) needed += line;
    REQUIRE(::pclose(pipe) == 0);
    return needed;
}

}  // namespace

// libseccomp too: the seccomp filter is compiled when the library is built (src/sandbox).
TEST_CASE("http module: neither the CLI nor the C library loads cpp-httplib, libssl or libseccomp") {
    for (const char* file : {AUTOGRADER_TEST_CLI, AUTOGRADER_TEST_C_LIBRARY}) {
        const std::string needed = needed_libraries(file);
        INFO(file << " needs:\n" << needed);
        CHECK(needed.find("libc.so") != std::string::npos);  // the list was read
        CHECK(needed.find("httplib") == std::string::npos);
        CHECK(needed.find("libssl") == std::string::npos);
        CHECK(needed.find("libseccomp") == std::string::npos);
    }
#ifdef AUTOGRADER_TEST_LINKED_AS_NEEDED
    // The C library keeps libcrypto for base64 (bindings/c); the CLI does not link that code.
    CHECK(needed_libraries(AUTOGRADER_TEST_CLI).find("libcrypto") == std::string::npos);
#endif
    const std::string module = needed_libraries(AUTOGRADER_TEST_HTTP_MODULE);
    CHECK(module.find("httplib") != std::string::npos);
    CHECK(module.find("libcrypto") != std::string::npos);
}

TEST_CASE("http module: SHA-256 and HMAC-SHA256 (RFC 4231 test case 2) through the module") {
    CHECK(http::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const std::string key = "Jefe";
    CHECK(http::sha256_hex("what do ya want for nothing?", &key) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("http module: the first candidate that loads is used, a missing one is named in the problem") {
    auto loaded = http::load_module({"/nonexistent/libautograder-http.so", AUTOGRADER_TEST_HTTP_MODULE});
    CHECK((loaded.post != nullptr));
    CHECK(loaded.problem.empty());

    auto missing = http::load_module({"/nonexistent/libautograder-http.so"});
    CHECK((missing.post == nullptr));
    CHECK(missing.problem.find("libautograder-http.so, which was not found") != std::string::npos);
    CHECK(missing.problem.find("/nonexistent/libautograder-http.so:") != std::string::npos);

    // A shared object without the module's entry points (or from another build) is refused.
    auto foreign = http::load_module({AUTOGRADER_TEST_C_LIBRARY});
    CHECK((foreign.post == nullptr));
    CHECK(foreign.problem.find("from another build of autograder") != std::string::npos);
}

TEST_CASE("http module: AUTOGRADER_HTTP_MODULE is the only place looked at when set") {
    const char* before = std::getenv("AUTOGRADER_HTTP_MODULE");
    const std::string saved = before ? before : "";
    ::setenv("AUTOGRADER_HTTP_MODULE", "/opt/elsewhere/libautograder-http.so", 1);
    auto chosen = http::module_candidates();
    if (before)
        ::setenv("AUTOGRADER_HTTP_MODULE", saved.c_str(), 1);
    else
        ::unsetenv("AUTOGRADER_HTTP_MODULE");
    CHECK(chosen == std::vector<std::string>{"/opt/elsewhere/libautograder-http.so"});

    auto usual = http::module_candidates();
    REQUIRE(usual.size() >= 2);
    CHECK(std::find(usual.begin(), usual.end(), std::string(AUTOGRADER_TEST_HTTP_MODULE)) != usual.end());
}

TEST_CASE("http module: a POST to a port nobody listens on is answered by the module, retryable") {
    const std::string url = "http://127.0.0.1:" + std::to_string(testing::unused_loopback_port()) + "/x";
    auto result = http::post(http::split_url(url), "{}", "application/json", {}, std::chrono::milliseconds(2000));
    INFO(result.problem);
    CHECK_FALSE(result.answered);
    CHECK(result.retryable);
    CHECK(result.problem.find("could not connect") != std::string::npos);
}
