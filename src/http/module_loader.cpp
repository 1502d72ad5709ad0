#include "http/module_loader.hpp"

#include <dlfcn.h>

#include <cstdlib>

#include <fmt/format.h>

#ifndef AUTOGRADER_VERSION
#error "AUTOGRADER_VERSION must be defined by the build (the project's version)"
#endif

namespace autograder::http {
namespace {

// The folder of the file (executable or shared library) this code was linked into.
std::string engine_folder() {
    Dl_info info{};
    if (::dladdr(reinterpret_cast<const void*>(&engine_folder), &info) == 0 || info.dli_fname == nullptr) return {};
    std::string path = info.dli_fname;
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

}  // namespace

LoadedModule load_module(const std::vector<std::string>& candidates) {
    LoadedModule loaded;
    const std::string expected = build_stamp(AUTOGRADER_VERSION);
    for (const auto& path : candidates) {
        void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (handle == nullptr) {
            const char* why = ::dlerror();  // names the file itself
            loaded.problem += why ? fmt::format("; {}", why) : fmt::format("; {}: cannot be loaded", path);
            continue;
        }
        auto stamp = reinterpret_cast<BuildStampEntry>(::dlsym(handle, kBuildStampEntryName));
        auto post = reinterpret_cast<PostEntry>(::dlsym(handle, kPostEntryName));
        auto digest = reinterpret_cast<DigestEntry>(::dlsym(handle, kDigestEntryName));
        if (stamp == nullptr || post == nullptr || digest == nullptr || expected != stamp()) {
            loaded.problem += fmt::format("; {}: from another build of autograder (expected {})", path, expected);
            ::dlclose(handle);
            continue;
        }
        loaded.post = post;  // never closed: the process may post again
        loaded.digest = digest;
        loaded.problem.clear();
        return loaded;
    }
    loaded.problem =
        fmt::format("HTTP(S) requests and their signatures need {}, which was not found or not usable ({})",
                    kModuleFileName, loaded.problem.empty() ? "nowhere to look" : loaded.problem.substr(2));
    return loaded;
}

std::vector<std::string> module_candidates() {
    if (const char* chosen = std::getenv("AUTOGRADER_HTTP_MODULE"); chosen != nullptr && *chosen != '\0')
        return {chosen};
    std::vector<std::string> candidates;
    if (const std::string folder = engine_folder(); !folder.empty()) {
        candidates.push_back(folder + "/" + kModuleFileName);
        candidates.push_back(folder + "/../" + AUTOGRADER_INSTALL_LIBDIR + "/" + kModuleFileName);
    }
    candidates.push_back(AUTOGRADER_HTTP_MODULE_BUILD_PATH);
    candidates.push_back(AUTOGRADER_HTTP_MODULE_INSTALL_PATH);
    return candidates;
}

const LoadedModule& http_module() {
    static const LoadedModule loaded = load_module(module_candidates());
    return loaded;
}

}  // namespace autograder::http
