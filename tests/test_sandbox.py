"""The kernel factory: a kernel forked from it is isolated like a new process, and nothing outlives its
requester or the factory (the grader's Ctrl-C ends the factory)."""

import json
import signal
import subprocess
import time

import pytest

from autograder import sandbox
from autograder.model import Limits

pytestmark = pytest.mark.skipif(not sandbox.isolation()[0], reason="the kernel factory needs root (isolation)")
LIMITS = Limits(memory=2**30, processes=16, file_size=2**20)
# Stands in for launcher.py: reports what the kernel is, then sleeps until killed, reporting interrupts.
PROBE = ("import json, os, signal, sys, time\n"
         "signal.signal(signal.SIGINT, lambda *_: print('interrupted', flush=True))\n"
         "print(json.dumps([os.getpid(), os.getuid(), os.getgroups(), sorted(os.listdir('/proc/self/fd')),"
         " 'numpy' in sys.modules]), flush=True)\n"
         "while True:\n    time.sleep(1)\n")


def alive(uid):
    return [p for p, (_, u, _) in sandbox.processes().items() if u == uid]


def gone(uid, seconds=10):
    end = time.monotonic() + seconds
    while alive(uid) and time.monotonic() < end:
        time.sleep(0.1)
    return not alive(uid)


@pytest.fixture
def kernel(tmp_path):
    """`start()` asks a factory (NumPy preimported) for a kernel running PROBE; returns `(spawn, first line, uid)`."""
    batch = sandbox.prepare_batch(tmp_path / "batch", isolated=True)
    (batch / "launcher.py").write_text(PROBE)
    uid = sandbox.sandbox_uid(62)
    env = sandbox.kernel_env(batch, tmp_path / "kernel", tmp_path / "stage", uid, LIMITS, isolated=True)
    conn = tmp_path / "conn.json"
    conn.write_text("{}")
    spawned = []
    with sandbox.factory(batch, LIMITS, modules=("numpy",)) as factory:
        factory.wait()

        def start():
            spawn = subprocess.Popen(sandbox.kernel_command(batch, str(conn)), env=env, stdout=subprocess.PIPE,
                                     text=True)
            spawned.append(spawn)
            return spawn, json.loads(spawn.stdout.readline()), uid

        yield start, factory
    for spawn in spawned:
        spawn.kill()
        spawn.wait()
    sandbox.kill_uid(uid)


def test_a_forked_kernel_is_pid_1_as_the_sandbox_uid_with_preimported_modules_and_no_inherited_files(kernel):
    start, _ = kernel
    spawn, (pid, uid, groups, fds, preimported), expected_uid = start()
    assert (pid, uid, groups) == (1, expected_uid, [])
    assert fds == ["0", "1", "2", "3"]  # 3: the listing's own descriptor
    assert preimported


def test_killing_the_requester_kills_the_kernel(kernel):
    start, _ = kernel
    spawn, _, uid = start()
    assert alive(uid)
    spawn.kill()  # what the kernel manager does at the end of a notebook, and the grader on a timeout
    assert gone(uid)


def test_an_interrupt_reaches_the_kernel(kernel):
    start, _ = kernel
    spawn, _, uid = start()
    spawn.send_signal(signal.SIGINT)  # nbclient's interrupt on a cell timeout
    assert spawn.stdout.readline() == "interrupted\n"
    assert spawn.poll() is None and alive(uid)


def test_stopping_the_factory_leaves_no_process(kernel):
    start, factory = kernel
    _, _, uid = start()
    factory.proc.terminate()  # what leaving `sandbox.factory` does first (also on Ctrl-C in the grader)
    factory.proc.wait(timeout=10)
    assert gone(uid)
