// The files of a request (POST /submissions "files", POST /execute "submission_files"): a list of
// {filename, content} under the server's limits, every name a safe relative path.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "autograder/store.hpp"
#include "json_fields.hpp"
#include "server_options.hpp"

namespace autograder::server {

// Why `name` cannot be a file's path in the sandbox's workspace, or nullopt: empty, too long, NUL
// or another control character, a backslash, absolute, an empty, "." or ".." component.
std::optional<std::string> filename_problem(std::string_view name, std::size_t max_bytes);

// The list at body[key]; problems recorded under "key[i].filename" and "key[i].content" (below
// `parent`, the body's own path, when it is nested in the request).
std::vector<SubmittedFile> read_files(const nlohmann::json& body, const std::string& key, const ServerOptions& options,
                                      Problems& problems, std::string_view parent = "");

}  // namespace autograder::server
