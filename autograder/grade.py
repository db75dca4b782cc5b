"""Grade submissions with the real `nbgrader autograde`, one forked process per submission, N at a time.

Each submission gets a throwaway folder holding a private nbgrader course (root-only: the assignment's
source and a gradebook copy with only its metadata) and a kernel folder owned by the sandbox uid (see
`sandbox`). The forked process runs nbgrader's autograde with IPC transport and an absolute per-submission
socket path and reports its outcome as a `ChildReport`; the parent enforces the wall-clock limit (killing
every process of the submission), and `judge` decides the status. Nothing the student code writes is trusted.
"""

import contextlib
import gc
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
import types
from datetime import datetime
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable

import nbformat
import nbgrader.apps  # noqa: F401 - imported before forking, so each submission starts fast
import nbgrader.preprocessors  # noqa: F401

from autograder import COURSE_ROOT, manual, sandbox
from autograder.assignments import notebooks, read_merged
from autograder.judge import ReferenceFailed, judge, read_report
from autograder.model import REFERENCE, STATUSES, ChildReport, Job, Limits, Result, default_workers, digest
from autograder.nbgrader_setup import api, max_scores, prepare_course, read_scores

__all__ = ["Job", "Limits", "Result", "ReferenceFailed", "run_batch"]  # the grading API, on top of `model`


class Stages:
    """Seconds spent in each stage of grading, summed over a batch (the benchmark's breakdown)."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.submissions = 0

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds

    def merge(self, stages: dict) -> None:
        for stage, seconds in stages.items():
            self.add(stage, seconds)


class _Laps:
    """In a grading child: `lap(stage)` charges the time since the previous lap to `stage`."""

    def __init__(self, start: float):
        self.last, self.stages = start, {}

    def lap(self, stage: str) -> None:
        now = time.monotonic()
        self.stages[stage] = self.stages.get(stage, 0.0) + now - self.last
        self.last = now


def _time_kernel(laps: _Laps) -> None:
    """In a grading child: charge nbclient's kernel start, the notebook's execution and the kernel's shutdown to
    their own stages (patched in the child only)."""
    from nbclient import NotebookClient

    def around(name, before, after):
        original = getattr(NotebookClient, name)

        def timed(self, *args, **kwargs):
            laps.lap(before)
            try:
                return original(self, *args, **kwargs)
            finally:
                laps.lap(after)
        setattr(NotebookClient, name, timed)

    # the synchronous entry points nbconvert's ExecutePreprocessor calls
    around("start_new_kernel", "nbgrader before kernel", "kernel launch")
    around("start_new_kernel_client", "kernel launch", "kernel ready (imports, guard)")
    around("_cleanup_kernel", "notebook execution", "kernel shutdown")


async def _ready_without_flush(client, timeout: float | None = None) -> None:
    """jupyter_client's `wait_for_ready` without its last step, which waits until IOPub has been silent for
    0.2 s (a fixed 0.2 s per kernel): nbclient reads IOPub by the parent message's id, so the start-up messages
    left there are skipped anyway. Asks for kernel_info until it is answered and IOPub is connected."""
    from queue import Empty

    from jupyter_core.utils import ensure_async

    deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
    while True:
        client.kernel_info()
        try:
            reply = await ensure_async(client.shell_channel.get_msg(timeout=1))
        except Empty:
            reply = None
        if reply is not None and reply["msg_type"] == "kernel_info_reply":
            try:  # IOPub is connected once it holds a status message
                await ensure_async(client.iopub_channel.get_msg(timeout=0.2))
            except Empty:
                pass
            else:
                client._handle_kernel_info_reply(reply)
                return
        if not await client._async_is_alive():
            raise RuntimeError("Kernel died before replying to kernel_info")
        if time.monotonic() > deadline:
            raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")


def _quick_kernel_handshakes() -> None:
    """In a grading child: no fixed waits around the kernel (patched in the child only). The kernel is ready
    once it answers (no 0.2 s IOPub flush) and, once killed, is seen dead within 5 ms (not 0.1 s)."""
    from jupyter_client.asynchronous.client import AsyncKernelClient
    from jupyter_client.manager import KernelManager

    AsyncKernelClient.wait_for_ready = _ready_without_flush
    wait = KernelManager._async_wait

    async def quick_wait(self, pollinterval: float = 0.005) -> None:
        await wait(self, pollinterval=min(pollinterval, 0.005))
    KernelManager._async_wait = quick_wait


def _throwaway_gradebook() -> None:
    """In a grading child: its private gradebook is deleted after the run, so SQLite need not wait for the disk
    on each of nbgrader's commits (synchronous off, rollback journal in memory)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def unsynced(connection, _record) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA journal_mode=MEMORY")
        cursor.close()
    event.listen(Engine, "connect", unsynced)


