#include "submission_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace autograder::cli {
namespace fs = std::filesystem;

namespace {

std::string read_whole(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream content;
    content << file.rdbuf();
    return content.str();
}

}  // namespace

std::vector<SourceFile> read_submission_files(const std::vector<std::string>& paths, const FileLimits& limits) {
    std::vector<SourceFile> files;
    size_t total = 0;
    auto add = [&](const fs::path& path, const std::string& name) {
        auto status = fs::symlink_status(path);
        if (fs::is_symlink(status)) return;  // never followed
        if (!fs::is_regular_file(status)) throw std::runtime_error(path.string() + ": not a regular file");
        if (files.size() >= limits.max_files)
            throw std::runtime_error("more than " + std::to_string(limits.max_files) + " files");
        auto size = fs::file_size(path);
        total += size;
        if (total > limits.max_total_bytes)
            throw std::runtime_error("files exceed " + std::to_string(limits.max_total_bytes >> 20) + " MiB in total");
        bool executable = (fs::status(path).permissions() & fs::perms::owner_exec) != fs::perms::none;
        files.push_back({name, read_whole(path), executable});
    };
    for (const auto& argument : paths) {
        fs::path path(argument);
        auto status = fs::symlink_status(path);
        if (!fs::exists(status)) throw std::runtime_error(argument + ": no such file or folder");
        if (fs::is_directory(status)) {
            for (auto it = fs::recursive_directory_iterator(path); it != fs::recursive_directory_iterator(); ++it) {
                if (it->is_symlink()) {
                    if (it->is_directory()) it.disable_recursion_pending();
                    continue;
                }
                if (it->is_regular_file()) add(it->path(), fs::relative(it->path(), path).generic_string());
            }
        } else {
            add(path, path.filename().string());
        }
    }
    if (files.empty()) throw std::runtime_error("no files to run");
    return files;
}

}  // namespace autograder::cli
