// Files of the workspace, handled from the host. Every path component is opened relative to the
// previous one with O_NOFOLLOW, starting from the workspace's own descriptor, so a symlink that a
// run planted can never lead the grader elsewhere; FIFOs, sockets and devices are refused
// without ever blocking.
#include <atomic>
#include <cerrno>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fork_guard.hpp"
#include "sandbox_impl.hpp"

namespace autograder {

using sandbox::FileDescriptor;

namespace {

constexpr size_t kMaxPathLength = 1024;
constexpr int kMaxDepth = 32;

std::vector<std::string> split_relative_path(std::string_view path) {
    if (path.empty() || path.size() > kMaxPathLength)
        throw SandboxError("workspace path must have 1 to 1024 characters");
    if (path.front() == '/')
        throw SandboxError("workspace path '" + std::string(path) +
                           "' must be relative, or under /workspace/ or /tmp/");
    if (path.find('\0') != std::string_view::npos) throw SandboxError("workspace path contains a NUL byte");
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= path.size()) {
        size_t slash = path.find('/', start);
        if (slash == std::string_view::npos) slash = path.size();
        std::string part(path.substr(start, slash - start));
        if (part == "..") throw SandboxError("workspace path '" + std::string(path) + "' must not contain '..'");
        if (!part.empty() && part != ".") parts.push_back(part);
        start = slash + 1;
    }
    if (parts.empty() || parts.size() > kMaxDepth)
        throw SandboxError("workspace path '" + std::string(path) + "' names no file");
    return parts;
}

// Who owns the folders on the way to a file: the run's user, or for a read-only file root with
// the sticky bit (runs may add files there, but not remove or rename what root put there).
struct FolderOwner {
    uint32_t uid;
    bool root_sticky;
};

// Opens the directory that holds the last component, making missing directories when `create`.
// With `missing`, a missing directory sets it and returns an empty descriptor instead of throwing.
FileDescriptor open_parent(int workspace, const std::vector<std::string>& parts, bool create, FolderOwner owner,
                           bool* missing = nullptr) {
    FileDescriptor current(::fcntl(workspace, F_DUPFD_CLOEXEC, 3));
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
        const char* name = parts[i].c_str();
        if (create && ::mkdirat(current.get(), name, 0755) == 0 && !owner.root_sticky) {
            FileDescriptor made(::openat(current.get(), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (made) (void)!::fchown(made.get(), owner.uid, owner.uid);
        }
        if (create && owner.root_sticky) {
            // Even a folder a run made earlier becomes root's: its owner could otherwise rename it
            // away with the read-only file inside.
            FileDescriptor folder(::openat(current.get(), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (folder && (::fchown(folder.get(), 0, 0) != 0 || ::fchmod(folder.get(), 01777) != 0))
                throw SandboxError(sandbox::errno_message("cannot protect workspace folder '" + parts[i] + "'"));
        }
        FileDescriptor next(::openat(current.get(), name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!next) {
            int error = errno;
            if (error == ENOENT && missing) {
                *missing = true;
                return FileDescriptor();
            }
            if (error == ENOTDIR || error == ELOOP)
                throw SandboxError("workspace path component '" + parts[i] +
                                   "' is not a directory (symlinks are never followed)");
            throw SandboxError(sandbox::errno_message("workspace path component '" + parts[i] + "'", error));
        }
        current = std::move(next);
    }
    return current;
}

}  // namespace

// Where a path lives: the workspace for a relative path, the sandbox's /tmp for "/tmp/...", the
// grader's area for kGraderPath.
sandbox::SandboxState::Located sandbox::SandboxState::locate(std::string_view path) const {
    std::string workspace_prefix = std::string(kWorkspacePath) + "/";
    std::string grader_prefix = std::string(kGraderPath) + "/";
    if (path.starts_with(workspace_prefix))
        return {workspace.get(), split_relative_path(path.substr(workspace_prefix.size())), student_host_uid};
    if (path.starts_with("/tmp/")) return {tmp.get(), split_relative_path(path.substr(5)), student_host_uid};
    if (path.starts_with(grader_prefix))
        return {grader.get(), split_relative_path(path.substr(grader_prefix.size())), grader_host_uid};
    return {workspace.get(), split_relative_path(path), student_host_uid};
}

void Sandbox::write_file(std::string_view relative_path, std::string_view content, bool executable, bool read_only) {
    auto [directory, parts, owner] = impl_->locate(relative_path);
    std::lock_guard lock(impl_->run_mutex);
    auto parent = open_parent(directory, parts, true, {owner, read_only});
    const char* name = parts.back().c_str();
    // Whatever a run left at this path (a file, a symlink, a FIFO) is replaced, never followed. A
    // directory is moved aside rather than removed: it may be arbitrarily deep.
    if (::unlinkat(parent.get(), name, 0) != 0 && errno != ENOENT) {
        int error = errno;
        bool moved = false;
        if (error == EISDIR || error == EPERM) {
            static std::atomic<uint64_t> counter{0};
            std::string aside = ".replaced-by-grader-" + std::to_string(counter.fetch_add(1));
            moved = ::renameat(parent.get(), name, parent.get(), aside.c_str()) == 0;
        }
        if (!moved)
            throw SandboxError(
                sandbox::errno_message("cannot replace workspace file '" + std::string(relative_path) + "'", error));
    }
    std::shared_lock no_fork(sandbox::fork_guard());  // released after `file` is closed
    FileDescriptor file(::openat(parent.get(), name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                                 read_only    ? (executable ? 0555 : 0444)
                                 : executable ? 0755
                                              : 0644));
    if (!file)
        throw SandboxError(sandbox::errno_message("cannot create workspace file '" + std::string(relative_path) + "'"));
    for (size_t done = 0; done < content.size();) {
        ssize_t n = ::write(file.get(), content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            throw SandboxError(sandbox::errno_message("cannot write workspace file '" + std::string(relative_path) +
                                                      "' (the workspace is size-limited)"));
        done += static_cast<size_t>(n);
    }
    // The run's user owns what the grader put there, as if it had written it itself; read-only
    // files stay root's, so the run cannot change them.
    if (!read_only && ::fchown(file.get(), owner, owner) != 0)
        throw SandboxError(sandbox::errno_message("chown workspace file"));
}

bool Sandbox::remove_file(std::string_view relative_path) {
    auto [directory, parts, owner] = impl_->locate(relative_path);
    std::lock_guard lock(impl_->run_mutex);
    bool missing = false;
    auto parent = open_parent(directory, parts, false, {owner, false}, &missing);
    if (missing) return false;
    if (::unlinkat(parent.get(), parts.back().c_str(), 0) == 0) return true;
    if (errno == ENOENT) return false;
    throw SandboxError(sandbox::errno_message("cannot remove workspace file '" + std::string(relative_path) + "'"));
}

std::string Sandbox::read_file(std::string_view relative_path, int64_t max_bytes) {
    auto [directory, parts, owner] = impl_->locate(relative_path);
    std::lock_guard lock(impl_->run_mutex);
    auto parent = open_parent(directory, parts, false, {owner, false});
    std::string path(relative_path);
    FileDescriptor file(
        ::openat(parent.get(), parts.back().c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    if (!file) {
        int error = errno;
        if (error == ELOOP) throw SandboxError("workspace file '" + path + "' is a symlink: refused");
        if (error == ENXIO) throw SandboxError("workspace file '" + path + "' is a socket: refused");
        throw SandboxError(sandbox::errno_message("cannot open workspace file '" + path + "'", error));
    }
    struct stat info {};
    if (::fstat(file.get(), &info) != 0) throw SandboxError(sandbox::errno_message("fstat " + path));
    if (!S_ISREG(info.st_mode))
        throw SandboxError("workspace file '" + path +
                           "' is not a regular file (FIFO, socket, device or directory): refused");
    if (info.st_size > max_bytes)
        throw SandboxError("workspace file '" + path + "' has " + std::to_string(info.st_size) +
                           " bytes, more than the limit of " + std::to_string(max_bytes));
    std::string content;
    content.resize(static_cast<size_t>(info.st_size));
    size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::read(file.get(), content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw SandboxError(sandbox::errno_message("read " + path));
        if (n == 0) break;
        done += static_cast<size_t>(n);
    }
    content.resize(done);
    return content;
}

bool Sandbox::file_exists(std::string_view relative_path) {
    auto [directory, parts, owner] = impl_->locate(relative_path);
    std::lock_guard lock(impl_->run_mutex);
    try {
        auto parent = open_parent(directory, parts, false, {owner, false});
        struct stat info {};
        return ::fstatat(parent.get(), parts.back().c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0;
    } catch (const SandboxError&) {
        return false;
    }
}

namespace {

// Removes what `directory` holds, depth first, never following a symlink.
void remove_contents(int directory, int depth) {
    if (depth > kMaxDepth * 4) throw SandboxError("grader files: folders nested too deep to remove");
    FileDescriptor listing(::openat(directory, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!listing) throw SandboxError(sandbox::errno_message("open a grader folder"));
    DIR* entries = ::fdopendir(listing.get());
    if (!entries) throw SandboxError(sandbox::errno_message("list a grader folder"));
    listing.release();
    std::vector<std::string> names;
    while (dirent* entry = ::readdir(entries)) {
        std::string_view name = entry->d_name;
        if (name != "." && name != "..") names.emplace_back(name);
    }
    ::closedir(entries);
    for (const auto& name : names) {
        if (::unlinkat(directory, name.c_str(), 0) == 0 || errno == ENOENT) continue;
        FileDescriptor child(::openat(directory, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!child) throw SandboxError(sandbox::errno_message("remove grader file '" + name + "'"));
        remove_contents(child.get(), depth + 1);
        if (::unlinkat(directory, name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT)
            throw SandboxError(sandbox::errno_message("remove grader folder '" + name + "'"));
    }
}

}  // namespace

void Sandbox::clear_grader_files() {
    std::lock_guard lock(impl_->run_mutex);
    FileDescriptor grader(::openat(impl_->grader.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!grader) throw SandboxError(sandbox::errno_message("open the grader's folder"));
    remove_contents(grader.get(), 0);
}

}  // namespace autograder