def _schema_checked_once() -> None:
    """In a grading child: nbgrader validates each cell's metadata with `jsonschema.validate`, which checks
    nbgrader's constant schema against the metaschema again for every cell (twice per cell per run). Here the
    schema is checked once and its validator kept; the cells are validated exactly as before."""
    import jsonschema
    from nbgrader.nbgraderformat import common

    validators = {}

    def validate(instance, schema) -> None:
        if id(schema) not in validators:
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            validators[id(schema)] = (cls(schema), schema)  # the schema kept alive: its id stays its own
        error = jsonschema.exceptions.best_match(validators[id(schema)][0].iter_errors(instance))
        if error is not None:
            raise error
    common.jsonschema = types.SimpleNamespace(validate=validate)


def uses_tensorflow(root: Path, assignment: str) -> bool:
    """Whether a source notebook of `assignment` in the course `root` uses TensorFlow / Keras."""
    text = "".join(p.read_text(encoding="utf-8") for p in notebooks(assignment, "source", root))
    return "tensorflow" in text or "keras" in text


class Template:
    """One assignment registered in a private course: copied for each submission."""

    def __init__(self, assignment: str, root: Path):
        """The template of `assignment` already generated by `prepare_course` in `root`."""
        self.assignment = assignment
        self.root = Path(root)
        self.release = read_merged(notebooks(assignment, "release", self.root))  # all its notebooks, merged
        self.zero = {gid: [0.0, m] for gid, m in max_scores(self.root, assignment).items()}
        self.manual = sorted(manual.cells(self.root, assignment))  # graded by hand later, not by the run
        self.heavy = uses_tensorflow(self.root, assignment)  # graded first: the batch ends sooner

    def course_for(self, job: Job, sub: Path) -> Path:
        """A root-only course in `sub` with this assignment and only `job`'s submission."""
        course = Path(sub) / "course"
        course.mkdir(mode=0o700)
        shutil.copytree(self.root / "source", course / "source")
        shutil.copyfile(self.root / "gradebook.db", course / "gradebook.db")
        shutil.copytree(job.folder, course / "submitted" / job.student / job.assignment, symlinks=True)
        return course


def _templates(assignments, workdir: Path, source_root: Path, workers: int) -> dict[str, Template]:
    """`{assignment: Template}`, generated by up to `workers` forked processes at a time (nbgrader's
    `generate_assignment` is about 1.5 s of one core each). A failed one is generated again here, so that
    nbgrader's own error is raised."""
    roots = {a: Path(workdir) / f"template-{a}" for a in assignments}
    queue, running = list(roots), []
    while queue or running:
        while queue and len(running) < workers:
            assignment = queue.pop(0)
            pid = os.fork()
            if pid == 0:
                gc.disable()  # as in `_child`
                status = 1
                try:
                    prepare_course(assignment, roots[assignment], source_root)
                    status = 0
                finally:
                    os._exit(status)
            running.append((pid, assignment))
        pid, assignment = running.pop(0)
        if os.waitpid(pid, 0)[1] != 0:
            shutil.rmtree(roots[assignment], ignore_errors=True)
            prepare_course(assignment, roots[assignment], source_root)
    return {a: Template(a, root) for a, root in roots.items()}


@dataclass
class Running:
    """A submission being graded by a forked process."""
    index: int  # position in the jobs (-1: an assignment's reference)
    job: Job
    sub: Path
    course: Path
    slot: int
    began: float
    sessions: set = field(default_factory=set)
    forked: float = 0.0

    @property
    def autograded(self) -> Path:
        """The folder of the submission's autograded notebooks."""
        return self.course / "autograded" / self.job.student / self.job.assignment


