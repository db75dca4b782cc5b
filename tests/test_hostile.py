"""Hostile submissions, built from the release of 00_bienvenida, graded as ONE batch through `grade`.

Every case has its expected score (of 2) and status; afterwards the gradebook of the other students,
the feedback (no hidden test, no solution) and the sandbox's leftovers are checked too."""

import copy
import html
import io
import json
import os
import socket

import nbformat
import pytest
from conftest import edit

from autograder import mutants, results, sandbox
from autograder.assignments import nbgrader, notebook_path, solution_cells
from autograder.grade import Limits, Result
from autograder.pipeline import grade
from autograder.release import secret_lines

pytestmark = pytest.mark.slow  # one batch of 38 notebooks: 2–8 min on 2 shared cores

A = "00_bienvenida"
CELL_TIMEOUT = 10  # seconds: enough for every honest cell of 00_bienvenida, short for the endless ones
ISOLATED = sandbox.isolation()[0]
SOURCE = nbformat.read(notebook_path(A), as_version=4)
SOLUTION = solution_cells(SOURCE)["weighted_sum"].source
WRONG = "def weighted_sum(X, w, b):\n    return np.asarray(X) @ np.asarray(w)\n"


def with_code(code):
    """The release notebook with the solution cell replaced by `code`."""
    return mutants.submission(A, {"weighted_sum": code})


def blocked_unless(attempt):
    """Code that defines the correct function only if `attempt` (which sets LEAKED) succeeded."""
    return attempt + "\nif not LEAKED:\n    raise RuntimeError('bloqueado')\n" + SOLUTION


def attempt(paths, in_sandboxes, action, keep=False):
    """Code setting LEAKED when `action` works on one of `paths` or on `<any sandbox><in_sandboxes>`."""
    return ("import glob, os, sqlite3\n" + ("" if keep else "LEAKED = False\n")
            + f"for p in {paths!r} + [f'{{d}}/sub-{{i}}{in_sandboxes}' for d in glob.glob('/tmp/autograder-*')"
            f" for i in range(40)]:\n    try:\n        {action}\n        LEAKED = True\n"
            "    except Exception:\n        pass\n")


#: The kernel's machinery changed to forge later cells: prevented (score 0). Their status is "ok" with the
#: regular-expression scan and "needs review" with the AST scan (get_ipython, getattr, globals, dunders).
FORGED = ("ok", "needs review")
MARK = f"ag-hostil-{os.getpid()}"


def forging(code):
    """A solution cell (no solution written) that changes the kernel, then a wrong `weighted_sum`."""
    return with_code(code + "\n" + WRONG)


