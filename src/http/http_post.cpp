#include "http/http_post.hpp"

#include <stdexcept>

#include "http/module_loader.hpp"

namespace autograder::http {

SplitUrl split_url(const std::string& url) {
    const auto scheme_end = url.find("://");
    const auto authority_start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
    const auto path_start = url.find_first_of("/?#", authority_start);
    if (path_start == std::string::npos) return {url, "/"};
    std::string path = url.substr(path_start);
    path = path.substr(0, path.find('#'));
    if (path.empty() || path[0] != '/') path = "/" + path;  // not insert(): GCC 12 warns wrongly (PR105651)
    return {url.substr(0, path_start), path};
}

PostResult post(const SplitUrl& url, const std::string& body, const std::string& content_type, const Headers& headers,
                std::chrono::milliseconds timeout) {
    PostResult result;
    const LoadedModule& module = http_module();
    if (module.post == nullptr) {
        result.problem = module.problem;
        return result;
    }
    const PostCall call{&url, &body, &content_type, &headers, timeout};
    module.post(&call, &result);
    return result;
}

std::string sha256_hex(const std::string& text, const std::string* key) {
    const LoadedModule& module = http_module();
    if (module.digest == nullptr) throw std::runtime_error(module.problem);
    std::string hex;
    if (!module.digest(key, &text, &hex)) throw std::runtime_error("SHA-256 failed (OpenSSL)");
    return hex;
}

std::string printable_excerpt(const std::string& text, std::size_t limit) {
    std::string excerpt;
    for (char c : text.substr(0, limit)) excerpt += c >= ' ' && c <= '~' ? c : ' ';
    return excerpt;
}

}  // namespace autograder::http
