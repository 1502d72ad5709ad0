// Reads a submission from disk: the one reader behind every front end (the CLI, the C ABI's
// ag_submission_read, the Python package, the C++ embedding example), so a folder gives the same
// files, in the same order, under the same limits whoever reads it.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "autograder/execute.hpp"

namespace autograder {

struct SubmissionLimits {
    std::size_t max_files = 1000;
    std::size_t max_total_bytes = 64u << 20;  // the sandbox workspace's default size
};

// Why a submission could not be read; the message names the offending path.
class SubmissionReadError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A file by its name, a folder by every regular file under it (its path relative to the folder).
// Content is bytes, whatever they are (text or not); `executable` follows the owner's x bit.
// Symlinks are never followed (skipped inside a folder; refused as an argument, since a named file
// that is a link is a mistake worth saying); FIFOs, sockets and devices are refused. Order: a
// folder's own files by name, then each sub-folder's, in name order, whatever the file system's
// directory order. Two files of the same path (from two arguments) are refused.
// Throws SubmissionReadError.
std::vector<SourceFile> read_submission_files(const std::vector<std::string>& paths,
                                              const SubmissionLimits& limits = {});

}  // namespace autograder