def cases(root, port):
    """`{student: (notebook, score, status)}`; score None means "not asserted without isolation"; status may be
    a tuple of accepted statuses."""
    other = f"{root}/submitted/zz_previo/{A}/{A}.ipynb"
    c = {
        "forja_ast_transformer": (forging(
            "import ast\nclass Vaciar(ast.NodeTransformer):\n    def visit_Module(self, node):\n"
            "        node.body = []\n        return node\nget_ipython().ast_transformers.append(Vaciar())"), 0, FORGED),
        "forja_input_cleanup": (forging(
            "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])"), 0, FORGED),
        "forja_run_cell": (forging(
            "ip = get_ipython()\noriginal, original_async = ip.run_cell, ip.run_cell_async\n"
            "ip.run_cell = lambda raw_cell, *a, **k: original('pass', *a, **k)\n"
            "ip.run_cell_async = lambda raw_cell, *a, **k: original_async('pass', *a, **k)"), 0, FORGED),
        "forja_builtins_getattr": (forging(
            "b = globals()['__buil' + 'tins__']\ng = b['get_ipy' + 'thon'] if isinstance(b, dict) else "
            "getattr(b, 'get_ipy' + 'thon')\nip = g()\nfor name in ('run_' + 'cell', 'run_' + 'cell_async'):\n"
            "    real = getattr(ip, name)\n    setattr(ip, name, lambda raw, *a, _real=real, **k: _real('pass', *a, **k))"),
            0, FORGED),
        "forja_clase": (forging(
            "ip = get_ipython()\nShell = type(ip)\nreal = Shell.run_cell_async\n"
            "async def forged(self, raw_cell, *a, **k):\n    return await real(self, 'pass', *a, **k)\n"
            "Shell.run_cell_async = forged\nShell.transform_cell = lambda self, cell: 'pass\\n'"), 0, FORGED),
        "forja_callbacks_y_checks": (forging(
            "import course.checks\nfor callbacks in get_ipython().events.callbacks.values():\n    callbacks.clear()\n"
            "vars(course.checks)['check_close'] = lambda *a, **k: None\n"
            "try:\n    course.checks.check_close = lambda *a, **k: None\nexcept AttributeError:\n    pass"),
            0, ("needs review",)),
        "forja_clear_output": (forging(
            "from IPython.display import clear_output\n"
            "get_ipython().events.register('post_run_cell', lambda result: clear_output())"), 0, FORGED),
        "excepcion_con_test_oculto": (with_code(
            "import linecache, sys\nfrom course.checks import CheckError\n\ndef weighted_sum(X, w, b):\n"
            "    caller = sys._getframe(1).f_code.co_filename\n"
            "    raise CheckError(''.join(linecache.getlines(caller)))\n"), 0, ("ok", "needs review")),
        "doble_fork_setsid": (with_code(
            "import os, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
            f"        time.sleep(3600)\n    os._exit(0)\nos.wait()\n" + SOLUTION), 2, "needs review"),
        "lista_proc": (with_code(blocked_unless(
            "import os\nLEAKED = len([p for p in os.listdir('/proc') if p.isdigit()]) > 5\n")),
            0 if ISOLATED else None, "needs review"),
        "escribe_tmp_shm": (with_code(
            f"for folder in ('/tmp', '/dev/shm', '/var/tmp'):\n    open(folder + '/{MARK}', 'w').write('x')\n"
            + SOLUTION), 2, "needs review"),
        "referencia": (with_code(SOLUTION), 2, "ok"),
        "en_blanco": (nbformat.read(notebook_path(A, "release"), as_version=4), 0, "ok"),
        "bucle_infinito": (with_code("while True:\n    pass\n" + SOLUTION), 0, "timeout"),
        "ignora_sigint": (with_code("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                                    "while True:\n    pass\n"), 0, "timeout"),
        "duerme_demasiado": (with_code(SOLUTION + "\nimport time\ntime.sleep(3600)\n"), 2, "timeout"),
        "os_exit": (with_code("import os\nos._exit(1)\n"), 0, "crashed"),
        "segfault": (with_code("import ctypes\nctypes.string_at(0)\n"), 0, "crashed"),
        "bomba_fork": (with_code(
            "import os, signal\nkids = []\ntry:\n    for _ in range(400):\n        pid = os.fork()\n"
            "        if pid == 0:\n            signal.pause()\n        kids.append(pid)\nexcept OSError:\n    pass\n"
            "for pid in kids:\n    os.kill(pid, signal.SIGKILL)\n    os.waitpid(pid, 0)\n"
            "if len(kids) == 400:\n    raise RuntimeError('sin límite de procesos')\n" + SOLUTION),
            2 if ISOLATED else None, "needs review"),
        "linea_10mb": (with_code(SOLUTION + "\nprint('x' * 10_000_000)\n"), 2, "ok"),
        "100k_lineas": (with_code(SOLUTION + "\nfor i in range(100_000):\n    print(i)\n"), 2, "ok"),
        "memoria_excesiva": (with_code(f"big = np.ones({Limits().memory + 2**30}, dtype=np.uint8)\n" + SOLUTION), 0,
                             "ok"),  # 1 GiB over the limit: MemoryError in the cell
        "fichero_enorme": (with_code("try:\n    open('grande.bin', 'wb').write(bytes(200 * 2**20))\n"
                                     "    raise RuntimeError('sin límite de fichero')\nexcept OSError:\n    pass\n"
                                     + SOLUTION), 2, "needs review"),  # `open` is flagged by the scan
        "red": (with_code(blocked_unless(
            f"import socket\ntry:\n    socket.create_connection(('127.0.0.1', {port}), timeout=3).close()\n"
            "    LEAKED = True\nexcept OSError:\n    LEAKED = False\n")), 0 if ISOLATED else None, "needs review"),
        "lee_gradebook": (with_code(blocked_unless(attempt(
            ["../../../gradebook.db", f"{root}/gradebook.db"], "/course/gradebook.db", "open(p, 'rb').read(16)"))),
            0 if ISOLATED else None, "needs review"),
        "lee_source": (with_code(blocked_unless(attempt(
            [f"../../../source/{A}/{A}.ipynb", str(notebook_path(A))], f"/course/source/{A}/{A}.ipynb",
            "assert 'HIDDEN' in open(p).read()"))), 0 if ISOLATED else None, "needs review"),
        "lee_otro_estudiante": (with_code(blocked_unless(attempt(
            [other], f"/course/submitted/referencia/{A}/{A}.ipynb", "open(p).read(10)") + attempt(
            [], "/kernel/work", "assert os.path.realpath(p) != os.getcwd() and os.listdir(p)", keep=True))),
            0 if ISOLATED else None, "needs review"),
        "escribe_gradebook": (with_code(blocked_unless(attempt(
            ["../../../gradebook.db", f"{root}/gradebook.db"], "/course/gradebook.db",
            "db = sqlite3.connect(p); db.execute('UPDATE grade SET auto_score = 99'); db.commit()"))),
            0 if ISOLATED else None, "needs review"),
        "test_por_pass": (edit(with_code(WRONG), "test_weighted_sum_hidden",
                                    lambda nb, cell: setattr(cell, "source", "pass")), 0, "tampered"),
        "test_borrado": (edit(with_code(SOLUTION), "test_weighted_sum_hidden",
                                   lambda nb, cell: nb.cells.remove(cell)), 2, "tampered"),
        "metadatos_borrados": (edit(with_code(SOLUTION), "test_weighted_sum_hidden",
                                         lambda nb, cell: cell.metadata.pop("nbgrader")), 2, "tampered"),
        "puntos_editados": (edit(with_code(SOLUTION), "test_weighted_sum",
                                      lambda nb, cell: cell.metadata.nbgrader.update(points=100)), 2, "tampered"),
        "kernelspec_cambiado": (edit(with_code(SOLUTION), "test_weighted_sum", lambda nb, cell: nb.metadata.update(
            kernelspec={"name": "malicioso", "display_name": "x", "language": "python"})), 2, "tampered"),
        "eq_siempre_true": (with_code("class Always:\n    def __eq__(self, other):\n        return True\n\n"
                                      "def weighted_sum(X, w, b):\n    return Always()\n"), 0, "needs review"),
        "parchea_allclose": (with_code("np.allclose = lambda *a, **k: True\nnp.isclose = lambda *a, **k: True\n"
                                       + WRONG), 0, "needs review"),
        "parchea_checks": (with_code("checks.check_close = lambda *a, **k: None\n" + WRONG), 0, "needs review"),
        "avisos_stderr": (with_code("import sys, warnings\n\n" + SOLUTION.replace(
            '    """\n', '    """\n    warnings.warn("aviso inofensivo")\n    print("ruido", file=sys.stderr)\n', 1)),
            2, "ok"),
        "celdas_basura": (junk_cells(with_code(SOLUTION)), 2, "needs review"),  # `print(In)`: IPython history
    }
    return c


def junk_cells(notebook):
    notebook = copy.deepcopy(notebook)
    notebook.cells.insert(2, nbformat.v4.new_markdown_cell("Mis notas"))
    notebook.cells.insert(3, nbformat.v4.new_code_cell("1 / 0"))
    notebook.cells.append(nbformat.v4.new_code_cell("print(In)  # el historial, tests ocultos incluidos"))
    notebook.cells.append(nbformat.v4.new_code_cell("x = [i for i in range(10)]\nx"))
    return notebook


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.1)
    port = listener.getsockname()[1]
    table = cases(root, port)
    for student, (notebook, _, _) in table.items():
        folder = root / "submitted" / student / A
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / f"{A}.ipynb")
    # A student graded before: the batch must not change their row.
    (root / "submitted" / "zz_previo" / A).mkdir(parents=True)
    nbformat.write(with_code(SOLUTION), root / "submitted" / "zz_previo" / A / f"{A}.ipynb")
    results.register(root, [A])
    previous = Result(A, "zz_previo", grades={"test_weighted_sum": [1.0, 1.0], "test_weighted_sum_hidden": [0.0, 1.0]})
    results.save(root, previous, None)
    before = gradebook_rows(root)["zz_previo"]
    log = io.StringIO()
    done = grade(root, [A], students=list(table), workers=os.cpu_count(),
                 limits=Limits(cell_timeout=CELL_TIMEOUT, notebook_timeout=90, processes=64),
                 progress=log)
    try:
        connected = listener.accept()
    except (socket.timeout, BlockingIOError):
        connected = None
    listener.close()
    return {"root": root, "table": table, "done": {r.student: r for r in done}, "log": log.getvalue(),
            "before": before, "connected": connected}


