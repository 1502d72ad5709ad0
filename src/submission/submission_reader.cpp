#include "autograder/submission_reader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace autograder {
namespace fs = std::filesystem;

namespace {

std::string read_whole(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw SubmissionReadError("cannot read " + path.string());
    std::ostringstream content;
    content << file.rdbuf();
    return content.str();
}

// The order a folder's files are graded in must not depend on the file system's directory order
// ("the first HTML file" of a webdev test): a folder's own files by name, then each sub-folder's
// in name order.
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

class Reader {
public:
    explicit Reader(const SubmissionLimits& limits) : limits_(limits) {}

    void add_folder(const fs::path& folder) {
        const std::size_t first = files_.size();
        std::error_code error;
        auto it = fs::recursive_directory_iterator(folder, error);
        if (error) throw SubmissionReadError(folder.string() + ": " + error.message());
        for (; it != fs::recursive_directory_iterator(); it.increment(error)) {
            if (error) throw SubmissionReadError(folder.string() + ": " + error.message());
            if (it->is_symlink()) {
                if (it->is_directory()) it.disable_recursion_pending();
                continue;  // never followed
            }
            if (it->is_regular_file()) add_file(it->path(), fs::relative(it->path(), folder).generic_string());
        }
        std::sort(files_.begin() + static_cast<std::ptrdiff_t>(first), files_.end(), folder_order);
    }

    void add_file(const fs::path& path, const std::string& name) {
        auto status = fs::symlink_status(path);
        if (fs::is_symlink(status)) throw SubmissionReadError(path.string() + ": a symbolic link (never followed)");
        if (!fs::is_regular_file(status)) throw SubmissionReadError(path.string() + ": not a regular file");
        if (files_.size() >= limits_.max_files)
            throw SubmissionReadError("more than " + std::to_string(limits_.max_files) + " files");
        total_ += fs::file_size(path);
        if (total_ > limits_.max_total_bytes)
            throw SubmissionReadError("files exceed " + std::to_string(limits_.max_total_bytes >> 20) +
                                      " MiB in total");
        if (!names_.insert(name).second) throw SubmissionReadError("two files named " + name);
        bool executable = (status.permissions() & fs::perms::owner_exec) != fs::perms::none;
        files_.push_back({name, read_whole(path), executable});
    }

    std::vector<SourceFile> take() {
        if (files_.empty()) throw SubmissionReadError("no files to read");
        return std::move(files_);
    }

private:
    const SubmissionLimits& limits_;
    std::vector<SourceFile> files_;
    std::set<std::string> names_;
    std::uintmax_t total_ = 0;
};

}  // namespace

std::vector<SourceFile> read_submission_files(const std::vector<std::string>& paths, const SubmissionLimits& limits) {
    Reader reader(limits);
    for (const auto& argument : paths) {
        fs::path path(argument);
        auto status = fs::symlink_status(path);
        if (!fs::exists(status) && !fs::is_symlink(status))
            throw SubmissionReadError(argument + ": no such file or folder");
        if (fs::is_directory(status))
            reader.add_folder(path);
        else
            reader.add_file(path, path.filename().string());
    }
    return reader.take();
}

}  // namespace autograder
