#include "submitted_files.hpp"

#include <set>

#include <fmt/format.h>

namespace autograder::server {

std::optional<std::string> filename_problem(std::string_view name, std::size_t max_bytes) {
    if (name.empty()) return "must not be empty";
    if (name.size() > max_bytes) return fmt::format("is longer than {} bytes", max_bytes);
    for (char c : name) {
        if (c == '\0') return "must not contain a NUL byte";
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "must not contain control characters";
        if (c == '\\') return "must use '/' between folders, not '\\'";
    }
    if (name.front() == '/') return "must be a relative path, not an absolute one";
    std::size_t start = 0;
    while (start <= name.size()) {
        std::size_t slash = name.find('/', start);
        if (slash == std::string_view::npos) slash = name.size();
        const auto component = name.substr(start, slash - start);
        if (component.empty()) return "must not have an empty path component ('//' or a trailing '/')";
        if (component == "..") return "must not have a '..' component";
        if (component == ".") return "must not have a '.' component";
        start = slash + 1;
    }
    return std::nullopt;
}

std::vector<SubmittedFile> read_files(const nlohmann::json& body, const std::string& key, const ServerOptions& options,
                                      Problems& problems, std::string_view parent) {
    std::vector<SubmittedFile> files;
    FieldReader fields(body, std::string(parent), problems);
    const std::string list_path = fields.path(key);
    const auto* list = fields.of_type(key, Presence::required, nlohmann::json::value_t::array, "a list of files");
    if (!list) return files;
    if (list->empty()) problems.add(list_path, "must hold at least one file");
    if (list->size() > options.max_files) {
        problems.add(list_path,
                     fmt::format("holds {} files; at most {} are accepted", list->size(), options.max_files));
        return files;
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string path = index_path(list_path, i);
        const auto& item = (*list)[i];
        if (!item.is_object()) {
            problems.add(path, fmt::format("must be an object {{filename, content}}, not {}", item.type_name()));
            continue;
        }
        FieldReader file(item, path, problems);
        auto filename = file.text("filename", Presence::required, SIZE_MAX);
        auto content = file.text("content", Presence::required, options.max_file_bytes, true);
        if (filename) {
            if (auto problem = filename_problem(*filename, options.max_filename_bytes)) {
                problems.add(file.path("filename"), *problem);
                filename.reset();
            } else if (!seen.insert(*filename).second) {
                problems.add(file.path("filename"), fmt::format("'{}' is given twice", *filename));
                filename.reset();
            }
        }
        if (filename && content) files.push_back({*filename, *content});
    }
    return files;
}

}  // namespace autograder::server
