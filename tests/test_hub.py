"""End to end on the trial JupyterHub (deploy/): release through nbgrader's exchange, fetch and submit as two
students over the hub and their single-user servers, collect and grade as the instructor, release feedback.

Loopback only, free ports, a throwaway state folder; every process is stopped in teardown.
Needs Node.js and `deploy/node_modules` (`npm ci --prefix deploy`); skipped otherwise."""

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

requests = pytest.importorskip("requests")
pytest.importorskip("jupyterhub")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy"))
import trial  # noqa: E402

from autograder import mutants, results  # noqa: E402

ASSIGNMENT = "01_perceptron"
COURSE = trial.COURSE_ID
STUDENTS = ["alumno1", "alumno2"]
PROXY = ROOT / "deploy" / "node_modules" / ".bin" / "configurable-http-proxy"
BIN = Path(sys.executable).parent

pytestmark = [
    pytest.mark.hub,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("node") is None, reason="the hub's proxy needs Node.js: sudo apt-get install nodejs npm, then npm ci --prefix deploy"),
    pytest.mark.skipif(not PROXY.exists(), reason="configurable-http-proxy missing: run `npm ci --prefix deploy`"),
]

WRONG_GID, WRONG_NAME = "perceptron_predict", "forgotten_bias"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout, what, interval=0.5):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"tiempo agotado ({timeout} s) esperando: {what}")


def kill_group(pid, sig):
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


class Hub:
    def __init__(self, state, port, token, process, log, passwords):
        self.state, self.port, self.token, self.process, self.log = state, port, token, process, log
        self.passwords = passwords
        self.url = f"http://127.0.0.1:{port}"
        self.admin = requests.Session()
        self.admin.headers["Authorization"] = f"token {token}"
        self.pids = set()

    def api(self, method, path, **kw):
        r = self.admin.request(method, f"{self.url}/hub/api{path}", timeout=60, **kw)
        assert r.status_code < 400, f"{method} {path}: {r.status_code} {r.text[:500]}\n{self.tail()}"
        return r.json() if r.text else None

    def tail(self):
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def start_server(self, user):
        self.api("POST", f"/users/{user}/server")

    def wait_ready(self, user):
        def ready():
            server = self.api("GET", f"/users/{user}").get("servers", {}).get("")
            if server and server.get("ready"):
                self.pids.add(server.get("state", {}).get("pid"))
                return True
            return False
        wait_for(ready, 150, f"servidor de {user}")

    def session_for(self, user):
        """A requests session authenticated with a fresh token OF `user` (not the admin's)."""
        token = self.api("POST", f"/users/{user}/tokens", json={"expires_in": 900, "note": "test_hub"})["token"]
        s = requests.Session()
        s.headers["Authorization"] = f"token {token}"
        return s

    def home(self, user):
        return self.state / "homes" / user


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    state = tmp_path_factory.mktemp("hub")
    port, token = free_port(), secrets.token_hex(32)
    passwords = trial.prepare(state, STUDENTS)
    env = trial.hub_environment(state, port, STUDENTS, passwords)
    env.update({"HUB_ADMIN_TOKEN": token, "HUB_INTERNAL_PORT": str(free_port()),
                "HUB_PROXY_API_PORT": str(free_port())})
    log = state / "hub.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(trial.command(), env=env, cwd=state, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    h = Hub(state, port, token, process, log, passwords)
    try:
        def up():
            if process.poll() is not None:
                raise AssertionError(f"el hub terminó con código {process.returncode}:\n{h.tail()}")
            try:
                return requests.get(f"{h.url}/hub/api/", timeout=5).status_code == 200
            except requests.ConnectionError:
                return False
        wait_for(up, 90, "el hub")
        yield h
    finally:
        for user in [trial.INSTRUCTOR, *STUDENTS]:  # servers started outside the pids we saw
            try:
                server = h.admin.get(f"{h.url}/hub/api/users/{user}", timeout=10).json()["servers"].get("", {})
                h.pids.add(server.get("state", {}).get("pid"))
            except Exception:  # noqa: BLE001 - best effort; the hub may be gone
                pass
        kill_group(process.pid, signal.SIGTERM)  # the hub stops the single-user servers and the proxy
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            kill_group(process.pid, signal.SIGKILL)
            process.wait(10)
        pid_file = state / "proxy.pid"
        for pid in {p for p in h.pids if p} | ({int(pid_file.read_text())} if pid_file.exists() else set()):
            kill_group(pid, signal.SIGKILL)  # each was started in its own session
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


