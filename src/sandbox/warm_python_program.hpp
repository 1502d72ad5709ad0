// The warm Python interpreter's program (see docs/sandbox.md, "Warm interpreter"). It runs in a
// sandbox as the student, started by init like a run (`python3 -s -c <this> <main file>`), with
// its channel to init on descriptor 3. It pays the interpreter's start-up once, compiles the main
// file (compiles only: nothing of the submission runs in it), makes itself non-dumpable (so that
// no run can reach its memory through /proc), freezes its objects for the garbage collector, and
// says 'R'. Then for each request from init (a datagram of NUL-separated fields: RLIMIT_CPU,
// RLIMIT_FSIZE, RLIMIT_NOFILE, RLIMIT_NPROC, RLIMIT_STACK, the working folder, the run's argv;
// and its stdin, stdout and stderr) it forks one child, waits for it and answers
// "E <wait status> <user us> <system us> <max rss kB> <its own CPU ns for the run>".
// The child becomes the run: a process group of its own, dumpable again, the OOM killer's first
// choice, the run's rlimits, its stdio and nothing else open, default signal mask, fresh
// __main__ and sys.argv, sys.path[0] the main file's folder, the modules the zygote imported for
// itself forgotten, the main file recompiled if it changed; then the code runs at the top level
// and the run ends as `python3 main.py` would (exit status, traceback, atexit, flushed streams),
// except that the interpreter is not torn down (half of a forked run's cost). It is the library's own code, passed on the
// command line: no file of it is in the sandbox, nothing a run can change.
#pragma once

namespace autograder::sandbox {

inline constexpr const char* kWarmPythonProgram = R"python(import sys, os
_baseline = set(sys.modules)
import _ctypes, _signal, _socket, gc, resource, time
def _warm():
    libc = _ctypes.dlopen(None, 2)
    prctl = _ctypes.dlsym(libc, 'prctl')
    if _ctypes.call_function(prctl, (4, 0)) != 0 or _ctypes.call_function(prctl, (3, 0, 0, 0, 0)) != 0:
        os._exit(3)
    script = os.path.abspath(sys.argv[1])
    fd = os.open(script, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY)
    info = os.fstat(fd)
    if (info.st_mode & 0o170000) != 0o100000 or info.st_size > 16 << 20:
        os._exit(4)
    source = os.read(fd, info.st_size + 1)
    os.close(fd)
    try:
        code = compile(source, script, 'exec', dont_inherit=True)
    except BaseException:
        os._exit(5)
    stamp = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
    blocked = _signal.valid_signals() - {_signal.SIGKILL, _signal.SIGSTOP}
    _signal.pthread_sigmask(_signal.SIG_BLOCK, blocked)
    null = os.open('/dev/null', os.O_RDWR)
    for target in (0, 1, 2):
        os.dup2(null, target)
    os.close(null)
    channel = _socket.socket(fileno=3)
    gc.collect()
    gc.freeze()
    channel.send(b'R')
    while True:
        data, ancillary, _, _ = channel.recvmsg(65536, _socket.CMSG_SPACE(12))
        if not data:
            os._exit(0)
        fds = []
        for level, kind, payload in ancillary:
            if level == _socket.SOL_SOCKET and kind == _socket.SCM_RIGHTS:
                fds += [int.from_bytes(payload[i:i + 4], sys.byteorder) for i in range(0, len(payload) // 4 * 4, 4)]
        started = time.clock_gettime_ns(time.CLOCK_PROCESS_CPUTIME_ID)
        pid = os.fork() if len(fds) == 3 else -1
        if pid == 0:
            channel.close()
            return data.split(b'\0'), fds, script, code, stamp, prctl
        for fd in fds:
            os.close(fd)
        status, usage = 127 << 8, None
        if pid > 0:
            _, status, usage = os.wait4(pid, 0)
        spent = time.clock_gettime_ns(time.CLOCK_PROCESS_CPUTIME_ID) - started
        channel.send(b'E %d %d %d %d %d' % (status, int(usage.ru_utime * 1e6) if usage else 0,
                                            int(usage.ru_stime * 1e6) if usage else 0,
                                            usage.ru_maxrss if usage else 0, spent))
def _child(fields, fds, script, code, stamp, prctl):
    cpu, fsize, nofile, nproc, stack = (int(field) for field in fields[:5])
    cwd, argv = fields[5], [os.fsdecode(arg) for arg in fields[6:]]
    os.setpgid(0, 0)
    _ctypes.call_function(prctl, (4, 1))
    with open('/proc/self/oom_score_adj', 'w') as score:
        score.write('1000')
    for resource_id, soft, hard in ((resource.RLIMIT_CPU, cpu, cpu + 1), (resource.RLIMIT_FSIZE, fsize, fsize),
                                    (resource.RLIMIT_NOFILE, nofile, nofile), (resource.RLIMIT_NPROC, nproc, nproc),
                                    (resource.RLIMIT_STACK, stack, stack), (resource.RLIMIT_CORE, 0, 0),
                                    (resource.RLIMIT_MEMLOCK, 64 << 10, 64 << 10), (resource.RLIMIT_MSGQUEUE, 0, 0),
                                    (resource.RLIMIT_RTPRIO, 0, 0), (resource.RLIMIT_NICE, 0, 0)):
        resource.setrlimit(resource_id, (soft, hard))
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    os.closerange(3, 1 << 20)
    os.chdir(cwd)
    _signal.pthread_sigmask(_signal.SIG_SETMASK, ())
    info = os.stat(script)
    if (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns) != stamp:
        with open(script, 'rb') as changed:
            code = compile(changed.read(), script, 'exec', dont_inherit=True)
    sys.argv = argv[1:]
    sys.orig_argv = argv
    sys.path[0] = os.path.dirname(os.path.realpath(script))
    for name in [name for name in sys.modules if name not in _baseline]:
        del sys.modules[name]
    main = type(sys)('__main__')
    main.__file__ = script
    main.__cached__ = None
    main.__builtins__ = sys.modules['builtins']
    main.__loader__ = sys.modules['_frozen_importlib_external'].SourceFileLoader('__main__', script)
    main.__spec__ = None
    main.__package__ = None
    sys.modules['__main__'] = main
    return code, main.__dict__
_code, _namespace = _child(*_warm())
del _warm, _child, _baseline
def _finish(status):
    # What the interpreter's own exit does for a program (non-daemon threads joined, atexit
    # functions, standard streams flushed: exit status 120 when that fails), without tearing
    # the interpreter down: objects still alive are not finalised.
    threading = sys.modules.get('threading')
    if threading is not None:
        try:
            threading._shutdown()
        except BaseException:
            pass
    import atexit
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            status = 120
    os._exit(status)
try:
    exec(_code, _namespace)
except SystemExit as _exit:
    if _exit.code is None:
        _finish(0)
    if isinstance(_exit.code, int):
        _finish(_exit.code & 0xFF)
    try:
        print(_exit.code, file=sys.stderr)
    except BaseException:
        pass
    _finish(1)
except BaseException as _error:
    _error = _error.with_traceback(_error.__traceback__.tb_next)
    sys.excepthook(type(_error), _error, _error.__traceback__)
    _finish(1)
_finish(0)
)python";

}  // namespace autograder::sandbox
