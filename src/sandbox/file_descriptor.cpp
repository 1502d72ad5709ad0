#include "file_descriptor.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include "autograder/sandbox.hpp"

namespace autograder::sandbox {

void FileDescriptor::reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
}

std::string errno_message(std::string_view what, int error) {
    return std::string(what) + ": " + std::strerror(error);
}

std::string errno_message(std::string_view what) {
    return errno_message(what, errno);
}

std::string read_small_file(const std::string& path) {
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) throw SandboxError(errno_message("cannot open " + path));
    std::string content;
    char buffer[4096];
    for (;;) {
        ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw SandboxError(errno_message("cannot read " + path));
        if (n == 0) break;
        content.append(buffer, static_cast<size_t>(n));
        if (content.size() > (1u << 20)) throw SandboxError("unexpectedly large file " + path);
    }
    return content;
}

bool try_write_small_file(const std::string& path, std::string_view content) {
    FileDescriptor fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd && errno == ENOENT) return false;
    if (!fd) throw SandboxError(errno_message("cannot open " + path));
    ssize_t n = ::write(fd.get(), content.data(), content.size());
    if (n != static_cast<ssize_t>(content.size()))
        throw SandboxError(errno_message("cannot write '" + std::string(content) + "' to " + path));
    return true;
}

void write_small_file(const std::string& path, std::string_view content) {
    if (!try_write_small_file(path, content)) throw SandboxError(errno_message("cannot open " + path, ENOENT));
}

}  // namespace autograder::sandbox
