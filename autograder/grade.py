"""Grade submissions with the real `nbgrader autograde`, one forked process per submission, N at a time.

Each submission gets a throwaway folder holding a private nbgrader course (root-only: the assignment's
source and a gradebook copy with only its metadata) and a kernel folder owned by the sandbox uid (see
`sandbox`). The forked process runs nbgrader's autograde with IPC transport and an absolute per-submission
socket path; the parent enforces the wall-clock limit (killing every process of the submission), reads
the scores back and decides the status. Nothing the student code writes is trusted.
"""

import gc
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path

import nbformat
import nbgrader.apps  # noqa: F401 - imported before forking, so each submission starts fast
import nbgrader.preprocessors  # noqa: F401

from autograder import integrity, sandbox
from autograder.nbgrader_setup import api, gradebook
from autograder.scoring import prepare_course, read_scores

#: From least to most serious; a submission's status is the most serious that applies.
STATUSES = ("ok", "needs review", "tampered", "timeout", "crashed", "missing")
#: The student id under which an assignment's source notebook is graded to prove the grading environment.
REFERENCE = "reference"


@dataclass
class Limits:
    """Per-submission limits (seconds, bytes, characters)."""
    cell_timeout: int = 60
    notebook_timeout: int = 600
    memory: int = 3 * 2**30
    processes: int = 256
    file_size: int = 100 * 2**20
    output_chars: int = 20_000
    threads: int = 0  # BLAS / TensorFlow threads per kernel; 0: the machine's cores ÷ workers


@dataclass
class Job:
    assignment: str
    student: str
    folder: Path  # holds the submitted <assignment>.ipynb (and any files the student handed in)


@dataclass
class Result:
    assignment: str
    student: str
    status: str = "ok"
    reasons: list = field(default_factory=list)
    grades: dict = field(default_factory=dict)  # grade_id -> [score, max]
    seconds: float = 0.0
    digest: str = ""

    @property
    def score(self):
        return sum(s for s, _ in self.grades.values())

    @property
    def max_score(self):
        return sum(m for _, m in self.grades.values())

    @property
    def full_marks(self):
        """Every test passed and nothing went wrong: proof that this environment can grade the assignment."""
        return self.status == "ok" and self.max_score > 0 and self.score == self.max_score

    def flag(self, status, reason):
        self.reasons.append(reason)
        if STATUSES.index(status) > STATUSES.index(self.status):
            self.status = status

    def to_json(self):
        return {"assignment": self.assignment, "student": self.student, "status": self.status,
                "score": self.score, "max_score": self.max_score, "reasons": self.reasons,
                "grades": self.grades, "seconds": round(self.seconds, 2), "digest": self.digest}

    @classmethod
    def from_json(cls, data):
        return cls(data["assignment"], data["student"], data["status"], data["reasons"],
                   {k: list(v) for k, v in data["grades"].items()}, data.get("seconds", 0.0), data.get("digest", ""))


def digest(folder):
    """sha256 of the files of a submission folder (to know whether it changed since it was graded)."""
    h = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


class Template:
    """One assignment registered in a private course: copied for each submission."""

    def __init__(self, assignment, workdir):
        self.assignment = assignment
        self.root = prepare_course(assignment, Path(workdir) / f"template-{assignment}")
        self.release = nbformat.read(self.root / "release" / assignment / f"{assignment}.ipynb", as_version=4)
        with gradebook(self.root) as gb:
            cells = gb.find_notebook(assignment, assignment).grade_cells
            self.max_scores = {c.name: float(c.max_score) for c in cells}
        text = (self.root / "source" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8")
        self.heavy = "tensorflow" in text or "keras" in text  # graded first: the batch ends sooner

    def zero(self):
        return {gid: [0.0, m] for gid, m in self.max_scores.items()}

    def course_for(self, job, sub):
        """A root-only course in `sub` with this assignment and only `job`'s submission."""
        course = Path(sub) / "course"
        course.mkdir(mode=0o700)
        shutil.copytree(self.root / "source", course / "source")
        shutil.copyfile(self.root / "gradebook.db", course / "gradebook.db")
        shutil.copytree(job.folder, course / "submitted" / job.student / job.assignment, symlinks=True)
        return course


def _copy_files(job, course, work):
    """The files a notebook needs next to it (the student's, then the instructor's), never notebooks."""
    for base in (course / "submitted" / job.student / job.assignment, course / "source" / job.assignment):
        for path in base.rglob("*"):
            if path.is_file() and not path.is_symlink() and path.suffix != ".ipynb":
                target = work / path.relative_to(base)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)