@dataclass
class Batch:
    """What every submission of one batch shares: its folder, limits, sandbox scripts and uids, the paths to
    hide, the data folder and one `Template` per assignment."""
    tmp: Path
    limits: Limits
    isolated: bool
    scripts: Path
    uids: list
    hide: list
    data: Path | None
    templates: dict
    stages: Stages | None = None

    def start(self, index: int, job: Job, slot: int) -> tuple[int, Running]:
        """Fork the grading process of `job` in worker `slot`; return its pid and `Running` record."""
        sub = self.tmp / f"sub-{index if index >= 0 else 'ref-' + job.assignment}"
        sub.mkdir(mode=0o711)
        began = time.monotonic()
        run = Running(index, job, sub, self.templates[job.assignment].course_for(job, sub), slot, began)
        if self.stages:
            self.stages.add("course copy (parent)", time.monotonic() - began)
            self.stages.submissions += 1
        run.forked = time.monotonic()
        pid = os.fork()
        if pid == 0:
            _child(self, run)
        return pid, run

    def track_sessions(self, running: dict) -> None:
        """Without isolation, remember the sessions of each submission's processes (to kill what they leave)."""
        if not self.isolated:
            table = sandbox.processes()
            for pid, run in running.items():
                run.sessions.update(table[p][2] for p in sandbox.descendants(pid, table) if p in table)

    def poll(self, pid: int, run: Running) -> bool | None:
        """None while `pid` runs within the notebook limit; else whether it had to be killed."""
        finished, _ = os.waitpid(pid, os.WNOHANG)
        if finished:
            return False
        if time.monotonic() - run.began < self.limits.notebook_timeout:
            return None
        sandbox.kill_all(sandbox.descendants(pid))
        os.waitpid(pid, 0)
        return True

    def clean(self, run: Running) -> None:
        """Kill whatever is left of a submission: its sandbox uid's processes, or (without isolation) its sessions."""
        if self.isolated:
            sandbox.kill_uid(self.uids[run.slot])
        else:
            sandbox.kill_session(run.sessions - {os.getsid(0)})

    def stop(self, pid: int, run: Running) -> None:
        """Kill a submission still running (Ctrl-C or a bug in the grader)."""
        sandbox.kill_all(sandbox.descendants(pid))
        self.clean(run)
        os.waitpid(pid, 0)

    def reap(self, run: Running, killed: bool) -> tuple[Result, nbformat.NotebookNode | None]:
        """Judge a finished submission, then remove its folder."""
        reaped = time.monotonic()
        laps = _Laps(reaped)
        self.clean(run)
        laps.lap("kill leftovers (parent)")
        template = self.templates[run.job.assignment]
        report = None if killed else read_report(run.sub / "result.json")
        result, notebook = judge(run.job, template.release, template.zero, report, run.autograded, self.limits,
                                 reference=run.index < 0)
        result.seconds = time.monotonic() - run.began
        result.pending = list(template.manual)
        if run.index >= 0:
            result.digest = digest(run.job.folder)
        laps.lap("judge (parent)")
        if self.stages:
            self._profile(run, reaped)
        shutil.rmtree(run.sub, ignore_errors=True)
        if self.stages:
            laps.lap("remove folder (parent)")
            self.stages.merge(laps.stages)
        return result, notebook

    def _profile(self, run: Running, reaped: float) -> None:
        """Add the child's stages, the wait for the parent to notice it ended, and the first code cell's time."""
        try:
            child = json.loads((run.sub / "stages.json").read_text())
        except (OSError, ValueError):
            return
        self.stages.merge(child["stages"])
        self.stages.add("parent notices the end", max(0.0, reaped - child["end"]))
        try:
            notebook = read_merged(sorted(run.autograded.glob("*.ipynb")))
        except (OSError, ValueError):
            return
        for cell in notebook.cells:
            timing = cell.metadata.get("execution", {})
            if cell.cell_type == "code" and "iopub.status.busy" in timing and "shell.execute_reply" in timing:
                seconds = (datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00")) -
                           datetime.fromisoformat(timing["iopub.status.busy"].replace("Z", "+00:00"))).total_seconds()
                self.stages.add("  of which: first code cell (imports)", seconds)
                break


def _copy_files(job: Job, course: Path, work: Path) -> None:
    """The files a notebook needs next to it (the student's, then the instructor's), never notebooks."""
    for base in (course / "submitted" / job.student / job.assignment, course / "source" / job.assignment):
        for path in base.rglob("*"):
            if path.is_file() and not path.is_symlink() and path.suffix != ".ipynb":
                target = work / path.relative_to(base)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)


