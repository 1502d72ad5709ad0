#include <string>

#include "export/exporters.hpp"
#include "http/http_post.hpp"

namespace autograder::exporting {

// Computed by libautograder-http.so (OpenSSL), which the webhook loads to post anyway.
std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
    const std::string key_text(key);
    return http::sha256_hex(std::string(message), &key_text);
}

}  // namespace autograder::exporting
