"""Run each submission's kernel isolated: own throwaway folder, unprivileged uid, no network, rlimits.

As root, each batch runs one kernel factory (`factory()`): a process that imports NumPy, Matplotlib, ipykernel
and `course` once and forks every kernel from there. A kernel starts as: the kernel spec's `spawn.py` asks the
factory; a fork of it copies the connection file for the sandbox uid and enters new mount, network and PID
namespaces; its child (PID 1 there) hides the course (source/, gradebook, mutants, .git) and root's home behind
empty tmpfs mounts (keeping the Python installation and the `course` package read-only), drops to a uid used by
nobody else, sets rlimits (memory, processes, file size) and starts ipykernel in the submission's working folder,
the guard installed before any cell. Without privileges the kernel is a new process run as the grader with the
memory and file-size limits only, and `isolation()` says so loudly.
"""

import contextlib
import functools
import json
import os
import pkgutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import course
from course.data import DEBIAN_DIR, ENV_VAR, FASHION_FILES

from autograder import COURSE_ROOT
from autograder.model import Limits

KERNEL_NAME = "autograder-sandbox"
#: This environment's interpreter through the environment's real folder (kept visible in the sandbox), not
#: through a symlink that may live in the hidden course repository.
PYTHON = Path(sys.prefix).resolve() / "bin" / Path(sys.executable).name
UID_BASE = 1_000_000  # + pid * 64 + worker slot: unique to one worker of one batch

_MOUNTS = r"""#!/bin/sh
# Run by the kernel's process, still root, as PID 1 of its new PID namespace (when it dies, everything it started
# dies) in its new mount and network namespaces: a private /proc; hide the course and root's home, keep Python,
# `course` and the data read-only, give the kernel its own empty /tmp, /var/tmp and /dev/shm (its kernel folder
# and the start scripts stay reachable).
set -e
IFS='
'
mount --make-rprivate /
mount -t proc proc /proc
i=0
for keep in $AG_KEEP; do mkdir -p "$AG_STAGE/$i"; mount --bind "$keep" "$AG_STAGE/$i"; i=$((i+1)); done
for hide in $AG_HIDE; do
  if [ -d "$hide" ]; then mount -t tmpfs -o size=64k,mode=0755 hidden "$hide"
  elif [ -e "$hide" ]; then mount --bind /dev/null "$hide"; fi
done
i=0
for keep in $AG_KEEP; do
  mkdir -p "$keep"; mount --bind "$AG_STAGE/$i" "$keep"; mount -o remount,bind,ro "$keep"
  umount "$AG_STAGE/$i"; i=$((i+1))
done
mkdir -p "$AG_STAGE/tmp"
mount -t tmpfs -o size="$AG_TMP_SIZE",mode=1777 private "$AG_STAGE/tmp"
for keep in $AG_KERNEL_DIR $AG_TMP_KEEP; do
  case "$keep" in /tmp/*) ;; *) continue ;; esac
  mkdir -p "$AG_STAGE/tmp/${keep#/tmp/}"; mount --bind "$keep" "$AG_STAGE/tmp/${keep#/tmp/}"
  if [ "$keep" != "$AG_KERNEL_DIR" ]; then mount -o remount,bind,ro "$AG_STAGE/tmp/${keep#/tmp/}"; fi
done
mount --move "$AG_STAGE/tmp" /tmp
mount -t tmpfs -o size="$AG_TMP_SIZE",mode=1777 private /var/tmp
mount -t tmpfs -o size="$AG_TMP_SIZE",mode=1777 private /dev/shm
"""

