// What the engine and libautograder-http.so share: the module's entry points. Both are built
// together from this tree (same compiler, same standard library), so the entry takes the engine's
// own C++ types; the build stamp makes a module from another build refuse to be used.
#pragma once

#include <chrono>
#include <string>

#include "http/http_post.hpp"

namespace autograder::http {

struct PostCall {
    const SplitUrl* url;
    const std::string* body;
    const std::string* content_type;
    const Headers* headers;
    std::chrono::milliseconds timeout;
};

using PostEntry = void (*)(const PostCall* call, PostResult* result);
// SHA-256 of `text`, or HMAC-SHA256 of `text` keyed by `key` when `key` is not null, as lowercase
// hex into `hex`; false when OpenSSL failed.
using DigestEntry = bool (*)(const std::string* key, const std::string* text, std::string* hex);
using BuildStampEntry = const char* (*)();

inline constexpr char kPostEntryName[] = "autograder_http_post";
inline constexpr char kDigestEntryName[] = "autograder_http_sha256_hex";
inline constexpr char kBuildStampEntryName[] = "autograder_http_build_stamp";
inline constexpr char kModuleFileName[] = "libautograder-http.so";

// The project's version and the layout of the types above: a module whose stamp differs from the
// engine's is not loaded.
inline std::string build_stamp(const char* version) {
    return std::string(version) + "/" + std::to_string(sizeof(PostCall)) + "/" + std::to_string(sizeof(PostResult)) +
           "/" + std::to_string(sizeof(std::string)) + "/" + std::to_string(sizeof(Headers));
}

}  // namespace autograder::http
