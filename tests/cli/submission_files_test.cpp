// The CLI's reading of a submission folder: a stable order, symlinks never followed.
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "cli/submission_files.hpp"

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
    auto files = autograder::cli::read_submission_files({root.string()});
    std::vector<std::string> paths;
    for (const auto& file : files) paths.push_back(file.path);
    CHECK(paths ==
          std::vector<std::string>{"A.txt", "b.html", "index.html", "a/a.js", "a/z.html", "z/b.css", "z/a/deep.txt"});
    CHECK(files[2].content == "index.html");
    fs::remove_all(root);
}
