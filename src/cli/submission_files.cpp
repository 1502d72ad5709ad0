#include "submission_files.hpp"

#include <algorithm>
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

// The order a folder's files are graded in must not depend on the file system's directory order
// ("the first HTML file" of a webdev test): a folder's own files by name, then each sub-folder's
// in name order, as the Python bindings read a folder.
bool folder_order(const SourceFile& a, const SourceFile& b) {
    fs::path left(a.path), right(b.path);
    auto l = left.begin(), r = right.begin();
    for (; l != left.end() && r != right.end(); ++l, ++r) {
        bool l_is_file = std::next(l) == left.end(), r_is_file = std::next(r) == right.end();
        if (l_is_file != r_is_file) return l_is_file;
        if (*l != *r) return l->native() < r->native();
    }
    return false;
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
            size_t first = files.size();
            for (auto it = fs::recursive_directory_iterator(path); it != fs::recursive_directory_iterator(); ++it) {
                if (it->is_symlink()) {
                    if (it->is_directory()) it.disable_recursion_pending();
                    continue;
                }
                if (it->is_regular_file()) add(it->path(), fs::relative(it->path(), path).generic_string());
            }
            std::sort(files.begin() + static_cast<std::ptrdiff_t>(first), files.end(), folder_order);
        } else {
            add(path, path.filename().string());
        }
    }
    if (files.empty()) throw std::runtime_error("no files to run");
    return files;
}

}  // namespace autograder::cli
