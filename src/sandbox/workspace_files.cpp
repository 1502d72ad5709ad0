// Files of the workspace, handled from the host. Every path component is opened relative to the
// previous one with O_NOFOLLOW, starting from the workspace's own descriptor, so a symlink that a
// run planted can never lead the grader elsewhere; FIFOs, sockets and devices are refused
// without ever blocking.
#include <cerrno>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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
        throw SandboxError("workspace path '" + std::string(path) + "' must be relative");
    if (path.find('\0') != std::string_view::npos)
        throw SandboxError("workspace path contains a NUL byte");
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= path.size()) {
        size_t slash = path.find('/', start);
        if (slash == std::string_view::npos) slash = path.size();
        std::string part(path.substr(start, slash - start));
        if (part == "..")
            throw SandboxError("workspace path '" + std::string(path) + "' must not contain '..'");
        if (!part.empty() && part != ".") parts.push_back(part);
        start = slash + 1;
    }
    if (parts.empty() || parts.size() > kMaxDepth)
        throw SandboxError("workspace path '" + std::string(path) + "' names no file");
    return parts;
}

// Opens the directory that holds the last component, making missing directories when `create`.
FileDescriptor open_parent(int workspace, const std::vector<std::string>& parts, bool create,
                           uint32_t owner) {
    FileDescriptor current(::fcntl(workspace, F_DUPFD_CLOEXEC, 3));
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
        const char* name = parts[i].c_str();
        if (create && ::mkdirat(current.get(), name, 0755) == 0) {
            FileDescriptor made(::openat(current.get(), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (made) (void)!::fchown(made.get(), owner, owner);
        }
        FileDescriptor next(::openat(current.get(), name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!next) {
            int error = errno;
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

void Sandbox::write_file(std::string_view relative_path, std::string_view content, bool executable) {
    auto parts = split_relative_path(relative_path);
    std::lock_guard lock(impl_->run_mutex);
    auto parent = open_parent(impl_->workspace.get(), parts, true, impl_->student_host_uid);
    const char* name = parts.back().c_str();
    // Whatever a run left at this path (a file, a symlink, a FIFO) is replaced, never followed.
    if (::unlinkat(parent.get(), name, 0) != 0 && errno != ENOENT) {
        int error = errno;
        throw SandboxError(sandbox::errno_message("cannot replace workspace file '" + std::string(relative_path) + "'", error));
    }
    FileDescriptor file(::openat(parent.get(), name,
                                 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                                 executable ? 0755 : 0644));
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
    // The run's user owns what the grader put there, as if it had written it itself.
    if (::fchown(file.get(), impl_->student_host_uid, impl_->student_host_uid) != 0)
        throw SandboxError(sandbox::errno_message("chown workspace file"));
}

std::string Sandbox::read_file(std::string_view relative_path, int64_t max_bytes) {
    auto parts = split_relative_path(relative_path);
    std::lock_guard lock(impl_->run_mutex);
    auto parent = open_parent(impl_->workspace.get(), parts, false, 0);
    std::string path(relative_path);
    FileDescriptor file(::openat(parent.get(), parts.back().c_str(),
                                 O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    if (!file) {
        int error = errno;
        if (error == ELOOP) throw SandboxError("workspace file '" + path + "' is a symlink: refused");
        if (error == ENXIO) throw SandboxError("workspace file '" + path + "' is a socket: refused");
        throw SandboxError(sandbox::errno_message("cannot open workspace file '" + path + "'", error));
    }
    struct stat info{};
    if (::fstat(file.get(), &info) != 0) throw SandboxError(sandbox::errno_message("fstat " + path));
    if (!S_ISREG(info.st_mode))
        throw SandboxError("workspace file '" + path + "' is not a regular file (FIFO, socket, device or directory): refused");
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
    auto parts = split_relative_path(relative_path);
    std::lock_guard lock(impl_->run_mutex);
    try {
        auto parent = open_parent(impl_->workspace.get(), parts, false, 0);
        struct stat info{};
        return ::fstatat(parent.get(), parts.back().c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0;
    } catch (const SandboxError&) {
        return false;
    }
}

}  // namespace autograder