def gradebook_rows(root):
    from autograder.nbgrader_setup import gradebook

    with gradebook(root) as gb:
        return {s.student.id: {g.name: g.score for g in gb.find_submission_notebook(A, A, s.student.id).grades}
                for s in gb.find_assignment(A).submissions}


def test_batch_finished(graded):
    assert set(graded["done"]) == set(graded["table"])
    assert "[##############################]" in graded["log"]


def test_every_case_has_its_score_and_status(graded):
    wrong = []
    for student, (_, score, status) in graded["table"].items():
        r = graded["done"][student]
        print(f"{student:<22} {r.score:g}/{r.max_score:g} {r.status:<13} {r.seconds:5.1f} s  {'; '.join(r.reasons)}")
        statuses = status if isinstance(status, tuple) else (status,)
        assert not (r.status == "ok" and r.score == r.max_score and score == 0), student
        if score is not None and (r.score != score or r.status not in statuses):
            wrong.append(f"{student}: {r.score:g} {r.status} (expected {score} {status}) {r.reasons}")
    assert not wrong, "\n".join(wrong)


def test_gradebook_matches_results_and_other_students_unchanged(graded):
    rows = gradebook_rows(graded["root"])
    assert rows["zz_previo"] == graded["before"]
    for student, r in graded["done"].items():
        assert rows[student] == {gid: s for gid, (s, _) in r.grades.items()}, student
    assert all(score <= 1 for row in rows.values() for score in row.values())


