#include "mount_namespace.hpp"

#include <algorithm>
#include <cerrno>
#include <fstream>

#include <fcntl.h>
#include <glob.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "autograder/sandbox.hpp"
#include "file_descriptor.hpp"

namespace autograder::sandbox {
namespace {

// Thrown inside build_root only; turned into its return value.
struct MountFailure {
    std::string what;
};

void fail(const std::string& what) { throw MountFailure{errno_message(what)}; }

void make_directories(const std::string& path, mode_t mode = 0755) {
    for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
        std::string prefix = path.substr(0, slash);
        if (::mkdir(prefix.c_str(), mode) != 0 && errno != EEXIST) fail("mkdir " + prefix);
        if (slash == std::string::npos) break;
    }
}

void write_text(const std::string& path, const std::string& content) {
    std::ofstream file(path);
    file << content;
    if (!file) throw MountFailure{"cannot write " + path};
}

void mount_or_fail(const char* source, const std::string& target, const char* type,
                   unsigned long flags, const std::string& data = {}) {
    if (::mount(source, target.c_str(), type, flags, data.empty() ? nullptr : data.c_str()) != 0)
        fail(std::string("mount ") + (type ? type : source ? source : "") + " on " + target);
}

// Flags of the mount under `path` that an unprivileged namespace may not drop: a read-only
// remount must repeat them or the kernel refuses it.
unsigned long locked_flags(const std::string& path) {
    struct statvfs info{};
    if (::statvfs(path.c_str(), &info) != 0) return 0;
    unsigned long flags = 0;
    if (info.f_flag & ST_NOSUID) flags |= MS_NOSUID;
    if (info.f_flag & ST_NODEV) flags |= MS_NODEV;
    if (info.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
    if (info.f_flag & ST_NOATIME) flags |= MS_NOATIME;
    if (info.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
    if (info.f_flag & ST_RELATIME) flags |= MS_RELATIME;
    return flags;
}

void bind_read_only(const std::string& source, const std::string& target) {
    struct stat info{};
    if (::stat(source.c_str(), &info) != 0) fail("stat " + source);
    if (S_ISDIR(info.st_mode)) {
        make_directories(target);
    } else {
        make_directories(target.substr(0, target.rfind('/')));
        FileDescriptor file(::open(target.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
        if (!file) fail("create mount point " + target);
    }
    mount_or_fail(source.c_str(), target, nullptr, MS_BIND | MS_REC);
    mount_or_fail(nullptr, target, nullptr,
                  MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | locked_flags(source));
}

void mount_tmpfs(const std::string& target, int64_t bytes, int64_t inodes, const char* mode,
                 unsigned long flags, const std::string& extra = {}) {
    make_directories(target);
    std::string data = "size=" + std::to_string(bytes) + ",nr_inodes=" + std::to_string(inodes) +
                       ",mode=" + mode + extra;
    mount_or_fail("tmpfs", target, "tmpfs", flags, data);
}

constexpr const char* kDevices[] = {"null", "zero", "full", "random", "urandom"};

void build_dev(const std::string& root, int64_t shm_bytes, int64_t inodes) {
    std::string dev = root + "/dev";
    mount_tmpfs(dev, 1 << 20, 64, "0755", MS_NOSUID | MS_NOEXEC);
    for (const char* name : kDevices) {
        std::string target = dev + "/" + name;
        FileDescriptor file(::open(target.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0666));
        if (!file) fail("create " + target);
        // Device nodes cannot be made in a user namespace; the host's are bound instead.
        mount_or_fail(("/dev/" + std::string(name)).c_str(), target, nullptr, MS_BIND);
    }
    for (auto [link, to] : {std::pair{"fd", "/proc/self/fd"}, {"stdin", "/proc/self/fd/0"},
                            {"stdout", "/proc/self/fd/1"}, {"stderr", "/proc/self/fd/2"}})
        if (::symlink(to, (dev + "/" + link).c_str()) != 0) fail(std::string("symlink /dev/") + link);
    mount_tmpfs(dev + "/shm", shm_bytes, inodes, "1777", MS_NOSUID | MS_NODEV);
    mount_or_fail(nullptr, dev, nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NOEXEC);
}

void build_etc(const std::string& root, const std::string& hostname) {
    std::string etc = root + "/etc";
    make_directories(etc);
    auto uid = std::to_string(kSandboxUid);
    write_text(etc + "/passwd", "root:x:0:0:root:/root:/bin/sh\n"
                                "student:x:" + uid + ":" + uid + ":student:" +
                                    std::string(kWorkspacePath) + ":/bin/sh\n"
                                "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
    write_text(etc + "/group", "root:x:0:\nstudent:x:" + uid + ":\nnogroup:x:65534:\n");
    write_text(etc + "/hosts", "127.0.0.1\tlocalhost " + hostname + "\n::1\tlocalhost\n");
    write_text(etc + "/hostname", hostname + "\n");
    write_text(etc + "/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files\n");
    write_text(etc + "/resolv.conf", "");  // no DNS: there is no network to reach one
}

void copy_merged_usr_links(const std::string& root) {
    for (const char* top : {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
        struct stat info{};
        if (::lstat(top, &info) != 0) continue;
        if (S_ISLNK(info.st_mode)) {
            char target[256] = {};
            ssize_t n = ::readlink(top, target, sizeof target - 1);
            if (n <= 0) fail(std::string("readlink ") + top);
            if (::symlink(target, (root + top).c_str()) != 0) fail(std::string("symlink ") + top);
        } else if (S_ISDIR(info.st_mode)) {
            bind_read_only(top, root + top);
        }
    }
}

void pivot_into(const std::string& root) {
    if (::chdir(root.c_str()) != 0) fail("chdir " + root);
    // pivot_root(".", ".") stacks the old root on top of the new one; detaching it leaves only
    // the new root, with no path back to the host's.
    if (::syscall(SYS_pivot_root, ".", ".") != 0) fail("pivot_root");
    if (::umount2(".", MNT_DETACH) != 0) fail("detach the host root");
    if (::chdir("/") != 0) fail("chdir /");
    mount_or_fail(nullptr, "/", nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV);
}

}  // namespace

std::vector<std::string> expand_read_only_paths(const std::vector<std::string>& patterns) {
    std::vector<std::string> paths;
    for (const auto& pattern : patterns) {
        if (pattern.empty() || pattern[0] != '/' || pattern.find("/../") != std::string::npos ||
            pattern.ends_with("/.."))
            throw SandboxError("read-only path '" + pattern + "' must be absolute, without '..'");
        glob_t matches{};
        if (::glob(pattern.c_str(), GLOB_NOSORT, nullptr, &matches) == 0)
            for (size_t i = 0; i < matches.gl_pathc; ++i) {
                std::string path = matches.gl_pathv[i];
                if (std::find(paths.begin(), paths.end(), path) == paths.end())
                    paths.push_back(path);
            }
        ::globfree(&matches);
    }
    return paths;
}

std::string build_root(const RootSpec& spec) {
    try {
        // Nothing mounted from here on may propagate back to the host.
        mount_or_fail(nullptr, "/", nullptr, MS_REC | MS_PRIVATE);
        const std::string& root = spec.staging;
        mount_tmpfs(root, 1 << 20, 4096, "0755", MS_NOSUID | MS_NODEV);
        bind_read_only("/usr", root + "/usr");
        copy_merged_usr_links(root);
        build_etc(root, spec.hostname);
        for (const auto& path : spec.read_only)
            if (path != "/usr" && !path.starts_with("/usr/")) bind_read_only(path, root + path);
        make_directories(root + "/proc");
        mount_or_fail("proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC);
        build_dev(root, spec.tmp_bytes, spec.max_inodes);
        mount_tmpfs(root + "/tmp", spec.tmp_bytes, spec.max_inodes, "1777", MS_NOSUID | MS_NODEV);
        auto owner = ",uid=" + std::to_string(kSandboxUid) + ",gid=" + std::to_string(kSandboxUid);
        mount_tmpfs(root + std::string(kWorkspacePath), spec.workspace_bytes, spec.max_inodes,
                    "0755", MS_NOSUID | MS_NODEV, owner);
        pivot_into(root);
        if (::sethostname(spec.hostname.data(), spec.hostname.size()) != 0) fail("sethostname");
        return {};
    } catch (const MountFailure& failure) {
        return failure.what;
    } catch (const std::exception& e) {
        return e.what();
    }
}

}  // namespace autograder::sandbox