def _child(job, sub, course, uid, limits, isolated, batch, hide, data):
    """In the forked process: autograde one submission in its private course, write result.json."""
    # No garbage collection in the child: a parent that imported TensorFlow (a test run, a benchmark) leaves
    # objects whose finalisers crash without TensorFlow's threads, which fork does not copy. The child is
    # short-lived and ends with os._exit.
    gc.disable()
    status = 1
    try:
        os.setsid()
        out = os.open(sub / "nbgrader.log", os.O_WRONLY | os.O_CREAT, 0o600)
        os.dup2(out, 1)
        os.dup2(out, 2)
        _copy_files(job, course, sub / "kernel" / "work")
        os.environ.clear()
        os.environ.update(sandbox.kernel_env(batch, sub / "kernel", sub / "stage", uid, {
            "memory": limits.memory, "processes": limits.processes, "file_size": limits.file_size,
            "threads": limits.threads}, isolated, hide, data))
        result = api(course, **{
            "Execute.timeout": limits.cell_timeout, "Execute.kernel_name": sandbox.KERNEL_NAME,
            "KernelManager.transport": "ipc", "KernelManager.ip": str(sub / "kernel" / "ipc" / "kernel"),
        }).autograde(job.assignment, job.student, force=True, create=True)
        data = {"success": bool(result.get("success")), "log": (result.get("log") or "")[-6000:],
                "error": (result.get("error") or "")[-6000:]}
        if data["success"]:
            data["grades"] = {k: list(v) for k, v in read_scores(course, job.assignment, job.student).items()}
        status = 0
    except BaseException:  # noqa: BLE001 - reported to the parent as a crash
        data = {"success": False, "log": "", "error": traceback.format_exc()[-6000:]}
    try:
        (sub / "result.json").write_text(json.dumps(data))
    finally:
        os._exit(status)  # never return into the parent's loop


def _judge(job, template, sub, course, killed, limits, reference=False):
    """The `Result` of a finished submission and its autograded notebook (or None), from trusted files.
    The `reference` (the source notebook) is not compared with the release notebook."""
    result = Result(job.assignment, job.student, grades=template.zero())
    autograded = course / "autograded" / job.student / job.assignment / f"{job.assignment}.ipynb"
    notebook = None
    if killed:
        result.flag("timeout", f"notebook ran longer than {limits.notebook_timeout} s; stopped")
    else:
        try:
            data = json.loads((sub / "result.json").read_text())
        except (OSError, ValueError):
            data = {"success": False, "log": "", "error": "the grading process died"}
        text = data.get("log", "") + data.get("error", "")
        if data.get("success") and autograded.exists():
            result.grades.update(data.get("grades", {}))
            notebook = nbformat.read(autograded, as_version=4)
            if any(o.get("ename") in ("CellTimeoutError", "KeyboardInterrupt")
                   for c in notebook.cells for o in c.get("outputs", [])):
                result.flag("timeout", f"a cell ran longer than {limits.cell_timeout} s and was interrupted")
        elif "Timeout waiting for" in text or "CellTimeoutError" in text or "timed out" in text:
            result.flag("timeout", f"the kernel did not answer within {limits.cell_timeout} s; stopped")
        elif "DeadKernel" in text or "Kernel died" in text or "kernel died" in text:
            result.flag("crashed", "the kernel died (os._exit, segfault, out of memory, ...)")
        else:
            lines = [line for line in text.strip().splitlines() if line.strip()]
            result.flag("crashed", "nbgrader failed: " + (lines[-1] if lines else "no log"))
    submitted = next(iter(sorted(Path(job.folder).glob("*.ipynb"))), None)
    if reference:
        return result, notebook
    if submitted is None:
        result.flag("missing", "no notebook in the submission folder")
        return result, notebook
    try:
        submitted_nb = nbformat.read(submitted, as_version=4)
    except Exception as exc:  # noqa: BLE001 - an unreadable notebook is graded as nbgrader saw it
        result.flag("crashed", f"unreadable notebook: {exc}")
    else:
        for reason in integrity.tampering(submitted_nb, template.release):
            result.flag("tampered", reason)
        for reason in integrity.suspicious(submitted_nb, template.release, assignment=job.assignment):
            result.flag("needs review", reason)
    if notebook is not None and integrity.truncate_outputs(notebook, limits.output_chars):
        result.reasons.append(f"outputs longer than {limits.output_chars} characters truncated")
    return result, notebook


