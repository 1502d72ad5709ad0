#include "request_guards.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <stdexcept>

#include "http_errors.hpp"

namespace autograder::server {

std::string random_hex(std::size_t bytes) {
    std::string raw(bytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1)
        throw std::runtime_error("OpenSSL could not produce random bytes");
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(bytes * 2);
    for (unsigned char c : raw) {
        hex += kDigits[c >> 4];
        hex += kDigits[c & 15];
    }
    return hex;
}

bool is_sane_request_id(std::string_view id) {
    if (id.empty() || id.size() > 128) return false;
    for (char c : id) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                  c == '-';
        if (!ok) return false;
    }
    return true;
}

std::string request_id_for(const httplib::Request& request) {
    std::string given = request.get_header_value("X-Request-ID");
    return is_sane_request_id(given) ? given : random_hex(16);
}

void BearerToken::require(const httplib::Request& request) const {
    static constexpr std::string_view kScheme = "Bearer ";
    const std::string header = request.get_header_value("Authorization");
    if (header.empty())
        throw ApiError(401, "this endpoint needs an Authorization: Bearer <token> header", "Authorization")
            .with_header("WWW-Authenticate", "Bearer");
    bool matches = false;
    if (header.size() == kScheme.size() + token_.size() && header.compare(0, kScheme.size(), kScheme) == 0)
        matches = CRYPTO_memcmp(header.data() + kScheme.size(), token_.data(), token_.size()) == 0;
    if (!matches)
        throw ApiError(401, "the bearer token is wrong", "Authorization").with_header("WWW-Authenticate", "Bearer");
}

}  // namespace autograder::server
