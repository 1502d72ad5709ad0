// The CLI's reading of a submission folder: a stable order, symlinks never followed.
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "autograder/submission_reader.hpp"

namespace fs = std::filesystem;

TEST_CASE("cli submission files: a folder's files in name order before each sub-folder's, symlinks skipped") {
    char pattern[] = "/tmp/ag-submission-XXXXXX";
    REQUIRE(::mkdtemp(pattern) != nullptr);
    fs::path root(pattern);
    // Made in an order unlike the expected one, so directory order alone would rarely match it.
    for (const char* name : {"z/b.css", "index.html", "a/z.html", "b.html", "a/a.js", "z/a/deep.txt", "A.txt"}) {
        fs::create_directories((root / name).parent_path());
        std::ofstream(root / name) << name;
    }
    fs::create_symlink("/etc/passwd", root / "link.txt");
    auto files = autograder::read_submission_files({root.string()});
    std::vector<std::string> paths;
    for (const auto& file : files) paths.push_back(file.path);
    CHECK(paths ==
          std::vector<std::string>{"A.txt", "b.html", "index.html", "a/a.js", "a/z.html", "z/b.css", "z/a/deep.txt"});
    CHECK(files[2].content == "index.html");
    fs::remove_all(root);
}

TEST_CASE("submission reader: bytes kept, a file named twice or a linked argument refused, limits named") {
    char pattern[] = "/tmp/ag-submission-XXXXXX";
    REQUIRE(::mkdtemp(pattern) != nullptr);
    fs::path root(pattern);
    fs::create_directories(root / "one");
    fs::create_directories(root / "two");
    const std::string bytes("\x89PNG\0\xff", 6);
    std::ofstream(root / "one" / "main.py", std::ios::binary) << bytes;
    std::ofstream(root / "two" / "main.py") << "print(1)\n";
    auto files = autograder::read_submission_files({(root / "one").string()});
    REQUIRE(files.size() == 1);
    CHECK(files[0].content == bytes);

    auto refused = [](const std::vector<std::string>& paths, const autograder::SubmissionLimits& limits,
                      const std::string& message) {
        try {
            autograder::read_submission_files(paths, limits);
            FAIL("no SubmissionReadError");
        } catch (const autograder::SubmissionReadError& error) {
            CHECK(std::string(error.what()).find(message) != std::string::npos);
        }
    };
    refused({(root / "one").string(), (root / "two").string()}, {}, "two files named main.py");
    fs::create_symlink(root / "two" / "main.py", root / "link.py");
    refused({(root / "link.py").string()}, {}, "a symbolic link");
    refused({(root / "missing").string()}, {}, "no such file or folder");
    refused({(root / "one").string(), (root / "two" / "main.py").string()}, {}, "two files named main.py");
    refused({(root / "one").string()}, {.max_files = 0}, "more than 0 files");
    refused({(root / "one").string()}, {.max_files = 10, .max_total_bytes = 2}, "MiB in total");
    fs::remove_all(root);
}