_FACTORY = r'''"""The batch's kernel factory (root, started once per batch): imports the modules named after its socket path
`argv[1]`, then forks one sandboxed kernel per request on that socket (which appears once the imports are done),
so no kernel pays for those imports.

Per request (from `spawn.py`, the kernel spec's command): the connection file goes to the sandbox uid and a child
enters new mount, network and PID namespaces; its own child (PID 1 there) runs `mounts.sh`, drops to the sandbox
uid (no groups, no new privileges) and runs `launcher.py` (rlimits, ipykernel, the guard before any cell). No
student code runs before that drop. The kernel dies when the request's connection closes (the kernel manager
killed `spawn.py`) and when this process dies.
"""
import ctypes, importlib, json, os, select, shutil, signal, socket, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
CLONE_NEWNS, CLONE_NEWNET, CLONE_NEWPID = 0x00020000, 0x40000000, 0x20000000
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS = 1, 38
libc = ctypes.CDLL(None, use_errno=True)


def check(result):
    if result != 0:
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))


def die_with_parent():
    check(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0))


def kernel(fds, uid, argv):
    """In PID 1 of the new namespaces: mounts, drop to `uid`, then the launcher; never returns."""
    code = 1
    try:
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))  # as a new process: only stdin, stdout, stderr
        subprocess.run(["/bin/sh", os.path.join(HERE, "mounts.sh")], check=True, stdin=subprocess.DEVNULL)
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
        check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
        die_with_parent()  # the uid change cleared it
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()  # fresh entropy, as in a new process (`random` reseeds itself)
        if "keras.src.backend.config" in sys.modules:  # Keras keeps the folder it saw at import: the kernel's own
            sys.modules["keras.src.backend.config"]._KERAS_DIR = os.environ["KERAS_HOME"]
        sys.argv = [os.path.join(HERE, "launcher.py"), *argv]
        with open(sys.argv[0]) as launcher:
            source = launcher.read()
        code = 0
        exec(compile(source, sys.argv[0], "exec"), {"__name__": "__main__", "__file__": sys.argv[0]})
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback
        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve(conn):
    """In a child of the factory: one kernel for the request on `conn`, until it ends or the requester goes."""
    die_with_parent()
    _, fds, _, _ = socket.recv_fds(conn, 1, 3)
    request = json.loads(conn.makefile("rb").readline())
    os.environ.clear()
    os.environ.update(request["env"])
    uid, kernel_dir = int(os.environ["AG_UID"]), os.environ["AG_KERNEL_DIR"]
    connection = os.path.join(kernel_dir, "connection.json")
    shutil.copyfile(request["argv"][0], connection)
    os.chown(connection, uid, uid)
    check(libc.unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID))
    pid = os.fork()
    if pid == 0:
        conn.close()
        kernel(fds, uid, [connection, *request["argv"][1:]])
    for fd in fds:
        os.close(fd)
    pidfd = os.pidfd_open(pid)
    conn.sendall(b"%d\n" % pid)
    ready, _, _ = select.select([conn, pidfd], [], [])
    if pidfd not in ready:  # the requester is gone: the kernel goes too
        os.kill(pid, signal.SIGKILL)
    code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    try:
        conn.sendall(b"%d\n" % (code if code >= 0 else 128 - code))
    except OSError:
        pass


def main():
    die_with_parent()  # the grader is gone: so is the factory (and, through theirs, every kernel)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(sys.argv[1] + ".new")
    server.listen(64)
    for name in sys.argv[2:]:
        importlib.import_module(name)
    os.rename(sys.argv[1] + ".new", sys.argv[1])  # the socket appears once the factory is ready
    server.settimeout(1)
    children = set()
    try:
        while True:
            try:
                conn, _ = server.accept()
            except TimeoutError:
                conn = None
            children -= {pid for pid in children if os.waitpid(pid, os.WNOHANG)[0]}
            if conn is None:
                continue
            conn.settimeout(None)
            pid = os.fork()
            if pid == 0:
                status = 1
                try:
                    signal.signal(signal.SIGTERM, signal.SIG_DFL)
                    server.close()
                    serve(conn)
                    status = 0
                finally:
                    os._exit(status)
            children.add(pid)
            conn.close()
    finally:  # stopped: every kernel goes (its parent's death kills it), and their time is accounted for
        for pid in children:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


main()
'''

_SPAWN = r'''"""The kernel spec's command: ask the batch's kernel factory (socket `$AG_FACTORY` in folder
`argv[1]`) for a kernel with this connection file and environment, pass on interrupts, and end with the kernel
(killing this process kills the kernel)."""
import json, os, signal, socket, sys

FORWARDED = {signal.SIGINT, signal.SIGTERM, signal.SIGQUIT, signal.SIGHUP}
signal.pthread_sigmask(signal.SIG_BLOCK, FORWARDED)  # held until the kernel exists, then passed on
sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
sock.connect(os.path.join(sys.argv[1], os.environ["AG_FACTORY"]))
socket.send_fds(sock, [b"k"], [0, 1, 2])
sock.sendall(json.dumps({"argv": sys.argv[2:], "env": dict(os.environ)}).encode() + b"\n")
answers = sock.makefile("rb")
pid = int(answers.readline())
for forwarded in FORWARDED:
    signal.signal(forwarded, lambda number, _: os.kill(pid, number))
signal.pthread_sigmask(signal.SIG_UNBLOCK, FORWARDED)
status = answers.readline().strip()
sys.exit(int(status) if status else 1)
'''

