// What every request passes before its handler: a request id, and for protected routes the
// bearer token.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <httplib.h>

namespace autograder::server {

// Random bytes from OpenSSL, as lowercase hex (2 characters a byte).
std::string random_hex(std::size_t bytes);

// X-Request-ID of the request when it is sane (1-128 characters of [A-Za-z0-9._-]), else a new one.
std::string request_id_for(const httplib::Request& request);
bool is_sane_request_id(std::string_view id);

class BearerToken {
public:
    explicit BearerToken(std::string token) : token_(std::move(token)) {}
    // Throws ApiError 401 unless the request carries `Authorization: Bearer <token>`. The
    // comparison takes the same time wherever the first difference is.
    void require(const httplib::Request& request) const;

private:
    std::string token_;
};

}  // namespace autograder::server
