// Reads the files named on a command line into SourceFiles: a file by its name, a folder by
// every regular file under it (relative to it). Symlinks are skipped, sizes are capped.
#pragma once

#include <string>
#include <vector>

#include "autograder/execute.hpp"

namespace autograder::cli {

struct FileLimits {
    size_t max_files = 1000;
    size_t max_total_bytes = 16u << 20;
};

// Throws std::runtime_error naming the offending path.
std::vector<SourceFile> read_submission_files(const std::vector<std::string>& paths, const FileLimits& limits = {});

}  // namespace autograder::cli
