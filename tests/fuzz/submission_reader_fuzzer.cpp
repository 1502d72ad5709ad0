// Fuzz target: the submission reader (a folder, or files named one by one, into the files of a
// Submission; include/autograder/submission_reader.hpp), then grading what it read with pipelines that need
// no sandbox (webdev, static_analysis). The input describes a small folder tree, which the
// target makes in a temporary folder before reading it. Records start at the input's beginning
// or after a newline:
//
//   @@ F path\n<content>   a file (its content runs to the next record)
//   @@ X path\n<content>   an executable file
//   @@ D path\n            a folder
//   @@ L path\n<target>    a symbolic link to <target> (anything: absolute, "..", dangling)
//   @@ H path\n<target>    a hard link to an earlier file (a path in the tree)
//   @@ P path\n            a FIFO
//   @@ S path\n<size>      a sparse file of <size> bytes (decimal), big without the bytes
//
// A path's components are any bytes but '/' and NUL; empty, "." and ".." components are dropped,
// so the tree stays inside the temporary folder; a record that cannot be made is skipped. The
// reader must return regular files only (never through a symlink), relative clean paths, their
// exact content, within its limits, or throw std::runtime_error; it must never block, crash or
// read outside the folder.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "autograder/submission_reader.hpp"
#include "fuzz_support.hpp"

namespace {

namespace fs = std::filesystem;
using namespace autograder;

constexpr size_t kMaxRecords = 200;
constexpr uint64_t kMaxSparseBytes = 256u << 20;

struct Record {
    char kind;
    std::vector<std::string> components;
    std::string_view body;
};

std::vector<std::string> clean_components(std::string_view path) {
    std::vector<std::string> components;
    size_t start = 0;
    while (start <= path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        std::string component(path.substr(start, end - start));
        if (!component.empty() && component != "." && component != ".." && component.find('\0') == std::string::npos)
            components.push_back(std::move(component));
        start = end + 1;
    }
    return components;
}

std::vector<Record> parse_records(std::string_view input) {
    std::vector<Record> records;
    size_t at = input.rfind("@@ ", 0) == 0 ? 0 : input.find("\n@@ ");
    while (at != std::string_view::npos && records.size() < kMaxRecords) {
        size_t header = at + (input[at] == '\n' ? 1 : 0) + 3;
        size_t header_end = input.find('\n', header);
        if (header_end == std::string_view::npos) header_end = input.size();
        size_t next = header_end < input.size() ? input.find("\n@@ ", header_end) : std::string_view::npos;
        size_t body_start = std::min(header_end + 1, input.size());
        size_t body_end = next == std::string_view::npos ? input.size() : std::max(next, body_start);
        std::string_view line = input.substr(header, header_end - header);
        if (line.size() >= 2 && line[1] == ' ')
            records.push_back(
                {line[0], clean_components(line.substr(2)), input.substr(body_start, body_end - body_start)});
        at = next;
    }
    return records;
}

// The record's parent folders, made as needed; nullopt if one of them exists and is not a folder
// (a symlink to a folder included: nothing is ever made through a link).
std::optional<fs::path> prepare_parent(const fs::path& root, const std::vector<std::string>& components) {
    fs::path path = root;
    for (size_t i = 0; i + 1 < components.size(); ++i) {
        path /= components[i];
        struct stat info;
        if (::lstat(path.c_str(), &info) == 0) {
            if (!S_ISDIR(info.st_mode)) return std::nullopt;
        } else if (::mkdir(path.c_str(), 0755) != 0) {
            return std::nullopt;
        }
    }
    return path;
}

bool write_file(const fs::path& path, std::string_view content, mode_t mode) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) return false;
    bool ok = true;
    while (ok && !content.empty()) {
        ssize_t written = ::write(fd, content.data(), content.size());
        ok = written > 0;
        if (ok) content.remove_prefix(static_cast<size_t>(written));
    }
    ::close(fd);
    return ok;
}

