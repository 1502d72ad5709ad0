#include "mount_namespace.hpp"

#include <algorithm>
#include <cerrno>

#include <fcntl.h>
#include <glob.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "autograder/sandbox.hpp"
#include "file_descriptor.hpp"

namespace autograder::sandbox {
namespace {

using Kind = RootOperation::Kind;

// Builds the list of operations; every path is absolute on the host (under the staging root).
class Planner {
public:
    explicit Planner(std::string root) : root_(std::move(root)) {}
    RootPlan plan;

    void directory(const std::string& inside, unsigned mode = 0755) {
        // Parents first, so every target exists when it is mounted on.
        for (size_t slash = inside.find('/', 1); slash != std::string::npos; slash = inside.find('/', slash + 1))
            add({Kind::make_directory, root_ + inside.substr(0, slash), {}, {}, {}, 0, 0755});
        add({Kind::make_directory, root_ + inside, {}, {}, {}, 0, mode});
    }
    void file(const std::string& inside, const std::string& content, unsigned mode = 0644) {
        add({Kind::write_file, root_ + inside, {}, {}, content, 0, mode});
    }
    void symlink(const std::string& inside, const std::string& target) {
        add({Kind::symlink, root_ + inside, target, {}, {}, 0, 0});
    }
    void mount(const std::string& source, const std::string& inside, const std::string& fstype, unsigned long flags,
               const std::string& data = {}) {
        add({Kind::mount, root_ + inside, source, fstype, data, flags, 0});
    }
    void tmpfs(const std::string& inside, int64_t bytes, int64_t inodes, const char* mode, unsigned long flags,
               const std::string& extra = {}) {
        directory(inside);
        mount("tmpfs", inside, "tmpfs", flags,
              "size=" + std::to_string(bytes) + ",nr_inodes=" + std::to_string(inodes) + ",mode=" + mode + extra);
    }
    // A read-only bind of a host path at the same path inside.
    void bind_read_only(const std::string& host) {
        struct stat info {};
        if (::stat(host.c_str(), &info) != 0) throw SandboxError(errno_message("read-only path " + host));
        if (S_ISDIR(info.st_mode)) {
            directory(host);
        } else {
            directory(host.substr(0, host.rfind('/')));
            add({Kind::create_file, root_ + host, {}, {}, {}, 0, 0644});
        }
        mount(host, host, "", MS_BIND | MS_REC);
        // Flags the host mount has (nosuid, nodev...) are locked in a user namespace: a remount
        // that drops them is refused, so repeat them.
        mount("", host, "", MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | locked_flags(host));
    }
    void device(const std::string& name) {
        add({Kind::create_file, root_ + "/dev/" + name, {}, {}, {}, 0, 0666});
        // Device nodes cannot be made in a user namespace; the host's are bound instead.
        mount("/dev/" + name, "/dev/" + name, "", MS_BIND);
    }
    void change_owner(const std::string& inside, unsigned owner) {
        add({Kind::change_owner, root_ + inside, {}, {}, {}, 0, 0, owner});
    }
    // Hides a file by binding /dev/null over it, where the kernel has the file.
    void mask(const std::string& inside, const std::string& host) {
        if (::access(host.c_str(), F_OK) == 0) mount("/dev/null", inside, "", MS_BIND);
    }
    void pivot() { add({Kind::pivot, root_, {}, {}, {}, 0, 0}); }
    void hostname(const std::string& name) { add({Kind::hostname, name, {}, {}, {}, 0, 0}); }

private:
    std::string root_;
    void add(RootOperation operation) { plan.operations.push_back(std::move(operation)); }