def test_isolation_or_loud_warning(graded):
    if ISOLATED:
        assert graded["connected"] is None, "a submission reached a listener on 127.0.0.1"
        assert "NO ISOLATION" not in graded["log"]
    else:
        assert "WARNING: NO ISOLATION" in graded["log"]


def test_no_leftover_sandbox_processes(graded):
    first = sandbox.sandbox_uid(0)
    left = [p for p, (_, uid, _) in sandbox.processes().items() if first <= uid < first + 64]
    assert left == []


@pytest.mark.skipif(not ISOLATED, reason="needs the sandbox (root, namespaces)")
def test_nothing_of_a_submission_stays_on_the_host(graded):
    assert not [f for f in ("/tmp", "/dev/shm", "/var/tmp") if os.path.exists(f"{f}/{MARK}")]
    assert graded["done"]["doble_fork_setsid"].score == 2  # it ran: its sleeping grandchild existed


def test_feedback_shows_no_hidden_test_or_solution(graded):
    secrets = secret_lines(SOURCE)
    for student, r in graded["done"].items():
        page = (graded["root"] / "feedback" / student / A / f"{A}.html").read_text(encoding="utf-8")
        submitted = nbformat.read(graded["root"] / "submitted" / student / A / f"{A}.ipynb", as_version=4)
        mine = {line.strip() for c in submitted.cells if not nbgrader(c).get("locked")
                for line in c.source.splitlines()}
        leaked = [s for s in secrets - mine if s in page or html.escape(s) in page]
        assert not leaked, f"{student}: {leaked}"
        assert "BEGIN HIDDEN TESTS" not in page and "Traceback" not in page.split("Tests ocultos")[-1][:2000]
        assert len(page) < 2_000_000, f"{student}: feedback of {len(page)} characters"


def test_huge_outputs_are_truncated(graded):
    for student in ("linea_10mb", "100k_lineas"):
        executed = graded["root"] / "autograded" / student / A / f"{A}.ipynb"
        assert executed.stat().st_size < 1_000_000
        assert json.loads(results.result_path(graded["root"], student, A).read_text())["status"] == "ok"