void make_sparse(const fs::path& path, std::string_view size_text) {
    uint64_t size = 0;
    std::from_chars(size_text.data(), size_text.data() + size_text.size(), size);
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) return;
    if (::ftruncate(fd, static_cast<off_t>(std::min(size, kMaxSparseBytes))) != 0) {
        // Left empty: still a file.
    }
    ::close(fd);
}

// A hard link's target: an existing regular file of the tree, reached without links.
std::optional<fs::path> tree_file(const fs::path& root, std::string_view target) {
    auto components = clean_components(target);
    if (components.empty()) return std::nullopt;
    fs::path path = root;
    for (const auto& component : components) {
        path /= component;
        struct stat info;
        if (::lstat(path.c_str(), &info) != 0 || S_ISLNK(info.st_mode)) return std::nullopt;
    }
    struct stat info;
    if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
    return path;
}

void materialise(const fs::path& root, const std::vector<Record>& records) {
    for (const auto& record : records) {
        if (record.components.empty()) continue;
        auto parent = prepare_parent(root, record.components);
        if (!parent) continue;
        fs::path path = *parent / record.components.back();
        switch (record.kind) {
            case 'F':
                write_file(path, record.body, 0644);
                break;
            case 'X':
                write_file(path, record.body, 0755);
                break;
            case 'D':
                ::mkdir(path.c_str(), 0755);
                break;
            case 'L':
                ::symlink(std::string(record.body).c_str(), path.c_str());
                break;
            case 'H':
                if (auto target = tree_file(root, record.body)) ::link(target->c_str(), path.c_str());
                break;
            case 'P':
                ::mkfifo(path.c_str(), 0644);
                break;
            case 'S':
                make_sparse(path, record.body);
                break;
            default:
                break;
        }
    }
}

// What the reader returned is what the folder holds: regular files reached without links, with
// clean relative paths, their content, no file twice, within the limits.
void check_files(const fs::path& root, const std::vector<SourceFile>& files, const SubmissionLimits& limits) {
    std::set<std::string> seen;
    size_t total = 0;
    if (files.empty()) fuzz::finding("read_submission_files", "returned no files instead of throwing");
    if (files.size() > limits.max_files) fuzz::finding("read_submission_files", "more files than max_files");
    for (const auto& file : files) {
        if (!seen.insert(file.path).second) fuzz::finding("read_submission_files: file twice", file.path);
        if (file.path.empty() || file.path.front() == '/')
            fuzz::finding("read_submission_files: not a relative path", file.path);
        auto components = clean_components(file.path);
        std::string rejoined;
        for (const auto& component : components) rejoined += (rejoined.empty() ? "" : "/") + component;
        if (rejoined != file.path) fuzz::finding("read_submission_files: not a clean path", file.path);
        fs::path path = root;
        for (const auto& component : components) {
            path /= component;
            struct stat info;
            if (::lstat(path.c_str(), &info) != 0 || S_ISLNK(info.st_mode))
                fuzz::finding("read_submission_files: read through a link or a missing path", file.path);
        }
        struct stat info;
        if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode))
            fuzz::finding("read_submission_files: not a regular file", file.path);
        if (static_cast<uint64_t>(info.st_size) != file.content.size())
            fuzz::finding("read_submission_files: content is not the file's", file.path);
        if (file.executable != ((info.st_mode & S_IXUSR) != 0))
            fuzz::finding("read_submission_files: executable bit is not the file's", file.path);
        total += file.content.size();
    }
    if (total > limits.max_total_bytes) fuzz::finding("read_submission_files", "more bytes than max_total_bytes");
}

std::optional<std::vector<SourceFile>> read_and_check(const fs::path& root, const std::vector<std::string>& paths,
                                                      const SubmissionLimits& limits, bool whole_folder) {
    std::vector<SourceFile> files;
    try {
        files = read_submission_files(paths, limits);
    } catch (const std::runtime_error&) {
        return std::nullopt;  // a message naming the path: what the CLI prints
    } catch (const std::exception& e) {
        fuzz::finding("read_submission_files threw something else than std::runtime_error", e.what());
    }
    if (whole_folder) check_files(root, files, limits);
    return files;
}