_LAUNCHER = r'''"""Set the rlimits, enter the working folder and start ipykernel (runs as the sandbox user)."""
import os, resource, sys
for name in ("AS", "NPROC", "FSIZE"):
    value = int(os.environ.get("AG_LIMIT_" + name) or 0)
    if value > 0:
        resource.setrlimit(getattr(resource, "RLIMIT_" + name), (value, value))
os.chdir(os.environ["AG_WORK"])
sys.argv = [sys.argv[0], "-f", sys.argv[1]] + sys.argv[2:] + [
    "--IPKernelApp.exec_lines=__import__('guard').install(get_ipython())"]
from ipykernel.kernelapp import launch_new_instance
launch_new_instance()
'''

@functools.lru_cache(maxsize=None)
def isolation():
    """`(True, "...")` when kernels can run isolated here, else `(False, reason)`; probed once by
    starting `python -c 'import course'` through the real sandbox chain (kernel factory included)."""
    if os.geteuid() != 0:
        return False, "the grader does not run as root (no unprivileged uid, no namespaces)"
    with tempfile.TemporaryDirectory(prefix="ag-probe-") as tmp:
        batch = prepare_batch(Path(tmp) / "batch", isolated=True)
        kernel_dir = Path(tmp) / "kernel"
        no_limits = Limits(memory=0, processes=0, file_size=0)
        env = kernel_env(batch, kernel_dir, Path(tmp) / "stage", sandbox_uid(63), no_limits, isolated=True)
        conn = Path(tmp) / "conn.json"
        conn.write_text("{}")
        probe = ("import course, socket, os; s = socket.socket(); s.settimeout(1)\n"
                 "try:\n    s.connect(('127.0.0.1', 9)); print('net')\nexcept OSError:\n    pass\n"
                 "print('root-visible' if os.path.exists(%r) else 'host-pids' if len([p for p in os.listdir('/proc')"
                 " if p.isdigit()]) > 1 else 'ok', os.getuid())" % str(COURSE_ROOT / "source"))
        (batch / "launcher.py").write_text(probe + "\n")
        try:
            with factory(batch, no_limits, modules=()) as started:
                started.wait()
                out = subprocess.run(kernel_command(batch, str(conn)), env=env, capture_output=True, text=True,
                                     timeout=30)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return False, f"sandbox probe failed: {exc}"
        finally:
            kill_uid(int(env["AG_UID"]))
        if out.returncode != 0 or not out.stdout.startswith("ok"):
            return False, f"sandbox probe failed: {(out.stderr or out.stdout).strip()[-300:]}"
    return True, ("kernels run as an unprivileged uid in their own PID namespace, without network, with the course "
                  "hidden and a private /tmp")


def warn_if_unisolated(stream=sys.stderr):
    """Print a loud warning when submissions will run without isolation; return whether isolated."""
    isolated, reason = isolation()
    if not isolated:
        print(f"WARNING: NO ISOLATION: student code runs as the grader with access to the course and the "
              f"network ({reason}). Grade only trusted submissions here.", file=stream, flush=True)
    return isolated


def prepare_batch(batch, isolated):
    """Write the kernel start scripts and the kernelspec into `batch`; return `batch`."""
    batch = Path(batch)
    batch.mkdir(parents=True, exist_ok=True)
    os.chmod(batch, 0o755)  # only the start scripts: the sandbox user imports `guard` from here
    scripts = {"mounts.sh": _MOUNTS, "factory.py": _FACTORY, "spawn.py": _SPAWN, "launcher.py": _LAUNCHER,
               "guard.py": (Path(__file__).parent / "guard.py").read_text()}
    for name, text in scripts.items():
        (batch / name).write_text(text)
        os.chmod(batch / name, 0o755)
    spec = batch / "jupyter" / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True, exist_ok=True)
    argv = (kernel_command(batch, "{connection_file}") if isolated
            else [sys.executable, str(batch / "launcher.py"), "{connection_file}"])
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "Python 3 (sandbox)",
                                                  "language": "python"}))
    return batch