def _child(batch: Batch, run: Running) -> None:
    """In the forked process: autograde one submission in its private course, write its `ChildReport`."""
    # No garbage collection in the child: a parent that imported TensorFlow (a test run, a benchmark) leaves
    # objects whose finalisers crash without TensorFlow's threads, which fork does not copy. The child is
    # short-lived and ends with os._exit.
    gc.disable()
    status = 1
    job, sub, limits = run.job, run.sub, batch.limits
    laps = _Laps(run.forked)
    laps.lap("fork")
    try:
        os.setsid()
        out = os.open(sub / "nbgrader.log", os.O_WRONLY | os.O_CREAT, 0o600)
        os.dup2(out, 1)
        os.dup2(out, 2)
        _copy_files(job, run.course, sub / "kernel" / "work")
        os.environ.clear()
        os.environ.update(sandbox.kernel_env(batch.scripts, sub / "kernel", sub / "stage", batch.uids[run.slot],
                                             limits, batch.isolated, batch.hide, batch.data,
                                             "tensorflow" if batch.templates[job.assignment].heavy else "default"))
        laps.lap("child setup (files, env, chown)")
        _quick_kernel_handshakes()
        _throwaway_gradebook()
        _schema_checked_once()
        if batch.stages:
            _time_kernel(laps)
        grader = api(run.course, **{
            "Execute.timeout": limits.cell_timeout, "Execute.kernel_name": sandbox.KERNEL_NAME,
            # every cell has run: kill the kernel (its PID namespace dies with it) instead of asking it to stop
            "Execute.shutdown_kernel": "immediate",
            "KernelManager.transport": "ipc", "KernelManager.ip": str(sub / "kernel" / "ipc" / "kernel"),
        })
        laps.lap("nbgrader config")
        result = grader.autograde(job.assignment, job.student, force=True, create=True)
        laps.lap("nbgrader after kernel (save, gradebook)")
        if result.get("success"):
            report = ChildReport("graded", {k: list(v) for k, v in read_scores(
                run.course, job.assignment, job.student).items()})
            laps.lap("read scores")
        else:
            report = ChildReport("nbgrader failed", log=(result.get("log") or "")[-6000:],
                                 error=(result.get("error") or "")[-6000:])
        status = 0
    except BaseException:  # noqa: BLE001 - reported to the parent as a crash
        report = ChildReport("error", error=traceback.format_exc()[-6000:])
    try:
        (sub / "result.json").write_text(json.dumps(asdict(report)))
        if batch.stages:
            (sub / "stages.json").write_text(json.dumps({"stages": laps.stages, "end": time.monotonic()}))
    finally:
        os._exit(status)  # never return into the parent's loop


class Progress:
    """A text progress bar: done/total, rate and the count of each status."""

    def __init__(self, total: int, stream):
        self.total, self.stream, self.done = total, stream, 0
        self.counts = dict.fromkeys(STATUSES, 0)
        self.start = time.monotonic()
        self.show()

    def add(self, status: str) -> None:
        self.done += 1
        self.counts[status] += 1
        self.show()

    def show(self) -> None:
        if not self.stream:
            return
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        rate = self.done / max(time.monotonic() - self.start, 1e-9) * 60
        summary = " ".join(f"{k}={v}" for k, v in self.counts.items() if v)
        end = "\n" if self.done == self.total or not self.stream.isatty() else ""
        print(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {rate:.0f}/min {summary}",
              end=end, file=self.stream, flush=True)


class Proof:
    """Gives out an assignment's results only once the grading environment is proved for it: by a submission
    with full marks and status ok, or else by the assignment's reference (graded last). Until then results are
    held; if the reference fails too, they are dropped and the assignment is in `failures`."""

    def __init__(self, assignments, give_out: Callable, on_reference: Callable | None):
        self.proved = dict.fromkeys(assignments, False)
        self.held = {a: [] for a in assignments}
        self.failures = {}
        self.give_out, self.on_reference = give_out, on_reference

    def wanted(self, index: int, job: Job) -> bool:
        """Whether to grade this job: not an assignment that failed, not a reference no longer needed."""
        return job.assignment not in self.failures and not (index < 0 and self.proved[job.assignment])

    def decide(self, run: Running, result: Result, notebook) -> None:
        """Hold, give out or drop a finished submission (and what was held for its assignment)."""
        assignment = run.job.assignment
        if assignment in self.failures:
            return
        if run.index < 0:
            if self.on_reference:
                self.on_reference(assignment, result)
            if not result.full_marks:
                self.failures[assignment] = (result, notebook)
                self.held[assignment].clear()
                return
        elif not self.proved[assignment] and not result.full_marks:
            self.held[assignment].append((run.index, run.job, result, notebook))
            return
        self.proved[assignment] = True
        if run.index >= 0:
            self.give_out(run.index, run.job, result, notebook)
        for item in self.held[assignment]:
            self.give_out(*item)
        self.held[assignment].clear()


def _queue(jobs: list, templates: dict) -> list:
    """`(index, job)` in grading order: heavy assignments first, each assignment's reference after its jobs."""
    queue = sorted(enumerate(jobs), key=lambda item: not templates[item[1].assignment].heavy)
    for assignment, template in sorted(templates.items(), key=lambda item: not item[1].heavy):
        last = max((k for k, (_, j) in enumerate(queue) if j.assignment == assignment), default=-1)
        queue.insert(last + 1, (-1, Job(assignment, REFERENCE, template.root / "source" / assignment)))
    return queue