std::shared_ptr<const Pipeline> make_pipeline(const char* config) {
    PipelineOptions options;
    options.pool = fuzz::inert_pool();
    auto pipeline = Pipeline::create(nlohmann::json::parse(config), std::move(options));
    if (fuzz::grading_needs_sandbox(*pipeline)) fuzz::finding("submission_reader", "a pipeline needs a sandbox");
    return pipeline;
}

const std::vector<std::shared_ptr<const Pipeline>>& pipelines() {
    static const std::vector<std::shared_ptr<const Pipeline>> all = {
        make_pipeline(R"({"template_name": "webdev", "criteria_config": {"base": {"tests": [
            {"name": "sections", "type": "has_tag", "tag": "section", "required_count": 1},
            {"name": "links", "type": "check_internal_links", "required_count": 1},
            {"name": "closed", "type": "check_no_unclosed_tags"},
            {"name": "css", "type": "check_css_linked"},
            {"name": "flex", "type": "check_flexbox_usage"},
            {"name": "dom", "type": "js_uses_dom_manipulation", "methods": ["createElement"], "required_count": 1},
            {"name": "images", "type": "check_dir_exists", "dir_path": "images"}]}}})"),
        make_pipeline(R"({"template_name": "static_analysis", "languages": ["python"],
            "criteria_config": {"base": {"tests": [
            {"name": "f", "type": "has_function", "function_name": "main"},
            {"name": "imports", "type": "forbidden_import", "forbidden_imports": ["os"]},
            {"name": "loops", "type": "uses_construct", "construct": "for_loop"}]}}})"),
        make_pipeline(R"({"template_name": "static_analysis", "languages": ["c"],
            "criteria_config": {"base": {"tests": [
            {"name": "f", "type": "has_function", "function_name": "main", "file": "main.c"},
            {"name": "depth", "type": "max_nesting_depth", "max_depth": 2}]}}})"),
    };
    return all;
}

// The process's temporary folder, removed when it exits normally (a crash leaves it for a look).
// Kept in a plain array: the exit handler runs after function-local statics are destroyed.
char scratch_path[4096];

void remove_scratch() {
    std::error_code ignored;
    fs::remove_all(scratch_path, ignored);
}

fs::path scratch_root() {
    static const bool made = [] {
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/ag-fuzz-submission-XXXXXX";
        if (pattern.size() >= sizeof scratch_path || !::mkdtemp(pattern.data()))
            fuzz::finding("submission_reader", "cannot make a temporary folder");
        pattern.copy(scratch_path, pattern.size());
        std::atexit(remove_scratch);
        return true;
    }();
    (void)made;
    return scratch_path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto& all_pipelines = pipelines();
    const fs::path root = scratch_root() / "submission";
    std::error_code ignored;
    fs::remove_all(root, ignored);
    if (::mkdir(root.c_str(), 0755) != 0) fuzz::finding("submission_reader", "cannot make the submission folder");

    auto records = parse_records(std::string_view(reinterpret_cast<const char*>(data), size));
    materialise(root, records);

    auto files = read_and_check(root, {root.string()}, {}, true);
    read_and_check(root, {root.string()}, {5, 4096}, true);
    // The files and folders named one by one, as in `autograder grade a.py b/`.
    std::vector<std::string> arguments;
    for (const auto& entry : fs::directory_iterator(root, ignored)) arguments.push_back(entry.path().string());
    if (!arguments.empty()) read_and_check(root, arguments, {}, false);

    if (files) {
        Submission submission;
        submission.files = std::move(*files);
        for (const auto& pipeline : all_pipelines) fuzz::grade_and_check(*pipeline, submission);
    }
    fs::remove_all(root, ignored);
    return 0;
}
