// The browser pages and their assets (examples/server/pages, Swagger UI from npm), compiled into
// the binary by CMakeLists.txt, looked up by the name they are served under.
#pragma once

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace autograder::server {

struct PageAsset {
    std::string_view bytes;
    std::string_view content_type;
};

// name -> function returning the bytes; generated at build time (page_asset_table.cpp).
const std::vector<std::pair<std::string_view, std::string_view (*)()>>& page_asset_table();

// The asset called `name` ("live.js"), or nothing.
std::optional<PageAsset> find_page_asset(std::string_view name);

// What every page and asset is served with: nothing may come from outside the server, no inline
// script runs, no other site may frame a page.
inline constexpr std::string_view kPageContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

}  // namespace autograder::server