def _factories(batch: Path) -> Path:
    """The root-only folder of the kernel factories' sockets, next to `batch` (never mounted in a sandbox)."""
    return Path(batch).parent / f"{Path(batch).name}-factories"


def kernel_command(batch: Path, connection_file: str) -> list[str]:
    """The command that starts an isolated kernel: ask the batch's kernel factory named by `AG_FACTORY` for one."""
    return [str(PYTHON), "-I", "-S", str(Path(batch) / "spawn.py"), str(_factories(batch)), connection_file]


def preimported(tensorflow: bool = False) -> tuple[str, ...]:
    """What a kernel factory imports once for all its kernels: the modules notebooks import first (NumPy,
    Matplotlib, IPython's display, ipywidgets, `course` and each of its modules, with `tensorflow` TensorFlow and
    Keras too) and ipykernel itself. A student may import all of them anyway, and importing them starts no thread
    (so a fork keeps them working) and runs no student code."""
    return ("numpy", "matplotlib", "matplotlib.pyplot", "IPython.display", "ipywidgets", "ipykernel.kernelapp",
            "ipykernel.ipkernel", "course", *(f"course.{m.name}" for m in pkgutil.iter_modules(course.__path__)),
            *(("tensorflow", "keras") if tensorflow else ()))


class Factory:
    """A running kernel factory (see `factory`)."""

    def __init__(self, proc: subprocess.Popen, socket_path: Path):
        self.proc, self.socket = proc, socket_path

    def wait(self) -> None:
        """Return once the factory has imported its modules and takes requests; raise if it died."""
        while not self.socket.exists():
            if self.proc.poll() is not None:
                raise RuntimeError(f"the kernel factory {self.socket.name} ended at start "
                                   f"(status {self.proc.returncode})")
            time.sleep(0.02)


