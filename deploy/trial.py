"""Start the course's TRIAL JupyterHub on loopback — NOT FOR PRODUCTION (`make hub`).

    python deploy/trial.py [--port 8000] [--state .work/hub] [--students alumno1 alumno2]

Prepares the state folder, then replaces itself with `jupyterhub -f deploy/jupyterhub_config.py`:

    <state>/exchange/                    nbgrader's exchange, mode 1777 (world-writable + sticky), as nbgrader documents
    <state>/homes/profesor/              the instructor's HOME (admin user)
        redes-neuronales/                the nbgrader course: a copy of source/ + nbgrader_config.py (made once);
                                         only the instructor's server has the checkout (autograder) on PYTHONPATH
        .jupyter/nbgrader_config.py      that course + the exchange
    <state>/homes/alumnoN/               a student's HOME: only .jupyter/ (exchange + course id, instructor
                                         extensions off); never source/ nor autograder/

Throwaway passwords are generated on every start and printed with the user names.
"""

import argparse
import json
import os
import pwd
import secrets
import shutil
import sys
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
REPO = DEPLOY.parent
COURSE_ID = "redes-neuronales"
INSTRUCTOR = "profesor"

BANNER = """
==================================================================================
  TRIAL JUPYTERHUB — NOT FOR PRODUCTION
  loopback only, throwaway passwords, every user runs as the same unix user ({unix})
==================================================================================
  URL:         http://127.0.0.1:{port}/
  Formgrader:  http://127.0.0.1:{port}/hub/user-redirect/formgrader  (instructor, own tab)
  Exchange:    {exchange}
  Users (user / password, valid until the hub stops):
{users}
==================================================================================
"""

STUDENT_SERVER_CONFIG = """\
# Written by deploy/trial.py: students get only the assignment list (fetch / submit / feedback).
c = get_config()  # noqa: F821
c.ServerApp.jpserver_extensions = {
    "nbgrader.server_extensions.formgrader": False,
    "nbgrader.server_extensions.course_list": False,
}
"""

STUDENT_NBGRADER_CONFIG = """\
# Written by deploy/trial.py: the course id and the shared exchange; no course directory for students.
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = {course!r}
# nbgrader names a submission after the unix user (JUPYTERHUB_USER only for `jovyan`, as in Z2JH images);
# in the trial every server runs as the hub's unix user, so the hub user name is given explicitly.
c.CourseDirectory.student_id = {student!r}
c.Exchange.root = {exchange!r}
"""

INSTRUCTOR_NBGRADER_CONFIG = """\
# Written by deploy/trial.py: the instructor's course (the repository's nbgrader settings) + the shared exchange.
c = get_config()  # noqa: F821
load_subconfig({course_config!r})  # noqa: F821
c.CourseDirectory.root = {course_root!r}
c.CourseDirectory.course_id = {course!r}
c.Exchange.root = {exchange!r}
"""


def course_dir(state):
    return Path(state) / "homes" / INSTRUCTOR / COURSE_ID


def prepare(state, students):
    """Create the exchange, the homes and their config; return {user: password} (fresh every call)."""
    state = Path(state).resolve()
    exchange = state / "exchange"
    exchange.mkdir(parents=True, exist_ok=True)
    os.chmod(exchange, 0o1777)
    course = course_dir(state)
    if not course.exists():
        course.mkdir(parents=True)
        shutil.copytree(REPO / "source", course / "source")
        shutil.copyfile(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
    config = state / "homes" / INSTRUCTOR / ".jupyter"
    config.mkdir(parents=True, exist_ok=True)
    (config / "nbgrader_config.py").write_text(INSTRUCTOR_NBGRADER_CONFIG.format(
        course_config=str(course / "nbgrader_config.py"), course_root=str(course), course=COURSE_ID,
        exchange=str(exchange)))
    for student in students:
        config = state / "homes" / student / ".jupyter"
        config.mkdir(parents=True, exist_ok=True)
        (config / "jupyter_server_config.py").write_text(STUDENT_SERVER_CONFIG)
        (config / "nbgrader_config.py").write_text(STUDENT_NBGRADER_CONFIG.format(
            course=COURSE_ID, student=student, exchange=str(exchange)))
    return {user: secrets.token_urlsafe(9) for user in [INSTRUCTOR, *students]}


def hub_environment(state, port, students, passwords):
    """Environment for `jupyterhub -f deploy/jupyterhub_config.py`."""
    env = dict(os.environ)
    env.update({
        "HUB_STATE": str(Path(state).resolve()),
        "HUB_PORT": str(port),
        "HUB_USERS": json.dumps({"instructors": [INSTRUCTOR], "students": list(students)}),
        "HUB_PASSWORDS": json.dumps(passwords),
        "PATH": f"{Path(sys.executable).parent}:{env.get('PATH', '/usr/bin:/bin')}",
    })
    return env


def command():
    return [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(DEPLOY / "jupyterhub_config.py")]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--state", default=str(REPO / ".work" / "hub"), help="state folder (default .work/hub)")
    parser.add_argument("--students", nargs="+", default=["alumno1", "alumno2", "alumno3"])
    args = parser.parse_args(argv)
    proxy = DEPLOY / "node_modules" / ".bin" / "configurable-http-proxy"
    if not proxy.exists():
        sys.exit(f"{proxy} is missing: run `npm ci --prefix deploy` first (Node.js >= 18).")
    passwords = prepare(args.state, args.students)
    users = "\n".join(f"    {u:<12} {p}{'   (instructor, admin)' if u == INSTRUCTOR else ''}"
                      for u, p in passwords.items())
    print(BANNER.format(port=args.port, unix=pwd.getpwuid(os.getuid()).pw_name,
                        exchange=Path(args.state).resolve() / "exchange", users=users), flush=True)
    os.execve(command()[0], command(), hub_environment(args.state, args.port, args.students, passwords))


if __name__ == "__main__":
    main()
