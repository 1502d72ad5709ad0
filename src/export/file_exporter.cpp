// file: appends the exported document as one JSON line to a file on the host, for batch jobs.
// Lines from many grading threads (and several autograder processes) never interleave: each is
// one write() under an exclusive flock(). A symbolic link or anything but a regular file is refused.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "export/exporters.hpp"

namespace autograder::exporting {
namespace {

class FileExporter final : public Exporter {
public:
    FileExporter(ExporterConfig config, std::string path) : config_(std::move(config)), path_(std::move(path)) {}

    ExportOutcome deliver(const ExportDocument& document) const override {
        ExportOutcome outcome{"file", config_.target, false, 1, {}};
        const int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0644);
        if (fd < 0) {
            outcome.message = fmt::format("cannot open {}: {}", path_, std::strerror(errno));
            return outcome;
        }
        struct stat status {};
        if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
            ::close(fd);
            outcome.message = fmt::format("{} is not a regular file", path_);
            return outcome;
        }
        const std::string line = document.body + "\n";
        ::flock(fd, LOCK_EX);
        std::size_t written = 0;
        while (written < line.size()) {
            const ssize_t n = ::write(fd, line.data() + written, line.size() - written);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            written += static_cast<std::size_t>(n);
        }
        const int write_error = errno;
        ::flock(fd, LOCK_UN);
        ::close(fd);
        outcome.ok = written == line.size();
        outcome.message = outcome.ok ? fmt::format("{} bytes appended", line.size())
                                     : fmt::format("cannot write {}: {}", path_, std::strerror(write_error));
        return outcome;
    }

private:
    ExporterConfig config_;
    std::string path_;
};

}  // namespace

std::unique_ptr<Exporter> make_file_exporter(const ExporterConfig& config, const std::string& base_directory) {
    std::filesystem::path path(config.target);
    if (path.is_relative() && !base_directory.empty()) path = std::filesystem::path(base_directory) / path;
    return std::make_unique<FileExporter>(config, path.string());
}

}  // namespace autograder::exporting