@contextlib.contextmanager
def factory(batch: Path, limits: Limits, name: str = "default", modules=None):
    """Start the kernel factory `name` of `batch` (isolated kernels only) for the block; `Factory.wait()` before
    asking it for kernels. One root process imports `modules` (default `preimported(name == "tensorflow")`) once
    and forks each kernel asked of it (see `kernel_env`); it is killed with everything it started when the block
    ends (also on Ctrl-C) and dies with the grader. Memory: one Python process with those modules, their pages
    shared by its kernels."""
    socket_path = _factories(batch) / name
    modules = preimported(name == "tensorflow") if modules is None else modules
    socket_path.parent.mkdir(mode=0o700, exist_ok=True)
    socket_path.unlink(missing_ok=True)
    # Matplotlib's and Keras' folders while importing (then each kernel's own, see `kernel_env`); kernels always
    # run under nbgrader's autograde
    homes = {var: socket_path.parent / f"{name}-{var.lower()}" for var in ("MPLCONFIGDIR", "KERAS_HOME")}
    for folder in homes.values():
        folder.mkdir(exist_ok=True)
    env = dict(os.environ, **common_env(limits), **{k: str(v) for k, v in homes.items()},
               NBGRADER_EXECUTION="autograde")
    proc = subprocess.Popen([str(PYTHON), str(Path(batch) / "factory.py"), str(socket_path), *modules],
                            env=env, cwd=batch, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        yield Factory(proc, socket_path)
    finally:
        proc.terminate()  # it kills and reaps its children, so their time counts in this process's children
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            kill_all(descendants(proc.pid))
            proc.wait()


def sandbox_uid(slot: int, pid: int | None = None) -> int:
    """The uid of worker `slot` of the batch run by process `pid` (default: this one); nobody else uses it, so
    its processes can be killed. Computed once in the grading parent and passed down to each child."""
    return UID_BASE + ((os.getpid() if pid is None else pid) % 32768) * 64 + slot


def data_candidates() -> list[Path]:
    """Where the grader looks for Fashion-MNIST, like `course.data` run from the repository: the
    `FASHION_MNIST_DIR` variable, Debian's folder, `shared/data/fashion-mnist` next to the repository or above."""
    env = [Path(os.environ[ENV_VAR])] if os.environ.get(ENV_VAR) else []
    return env + [DEBIAN_DIR] + [p / "shared" / "data" / "fashion-mnist" for p in (COURSE_ROOT, *COURSE_ROOT.parents)]


def find_data(candidates=None) -> Path | None:
    """The first folder of `candidates` (default: `data_candidates()`) holding the four Fashion-MNIST files."""
    for folder in data_candidates() if candidates is None else candidates:
        if all((Path(folder) / name).is_file() for name in FASHION_FILES):
            return Path(folder).resolve()
    return None


def common_env(limits: Limits) -> dict[str, str]:
    """The environment variables every kernel of a batch shares (the kernel factory imports under them)."""
    env = {"MPLBACKEND": "Agg", "TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0",
           "PYTHONDONTWRITEBYTECODE": "1"}
    if limits.threads:
        env.update(dict.fromkeys(("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                  "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"), str(limits.threads)))
    return env


def kernel_env(batch: Path, kernel_dir: Path, stage: Path, uid: int, limits: Limits, isolated: bool, hide=(),
               data: Path | None = None, factory: str = "default") -> dict[str, str]:
    """Environment for the grading process of one submission (the kernel inherits it).

    `kernel_dir/work` is the kernel's working folder and home; `kernel_dir/ipc` holds its sockets. `data`, the
    Fashion-MNIST folder, is mounted read-only at the same path and named by `FASHION_MNIST_DIR`. An isolated
    kernel comes from the kernel factory named `factory`."""
    work = Path(kernel_dir) / "work"
    for d in (work, Path(kernel_dir) / "ipc", work / ".config" / "matplotlib", work / ".keras", work / "tmp",
              work / ".ipython"):
        d.mkdir(parents=True, exist_ok=True)
    if isolated:
        Path(stage).mkdir(parents=True, exist_ok=True)
        os.chmod(stage, 0o700)
        for d in [kernel_dir, *Path(kernel_dir).rglob("*")]:
            os.chown(d, uid, uid)
        os.chmod(kernel_dir, 0o700)
    keep = dict.fromkeys(str(Path(p).resolve()) for p in (sys.base_prefix, sys.prefix, Path(course.__file__).parent,
                                                           *([data] if data else [])))
    # Debian's Fashion-MNIST too: the kernel sees the data set the grader chose, or none.
    hidden = dict.fromkeys(str(Path(p).resolve()) for p in (COURSE_ROOT, os.path.expanduser("~"), DEBIAN_DIR, *hide))
    env = dict(os.environ)
    env.update(common_env(limits))
    env.update({
        "AG_KERNEL_DIR": str(kernel_dir), "AG_WORK": str(work), "AG_UID": str(uid),
        "AG_STAGE": str(stage), "AG_TMP_KEEP": "\n".join([str(batch), *keep]),
        "AG_TMP_SIZE": str(max(limits.file_size, 64 * 2**20)),
        "AG_KEEP": "\n".join(keep), "AG_HIDE": "\n".join(h for h in hidden if h not in keep and h != "/"),
        "AG_LIMIT_AS": str(limits.memory), "AG_LIMIT_FSIZE": str(limits.file_size),
        "AG_LIMIT_NPROC": str(limits.processes if isolated or os.geteuid() != 0 else 0),
        "HOME": str(work), "TMPDIR": str(work / "tmp"), "MPLCONFIGDIR": str(work / ".config" / "matplotlib"),
        "KERAS_HOME": str(work / ".keras"), "JUPYTER_PATH": str(Path(batch) / "jupyter"), "AG_FACTORY": factory,
    })
    if data:
        env[ENV_VAR] = str(data)
    else:
        env.pop(ENV_VAR, None)
    return env


def processes():
    """`{pid: (ppid, uid, session id)}` of every process."""
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                uid = entry.stat().st_uid
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            table[int(entry.name)] = (int(fields[1]), uid, int(fields[3]))
    return table


def descendants(pid, table=None):
    """`pid` and every process below it."""
    table = table or processes()
    found, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [p for p, (pp, _, _) in table.items() if pp == parent and p not in found]
        found.update(children)
        frontier += children
    return found


def kill_all(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def kill_uid(uid):
    """SIGKILL every process of the sandbox `uid` (a fork bomb's leftovers)."""
    for _ in range(3):
        victims = [p for p, (_, u, _) in processes().items() if u == uid]
        if not victims:
            return
        kill_all(victims)


def kill_session(sessions):
    """SIGKILL every process in the given sessions (a kernel and what it forked, without isolation)."""
    if sessions:
        kill_all([p for p, (_, _, sid) in processes().items() if sid in sessions and p != os.getpid()])