def instructor(hub, *args, timeout=240):
    """Run a command as the instructor would in a terminal of their server: HOME and cwd in the course."""
    env = dict(os.environ, HOME=str(hub.home(trial.INSTRUCTOR)), NBGRADER_EXCHANGE=str(hub.state / "exchange"),
               PATH=f"{BIN}:{os.environ.get('PATH', '')}")
    r = subprocess.run(args, cwd=trial.course_dir(hub.state), env=env, capture_output=True, text=True,
                       timeout=timeout)
    assert r.returncode == 0, f"{args} -> {r.returncode}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return r.stdout + r.stderr


def fill(notebook, replacements):
    """Put the solution cells of `replacements` (a full notebook, by grade_id) into the fetched notebook."""
    texts = {gid: cell.source for gid, cell in mutants.solution_cells(replacements).items()}
    for gid, cell in mutants.solution_cells(notebook).items():
        cell.source = texts[gid]
    return notebook


def test_course_round_trip_on_the_hub(hub):
    start, stages = time.monotonic(), {}

    def stage(name):
        stages[name] = round(time.monotonic() - start - sum(stages.values()), 1)

    # The three servers spawn while the instructor generates and releases through the exchange.
    with ThreadPoolExecutor(4) as pool:
        spawning = [pool.submit(hub.start_server, u) for u in [trial.INSTRUCTOR, *STUDENTS]]
        instructor(hub, str(BIN / "nbgrader"), "generate_assignment", ASSIGNMENT, "--force")
        out = instructor(hub, str(BIN / "nbgrader"), "release_assignment", ASSIGNMENT, "--force")
        assert (hub.state / "exchange" / COURSE / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists(), out
        stage("release")
        for future in spawning:
            future.result()
    for user in [trial.INSTRUCTOR, *STUDENTS]:
        hub.wait_ready(user)
    stage("spawn")
    sessions = {s: hub.session_for(s) for s in STUDENTS}
    base = {s: f"{hub.url}/user/{s}" for s in STUDENTS}
    params = {"course_id": COURSE, "assignment_id": ASSIGNMENT}
    answers = {"alumno1": mutants.submission(ASSIGNMENT),
               "alumno2": mutants.submission(ASSIGNMENT, {WRONG_GID: mutants.load(ASSIGNMENT)[0][WRONG_GID][WRONG_NAME]})}

    for s in STUDENTS:
        http = sessions[s]
        # Students never get the instructor's material nor the instructor's server extensions.
        assert not {"source", "autograder", "nbgrader_config.py"} & {p.name for p in hub.home(s).iterdir()}
        assert http.get(f"{base[s]}/formgrader", timeout=30).status_code == 404
        other = base[STUDENTS[1 - STUDENTS.index(s)]]
        assert http.get(f"{other}/api/contents", timeout=30).status_code in (403, 404), "entra al servidor de otro"

        listed = http.get(f"{base[s]}/assignments", params={"course_id": COURSE}, timeout=60)
        assert listed.status_code == 200, listed.text[:500]
        assert any(a["assignment_id"] == ASSIGNMENT and a["status"] == "released" for a in listed.json()["value"])
        r = http.post(f"{base[s]}/assignments/fetch", data=params, timeout=120)
        assert r.status_code == 200, r.text[:500]

        url = f"{base[s]}/api/contents/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
        fetched = http.get(url, params={"content": 1}, timeout=60)
        assert fetched.status_code == 200, fetched.text[:500]
        notebook = fill(nbformat.from_dict(fetched.json()["content"]), answers[s])
        r = http.put(url, json={"type": "notebook", "format": "json", "content": notebook}, timeout=60)
        assert r.status_code == 200, r.text[:500]

        r = http.post(f"{base[s]}/assignments/submit", data=params, timeout=120)
        assert r.status_code == 200 and r.json().get("success"), r.text[:1000]

    stage("fetch+submit")
    # Instructor: collect, grade with the course's autograder, release feedback.
    course = trial.course_dir(hub.state)
    instructor(hub, str(BIN / "nbgrader"), "collect", ASSIGNMENT)
    assert sorted(p.name for p in (course / "submitted").iterdir()) == STUDENTS
    instructor(hub, sys.executable, "-m", "autograder", "grade", "--root", str(course), ASSIGNMENT,
               "--workers", "2", timeout=300)
    graded = {s: results.load(course, s, ASSIGNMENT) for s in STUDENTS}
    good, bad = graded["alumno1"], graded["alumno2"]
    assert good.status == "ok" and good.score == good.max_score > 0, good.to_json()
    assert bad.score < bad.max_score, bad.to_json()
    assert bad.grades[f"test_{WRONG_GID}"][0] < bad.grades[f"test_{WRONG_GID}"][1], bad.to_json()

    stage("collect+grade")
    instructor(hub, str(BIN / "nbgrader"), "release_feedback", ASSIGNMENT)

    pages = {}
    for s in STUDENTS:
        http = sessions[s]
        r = http.post(f"{base[s]}/assignments/fetch_feedback", data=params, timeout=120)
        assert r.status_code == 200, r.text[:500]
        mine = [sub for a in r.json()["value"] if a["assignment_id"] == ASSIGNMENT and a["status"] == "submitted"
                for sub in a["submissions"]]
        assert mine and all(sub["student_id"] == s and sub["has_local_feedback"] for sub in mine), r.text[:1000]
        found = sorted((hub.home(s) / ASSIGNMENT / "feedback").rglob("*.html"))
        assert len(found) == 1, found
        pages[s] = found[0].read_text(encoding="utf-8")
    assert pages["alumno1"] != pages["alumno2"]
    for s in STUDENTS:
        other = STUDENTS[1 - STUDENTS.index(s)]
        assert s in pages[s] and other not in pages[s], f"la devolución de {s} no es solo suya"
    stage("feedback")
    print(f"\nida y vuelta en el hub: {time.monotonic() - start:.1f} s {stages}; "
          f"notas {good.score:g}/{good.max_score:g} y {bad.score:g}/{bad.max_score:g}")


def browser_login(hub, user, password):
    """A requests session logged in through the hub's login form, like a browser (cookies, _xsrf)."""
    s = requests.Session()
    page = s.get(f"{hub.url}/hub/login", timeout=30)
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
    form = {"username": user, "password": password, **({"_xsrf": xsrf.group(1)} if xsrf else {})}
    r = s.post(f"{hub.url}/hub/login", data=form, allow_redirects=False, timeout=30)
    return s, r


def test_formgrader_opens_as_a_top_level_page_and_keeps_the_csp(hub):
    """JupyterHub >= 4.1 forbids framing single-user pages (nbgrader #1870): the formgrader works as its own tab,
    at the documented address, for the instructor only; the CSP header stays as JupyterHub sets it."""
    for user in [trial.INSTRUCTOR, STUDENTS[0]]:
        if not hub.api("GET", f"/users/{user}")["servers"]:
            hub.start_server(user)
        hub.wait_ready(user)

    _, r = browser_login(hub, trial.INSTRUCTOR, "contraseña-equivocada")
    assert r.status_code == 403 or "/hub/login" in r.headers.get("Location", "/hub/login"), r.status_code
    teacher, r = browser_login(hub, trial.INSTRUCTOR, hub.passwords[trial.INSTRUCTOR])
    assert r.status_code == 302, r.text[:500]
    r = teacher.get(f"{hub.url}/hub/user-redirect/formgrader", timeout=60)
    assert r.status_code == 200 and f"/user/{trial.INSTRUCTOR}/formgrader" in r.url, (r.status_code, r.url)
    assert "formgrader" in r.text.lower(), r.text[:500]
    assert "frame-ancestors 'none'" in r.headers.get("Content-Security-Policy", ""), r.headers
    r = teacher.get(f"{hub.url}/user/{trial.INSTRUCTOR}/formgrader/api/assignments", timeout=60)
    assert r.status_code == 200 and isinstance(r.json(), list), r.text[:500]

    student, r = browser_login(hub, STUDENTS[0], hub.passwords[STUDENTS[0]])
    assert r.status_code == 302, r.text[:500]
    assert student.get(f"{hub.url}/hub/user-redirect/formgrader", timeout=60).status_code == 404
    assert student.get(f"{hub.url}/user/{trial.INSTRUCTOR}/formgrader", timeout=60).status_code == 403
