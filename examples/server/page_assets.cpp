#include "page_assets.hpp"

namespace autograder::server {
namespace {

std::string_view content_type_of(std::string_view name) {
    const auto ends_with = [name](std::string_view suffix) {
        return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
    };
    if (ends_with(".html")) return "text/html; charset=utf-8";
    if (ends_with(".js")) return "text/javascript; charset=utf-8";
    if (ends_with(".css")) return "text/css; charset=utf-8";
    return "text/plain; charset=utf-8";
}

}  // namespace

std::optional<PageAsset> find_page_asset(std::string_view name) {
    for (const auto& [asset_name, bytes] : page_asset_table())
        if (asset_name == name) return PageAsset{bytes(), content_type_of(name)};
    return std::nullopt;
}

}  // namespace autograder::server