def _progress(done, total, counts, start, stream):
    width = 30
    filled = int(width * done / max(total, 1))
    rate = done / max(time.monotonic() - start, 1e-9) * 60
    summary = " ".join(f"{k}={v}" for k, v in counts.items() if v)
    end = "\n" if done == total or not stream.isatty() else ""
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {rate:.0f}/min {summary}",
          end=end, file=stream, flush=True)


class ReferenceFailed(RuntimeError):
    """An assignment's reference solution did not get full marks in the grading environment: none of that
    assignment's submissions was graded. `results` holds those of the other assignments."""

    def __init__(self, failures, results):
        self.failures, self.results = failures, results
        lines = []
        for assignment, (result, notebook) in failures.items():
            lines.append(f"{assignment}: la solución de referencia obtiene {result.score:g}/{result.max_score:g} "
                         f"({result.status}) en este entorno de calificación; no se calificó ninguna entrega de "
                         f"{assignment}. / The reference solution gets {result.score:g}/{result.max_score:g} "
                         f"({result.status}) in this grading environment; no submission of {assignment} was graded.")
            lines += [f"  {line}" for line in _failing_tests(result, notebook)]
        super().__init__("\n".join(lines))


def _failing_tests(result, notebook):
    """`test: error` for each test cell below full marks (from the graded notebook), else the reasons."""
    errors = {}
    for cell in notebook.cells if notebook is not None else []:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and gid:
                errors[gid] = f"{out.get('ename')}: {str(out.get('evalue', '')).splitlines()[0][:300] if out.get('evalue') else ''}"
    lost = [gid for gid, (score, top) in result.grades.items() if score < top]
    return [f"{gid}: {errors.get(gid, 'sin error registrado / no error recorded')}" for gid in lost] or result.reasons


@dataclass
class Running:
    """A submission being graded by the forked process `pid`."""
    index: int  # position in the jobs (-1: an assignment's reference)
    job: Job
    sub: Path
    course: Path
    slot: int
    began: float
    sessions: set = field(default_factory=set)


