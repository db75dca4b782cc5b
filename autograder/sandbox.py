"""Run each submission's kernel isolated: own throwaway folder, unprivileged uid, no network, rlimits.

As root with `unshare` and `setpriv`, a kernel starts as: copy the connection file for the sandbox
uid, enter new mount and network namespaces, hide the course (source/, gradebook, mutants, .git) and
root's home behind empty tmpfs mounts (keeping the Python installation and the `course` package
read-only), drop to a uid used by nobody else, set rlimits (memory, processes, file size) and start
ipykernel in the submission's working folder. Without privileges the kernel runs as the grader with
the memory and file-size limits only, and `isolation()` says so loudly.
"""

import functools
import json
import os
import signal
import subprocess
import sys
import tempfile
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

_START = r"""#!/bin/sh
# As root: hand the connection file to the sandbox uid, then enter new mount + network namespaces.
set -e
cp "$1" "$AG_KERNEL_DIR/connection.json"
chown "$AG_UID:$AG_UID" "$AG_KERNEL_DIR/connection.json"
shift
exec unshare --mount --net --pid --kill-child --mount-proc --propagation private /bin/sh "$AG_BATCH/inside.sh" "$@"
"""

_INSIDE = r"""#!/bin/sh
# Inside the namespaces (the kernel will be PID 1 of its own PID namespace: when it dies, everything it started
# dies), still root: hide the course and root's home, keep Python, `course` and the data read-only, give the
# kernel its own empty /tmp, /var/tmp and /dev/shm (its kernel folder and the start scripts stay reachable).
set -e
IFS='
'
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
exec setpriv --reuid="$AG_UID" --regid="$AG_UID" --clear-groups --no-new-privs \
  "$AG_PYTHON" "$AG_BATCH/launcher.py" "$AG_KERNEL_DIR/connection.json" "$@"
"""

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
    starting `python -c 'import course'` through the real sandbox chain."""
    if os.geteuid() != 0:
        return False, "the grader does not run as root (no unprivileged uid, no namespaces)"
    with tempfile.TemporaryDirectory(prefix="ag-probe-") as tmp:
        batch = prepare_batch(Path(tmp), isolated=True)
        kernel_dir = Path(tmp) / "kernel"
        env = kernel_env(batch, kernel_dir, Path(tmp) / "stage", sandbox_uid(63),
                         Limits(memory=0, processes=0, file_size=0), isolated=True)
        conn = Path(tmp) / "conn.json"
        conn.write_text("{}")
        probe = ("import course, socket, os; s = socket.socket(); s.settimeout(1)\n"
                 "try:\n    s.connect(('127.0.0.1', 9)); print('net')\nexcept OSError:\n    pass\n"
                 "print('root-visible' if os.path.exists(%r) else 'host-pids' if len([p for p in os.listdir('/proc')"
                 " if p.isdigit()]) > 1 else 'ok', os.getuid())" % str(COURSE_ROOT / "source"))
        (batch / "launcher.py").write_text(probe + "\n")
        try:
            out = subprocess.run(["/bin/sh", str(batch / "start.sh"), str(conn)], env=env, capture_output=True,
                                 text=True, timeout=30)
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
    scripts = {"start.sh": _START, "inside.sh": _INSIDE, "launcher.py": _LAUNCHER,
               "guard.py": (Path(__file__).parent / "guard.py").read_text()}
    for name, text in scripts.items():
        (batch / name).write_text(text)
        os.chmod(batch / name, 0o755)
    spec = batch / "jupyter" / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True, exist_ok=True)
    argv = (["/bin/sh", str(batch / "start.sh"), "{connection_file}"] if isolated
            else [sys.executable, str(batch / "launcher.py"), "{connection_file}"])
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "Python 3 (sandbox)",
                                                  "language": "python"}))
    return batch


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


def kernel_env(batch: Path, kernel_dir: Path, stage: Path, uid: int, limits: Limits, isolated: bool, hide=(),
               data: Path | None = None) -> dict[str, str]:
    """Environment for the grading process of one submission (the kernel inherits it).

    `kernel_dir/work` is the kernel's working folder and home; `kernel_dir/ipc` holds its sockets. `data`, the
    Fashion-MNIST folder, is mounted read-only at the same path and named by `FASHION_MNIST_DIR`."""
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
    env.update({
        "AG_BATCH": str(batch), "AG_KERNEL_DIR": str(kernel_dir), "AG_WORK": str(work), "AG_UID": str(uid),
        "AG_STAGE": str(stage), "AG_PYTHON": str(PYTHON), "AG_TMP_KEEP": "\n".join([str(batch), *keep]),
        "AG_TMP_SIZE": str(max(limits.file_size, 64 * 2**20)),
        "AG_KEEP": "\n".join(keep), "AG_HIDE": "\n".join(h for h in hidden if h not in keep and h != "/"),
        "AG_LIMIT_AS": str(limits.memory), "AG_LIMIT_FSIZE": str(limits.file_size),
        "AG_LIMIT_NPROC": str(limits.processes if isolated or os.geteuid() != 0 else 0),
        "HOME": str(work), "TMPDIR": str(work / "tmp"), "MPLCONFIGDIR": str(work / ".config" / "matplotlib"),
        "KERAS_HOME": str(work / ".keras"), "MPLBACKEND": "Agg", "JUPYTER_PATH": str(Path(batch) / "jupyter"),
        "TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0", "PYTHONDONTWRITEBYTECODE": "1",
    })
    if data:
        env[ENV_VAR] = str(data)
    else:
        env.pop(ENV_VAR, None)
    if limits.threads:
        env.update(dict.fromkeys(("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                  "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"), str(limits.threads)))
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