    static unsigned long locked_flags(const std::string& path) {
        struct statfs info {};
        if (::statfs(path.c_str(), &info) != 0) return 0;
        unsigned long flags = 0;
        if (info.f_flags & ST_NOSUID) flags |= MS_NOSUID;
        if (info.f_flags & ST_NODEV) flags |= MS_NODEV;
        if (info.f_flags & ST_NOEXEC) flags |= MS_NOEXEC;
        if (info.f_flags & ST_NOATIME) flags |= MS_NOATIME;
        if (info.f_flags & ST_NODIRATIME) flags |= MS_NODIRATIME;
        if (info.f_flags & ST_RELATIME) flags |= MS_RELATIME;
        return flags;
    }
};

void plan_etc(Planner& p, const std::string& hostname) {
    p.directory("/etc");
    auto uid = std::to_string(kSandboxUid);
    auto grader = std::to_string(kGraderUid);
    p.file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nstudent:x:" + uid + ":" + uid +
                              ":student:" + std::string(kWorkspacePath) + ":/bin/sh\ngrader:x:" + grader + ":" +
                              grader + ":grader:" + std::string(kGraderPath) +
                              ":/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
    p.file("/etc/group", "root:x:0:\nstudent:x:" + uid + ":\ngrader:x:" + grader + ":\nnogroup:x:65534:\n");
    p.file("/etc/hosts", "127.0.0.1\tlocalhost " + hostname + "\n::1\tlocalhost\n");
    p.file("/etc/hostname", hostname + "\n");
    p.file("/etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files\n");
    p.file("/etc/resolv.conf", "");  // no DNS: there is no network to reach one
}

void plan_merged_usr_links(Planner& p) {
    for (const char* top : {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
        struct stat info {};
        if (::lstat(top, &info) != 0) continue;
        if (S_ISLNK(info.st_mode)) {
            char target[256] = {};
            ssize_t n = ::readlink(top, target, sizeof target - 1);
            if (n <= 0) throw SandboxError(errno_message(std::string("readlink ") + top));
            p.symlink(top, target);
        } else if (S_ISDIR(info.st_mode)) {
            p.bind_read_only(top);
        }
    }
}

void plan_dev(Planner& p, int64_t shm_bytes, int64_t inodes) {
    p.tmpfs("/dev", 1 << 20, 64, "0755", MS_NOSUID | MS_NOEXEC);
    for (const char* name : {"null", "zero", "full", "random", "urandom"}) p.device(name);
    p.symlink("/dev/fd", "/proc/self/fd");
    p.symlink("/dev/stdin", "/proc/self/fd/0");
    p.symlink("/dev/stdout", "/proc/self/fd/1");
    p.symlink("/dev/stderr", "/proc/self/fd/2");
    p.tmpfs("/dev/shm", shm_bytes, inodes, "1777", MS_NOSUID | MS_NODEV);
    p.mount("", "/dev", "", MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NOEXEC);
}

// Allocation-free execution of one operation; returns 0 or an errno value.
int execute(const RootOperation& op) {
    const char* path = op.path.c_str();
    switch (op.kind) {
        case Kind::make_directory:
            return ::mkdir(path, op.mode) == 0 || errno == EEXIST ? 0 : errno;
        case Kind::create_file:
        case Kind::write_file: {
            int fd = ::open(path, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, op.mode);
            if (fd < 0) return errno;
            size_t done = 0;
            while (done < op.data.size()) {
                ssize_t n = ::write(fd, op.data.data() + done, op.data.size() - done);
                if (n <= 0) {
                    int error = errno;
                    ::close(fd);
                    return error;
                }
                done += static_cast<size_t>(n);
            }
            ::close(fd);
            return 0;
        }
        case Kind::symlink:
            return ::symlink(op.source.c_str(), path) == 0 ? 0 : errno;
        case Kind::mount:
            return ::mount(op.source.empty() ? nullptr : op.source.c_str(), path,
                           op.fstype.empty() ? nullptr : op.fstype.c_str(), op.flags,
                           op.data.empty() ? nullptr : op.data.c_str()) == 0
                       ? 0
                       : errno;
        case Kind::pivot:
            if (::chdir(path) != 0) return errno;
            // pivot_root(".", ".") stacks the old root on top of the new one; detaching it
            // leaves only the new root, with no path back to the host's.
            if (::syscall(SYS_pivot_root, ".", ".") != 0) return errno;
            if (::umount2(".", MNT_DETACH) != 0) return errno;
            if (::chdir("/") != 0) return errno;
            return ::mount(nullptr, "/", nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, nullptr) == 0
                       ? 0
                       : errno;
        case Kind::hostname:
            return ::sethostname(path, op.path.size()) == 0 ? 0 : errno;
        case Kind::change_owner:
            return ::lchown(path, op.owner, op.owner) == 0 ? 0 : errno;
    }
    return EINVAL;
}

}  // namespace

RootPlan plan_root(const RootSpec& spec) {
    Planner p(spec.staging);
    // Nothing mounted from here on may propagate back to the host.
    p.plan.operations.push_back({Kind::mount, "/", "", "", "", MS_REC | MS_PRIVATE, 0});
    p.plan.operations.push_back({Kind::mount, spec.staging, "tmpfs", "tmpfs", "size=1048576,nr_inodes=4096,mode=0755",
                                 MS_NOSUID | MS_NODEV, 0});
    p.bind_read_only("/usr");
    plan_merged_usr_links(p);
    plan_etc(p, spec.hostname);
    for (const auto& path : spec.read_only)
        if (path != "/usr" && !path.starts_with("/usr/")) p.bind_read_only(path);
    p.directory("/proc");
    // hidepid: a run sees only its own processes, not init (a fork of the host process, whose
    // command line may carry secrets).
    p.mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=invisible");
    // Files of the host's kernel state that name the host (its boot command line, keys, timers
    // with host pids).
    for (const char* file :
         {"cmdline", "keys", "key-users", "timer_list", "sched_debug", "kallsyms", "kcore", "modules", "mounts_stats"})
        p.mask("/proc/" + std::string(file), "/proc/" + std::string(file));
    plan_dev(p, spec.tmp_bytes, spec.max_inodes);
    p.tmpfs("/tmp", spec.tmp_bytes, spec.max_inodes, "1777", MS_NOSUID | MS_NODEV);
    // Owned by root and sticky rather than mounted with uid= (mountinfo would show the host uid
    // that the run's user maps to); runs create files as in /tmp.
    p.tmpfs(std::string(kWorkspacePath), spec.workspace_bytes, spec.max_inodes, "1777", MS_NOSUID | MS_NODEV);
    p.tmpfs(std::string(kGraderPath), spec.workspace_bytes, spec.max_inodes, "0700", MS_NOSUID | MS_NODEV);
    p.change_owner(std::string(kGraderPath), kGraderUid);
    p.pivot();
    p.hostname(spec.hostname);
    return std::move(p.plan);
}

bool execute_root_plan(const RootPlan& plan, RootFailure& failure) {
    for (const auto& operation : plan.operations) {
        if (int error = execute(operation); error != 0) {
            failure.operation = &operation;
            failure.error = error;
            return false;
        }
    }
    return true;
}

std::string describe(const RootOperation& op) {
    switch (op.kind) {
        case Kind::make_directory:
            return "mkdir " + op.path;
        case Kind::create_file:
            return "create " + op.path;
        case Kind::write_file:
            return "write " + op.path;
        case Kind::symlink:
            return "symlink " + op.path;
        case Kind::mount:
            return "mount " +
                   (op.fstype.empty() ? op.source.empty() ? std::string("(remount)") : op.source : op.fstype) + " on " +
                   op.path;
        case Kind::pivot:
            return "pivot_root into " + op.path;
        case Kind::hostname:
            return "sethostname " + op.path;
        case Kind::change_owner:
            return "chown " + op.path;
    }
    return "?";
}

std::vector<std::string> expand_read_only_paths(const std::vector<std::string>& patterns) {
    std::vector<std::string> paths;
    for (const auto& pattern : patterns) {
        if (pattern.empty() || pattern[0] != '/' || pattern.find("/../") != std::string::npos ||
            pattern.ends_with("/.."))
            throw SandboxError("read-only path '" + pattern + "' must be absolute, without '..'");
        // The sandbox's own mounts would hide these: refuse rather than silently drop them.
        for (const char* own : {"/tmp", "/workspace", "/grader", "/dev", "/proc"})
            if (pattern == own || pattern.starts_with(std::string(own) + "/") || pattern == "/")
                throw SandboxError("read-only path '" + pattern + "' would be hidden by the sandbox's own " +
                                   (pattern == "/" ? std::string("root") : std::string(own)));
        glob_t matches{};
        if (::glob(pattern.c_str(), GLOB_NOSORT, nullptr, &matches) == 0)
            for (size_t i = 0; i < matches.gl_pathc; ++i) {
                std::string path = matches.gl_pathv[i];
                if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
            }
        ::globfree(&matches);
    }
    return paths;
}

}  // namespace autograder::sandbox