def run_batch(jobs, limits=None, workers=None, on_done=None, progress=sys.stderr, workdir=None, hide=(), data=None,
              on_reference=None):
    """Grade `jobs` with `workers` processes at a time; call `on_done(job, result, notebook)` in this
    process as each finishes; return the `Result`s in job order. `hide` lists more paths the student
    code must not see (the instructor's course root); `data` is the list of folders where to look for
    Fashion-MNIST (default: `sandbox.data_candidates()`).

    The environment is proved per assignment before any of its results is given out: a submission with
    full marks and status ok proves it; if none has, the assignment's source notebook is graded last through
    the same sandbox (`on_reference(assignment, result)` is called), and if it does not get full marks either,
    no result of that assignment is given out and `ReferenceFailed` is raised at the end."""
    limits = limits or Limits()
    workers = max(1, workers or os.cpu_count() or 1)
    # More compute threads than cores make parallel kernels wait for each other (BLAS threads spin).
    limits = replace(limits, threads=limits.threads or max(1, (os.cpu_count() or 1) // workers))
    isolated = sandbox.warn_if_unisolated(progress or sys.stderr)
    data_dir = sandbox.find_data(data)
    uids = [sandbox.sandbox_uid(slot) for slot in range(workers)]  # once, here: the children inherit them
    jobs = list(jobs)
    results, failures = {}, {}
    with tempfile.TemporaryDirectory(prefix="autograder-", dir=workdir) as tmp:
        tmp = Path(tmp)
        os.chmod(tmp, 0o711)  # the sandbox uid may pass through, never list
        batch = sandbox.prepare_batch(tmp / "batch", isolated)
        hide = [h for h in hide if not str(tmp.resolve()).startswith(str(Path(h).resolve()))]
        templates = {a: Template(a, tmp) for a in dict.fromkeys(j.assignment for j in jobs)}
        proved = dict.fromkeys(templates, False)
        held = {a: [] for a in templates}  # finished before the environment was proved for their assignment
        queue = sorted(enumerate(jobs), key=lambda item: not templates[item[1].assignment].heavy)
        for assignment, template in sorted(templates.items(), key=lambda item: not item[1].heavy):
            last = max((k for k, (_, j) in enumerate(queue) if j.assignment == assignment), default=-1)
            queue.insert(last + 1, (-1, Job(assignment, REFERENCE, template.root / "source" / assignment)))
        running: dict[int, Running] = {}
        free = list(range(workers))
        counts = dict.fromkeys(STATUSES, 0)
        start = scanned = time.monotonic()

        def give_out(job, result, notebook):
            results[result_index[id(job)]] = result
            counts[result.status] += 1
            if on_done:
                on_done(job, result, notebook)
            if progress:
                _progress(len(results), len(jobs), counts, start, progress)

        result_index = {id(job): i for i, job in enumerate(jobs)}
        if progress:
            _progress(0, len(jobs), counts, start, progress)
        try:
            while queue or running:
                while queue and free:
                    index, job = queue.pop(0)
                    if (index < 0 and proved[job.assignment]) or job.assignment in failures:
                        continue
                    slot = free.pop(0)
                    sub = tmp / f"sub-{index if index >= 0 else 'ref-' + job.assignment}"
                    sub.mkdir(mode=0o711)
                    course = templates[job.assignment].course_for(job, sub)
                    pid = os.fork()
                    if pid == 0:
                        _child(job, sub, course, uids[slot], limits, isolated, batch, hide, data_dir)
                    running[pid] = Running(index, job, sub, course, slot, time.monotonic())
                time.sleep(0.1)
                if not isolated and time.monotonic() - scanned > 1:  # remember the kernels' sessions
                    table, scanned = sandbox.processes(), time.monotonic()
                    for pid, run in running.items():
                        run.sessions.update(table[p][2] for p in sandbox.descendants(pid, table) if p in table)
                for pid, run in list(running.items()):
                    finished, _ = os.waitpid(pid, os.WNOHANG)
                    killed = False
                    if not finished:
                        if time.monotonic() - run.began < limits.notebook_timeout:
                            continue
                        sandbox.kill_all(sandbox.descendants(pid))
                        os.waitpid(pid, 0)
                        killed = True
                    _clean(run, uids[run.slot], isolated)
                    del running[pid]
                    free.append(run.slot)
                    assignment = run.job.assignment
                    result, notebook = _judge(run.job, templates[assignment], run.sub, run.course, killed, limits,
                                              reference=run.index < 0)
                    result.seconds = time.monotonic() - run.began
                    shutil.rmtree(run.sub, ignore_errors=True)
                    if assignment in failures:
                        continue
                    if run.index < 0:
                        if on_reference:
                            on_reference(assignment, result)
                        if not result.full_marks:
                            failures[assignment] = (result, notebook)
                            held[assignment].clear()
                            continue
                    else:
                        result.digest = digest(run.job.folder)
                        if not proved[assignment] and not result.full_marks:
                            held[assignment].append((run.job, result, notebook))
                            continue
                    proved[assignment] = True
                    if run.index >= 0:
                        give_out(run.job, result, notebook)
                    for item in held[assignment]:
                        give_out(*item)
                    held[assignment].clear()
        except BaseException:  # Ctrl-C or a bug: leave no kernel behind
            for pid, run in running.items():
                sandbox.kill_all(sandbox.descendants(pid))
                _clean(run, uids[run.slot], isolated)
                os.waitpid(pid, 0)
            raise
    graded = [results[i] for i in range(len(jobs)) if i in results]
    if failures:
        raise ReferenceFailed(failures, graded)
    return graded


def _clean(run, uid, isolated):
    """Kill whatever is left of a submission: its sandbox uid's processes, or (without isolation) its sessions."""
    if isolated:
        sandbox.kill_uid(uid)
    else:
        sandbox.kill_session(run.sessions - {os.getsid(0)})
