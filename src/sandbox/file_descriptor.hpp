// FileDescriptor: owns one file descriptor and closes it once. Small helpers for the system calls
// the sandbox makes on its own files, all failing with SandboxError that names the path.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace autograder::sandbox {

class FileDescriptor {
public:
    FileDescriptor() = default;
    explicit FileDescriptor(int fd) : fd_(fd) {}
    FileDescriptor(FileDescriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    FileDescriptor& operator=(FileDescriptor&& other) noexcept {
        if (this != &other) reset(std::exchange(other.fd_, -1));
        return *this;
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    ~FileDescriptor() { reset(); }

    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    int release() { return std::exchange(fd_, -1); }
    void reset(int fd = -1);

private:
    int fd_ = -1;
};

// "<what>: <strerror(errno)>" for error messages.
std::string errno_message(std::string_view what);
std::string errno_message(std::string_view what, int error);

// Whole-file helpers for small kernel files (cgroupfs, procfs). Throw SandboxError.
std::string read_small_file(const std::string& path);
void write_small_file(const std::string& path, std::string_view content);
// Returns false (instead of throwing) when the file does not exist.
bool try_write_small_file(const std::string& path, std::string_view content);

}  // namespace autograder::sandbox