def run_batch(jobs, limits: Limits | None = None, workers: int | None = None, on_done: Callable | None = None,
              progress=sys.stderr, workdir: Path | None = None, hide=(), data=None,
              on_reference: Callable | None = None, source_root: Path = COURSE_ROOT,
              stages: Stages | None = None) -> list[Result]:
    """Grade `jobs` with `workers` processes at a time; call `on_done(job, result, notebook)` in this
    process as each finishes; return the `Result`s in job order. `hide` lists more paths the student
    code must not see (the instructor's course root); `data` is the list of folders where to look for
    Fashion-MNIST (default: `sandbox.data_candidates()`); the assignments come from `source_root`.

    The environment is proved per assignment before any of its results is given out (see `Proof`): if an
    assignment's reference is graded (`on_reference(assignment, result)` is called) and does not get full marks
    either, no result of that assignment is given out and `ReferenceFailed` is raised at the end. With `stages`,
    the seconds of each stage of grading are added to it."""
    limits = limits or Limits()
    workers = max(1, workers or default_workers())
    # More compute threads than cores make parallel kernels wait for each other (BLAS threads spin).
    limits = replace(limits, threads=limits.threads or max(1, (os.cpu_count() or 1) // workers))
    isolated = sandbox.warn_if_unisolated(progress or sys.stderr)
    jobs = list(jobs)
    with tempfile.TemporaryDirectory(prefix="autograder-", dir=workdir) as tmp:
        tmp = Path(tmp)
        os.chmod(tmp, 0o711)  # the sandbox uid may pass through, never list
        scripts = sandbox.prepare_batch(tmp / "batch", isolated)
        assignments = dict.fromkeys(j.assignment for j in jobs)
        with contextlib.ExitStack() as stack:
            # the kernel factories import their modules while the templates are generated
            factories = [stack.enter_context(sandbox.factory(scripts, limits, name))
                         for name in ("default", "tensorflow") if isolated and (
                             name == "default" or any(uses_tensorflow(source_root, a) for a in assignments))]
            began = time.monotonic()
            templates = _templates(assignments, tmp, source_root, workers)
            if stages:
                stages.add("templates (once per batch)", time.monotonic() - began)
            began = time.monotonic()
            for started in factories:
                started.wait()
            if stages:
                stages.add("wait for the kernel factories (once per batch)", time.monotonic() - began)
            batch = Batch(tmp, limits, isolated, scripts,
                          [sandbox.sandbox_uid(slot) for slot in range(workers)],  # once, here: the children inherit
                          [h for h in hide if not str(tmp.resolve()).startswith(str(Path(h).resolve()))],
                          sandbox.find_data(data), templates, stages)
            results, failures = _schedule(batch, jobs, workers, on_done, on_reference, progress)
    graded = [results[i] for i in range(len(jobs)) if i in results]
    if failures:
        raise ReferenceFailed(failures, graded)
    return graded


def _schedule(batch: Batch, jobs: list, workers: int, on_done, on_reference, progress) -> tuple[dict, dict]:
    """Grade `jobs` in `batch` with `workers` processes at a time; return `{index: Result}` and `Proof.failures`."""
    results, stages = {}, batch.stages
    bar = Progress(len(jobs), progress)

    def give_out(index, job, result, notebook):
        results[index] = result
        began = time.monotonic()
        if on_done:
            on_done(job, result, notebook)
        if stages:
            stages.add("store the result (parent)", time.monotonic() - began)
        bar.add(result.status)

    proof = Proof(batch.templates, give_out, on_reference)
    queue = _queue(jobs, batch.templates)
    running: dict[int, Running] = {}
    free = list(range(workers))
    scanned = time.monotonic()
    try:
        while queue or running:
            while queue and free:
                index, job = queue.pop(0)
                if proof.wanted(index, job):
                    pid, run = batch.start(index, job, free.pop(0))
                    running[pid] = run
            time.sleep(0.02)  # a finished submission's slot is refilled within 20 ms
            if time.monotonic() - scanned > 1:
                batch.track_sessions(running)
                scanned = time.monotonic()
            for pid, run in list(running.items()):
                killed = batch.poll(pid, run)
                if killed is None:
                    continue
                del running[pid]
                free.append(run.slot)
                proof.decide(run, *batch.reap(run, killed))
    except BaseException:  # Ctrl-C or a bug: leave no kernel behind
        for pid, run in running.items():
            batch.stop(pid, run)
        raise
    return results, proof.failures
