"""The course in a real browser: JupyterLab 4 driven by Playwright in Debian's headless Chromium.

Runs when `/usr/bin/chromium` and Playwright for Python are present (`.ci/run` installs Chromium). JupyterLab serves
a throwaway copy of the course, so running cells never writes outputs into `release/` or `source/`.
Screenshots go to `tests/artifacts/browser/`.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from course import data

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts" / "browser"
TOKEN = "prueba-del-curso"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
# Every cell in the DOM (no virtual scrolling) so the test sees them all; no news pop-up.
USER_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium: sudo apt-get install chromium")]
sync_api = pytest.importorskip("playwright.sync_api")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"JupyterLab did not answer at {url} within {seconds} s")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on a free loopback port with a token, serving a copy of the course; stopped in teardown."""
    course = tmp_path_factory.mktemp("course")
    for folder in ("source", "release"):
        shutil.copytree(ROOT / folder, course / folder)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    home = tmp_path_factory.mktemp("home")
    (home / ".nbgrader-exchange").mkdir(mode=0o777)  # nbgrader_config.py's default exchange for one user
    for plugin, value in USER_SETTINGS.items():
        target = home / "settings" / f"{plugin}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(value))
    port = free_port()
    env = dict(os.environ, HOME=str(home), JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
               JUPYTERLAB_SETTINGS_DIR=str(home / "settings"), MPLBACKEND="module://matplotlib_inline.backend_inline",
               # the copy lives outside the checkout, where ../shared/data is not found by walking up
               FASHION_MNIST_DIR=str(data.find_fashion_mnist()))
    env.pop("NBGRADER_EXECUTION", None)
    log = open(home / "lab.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={course}", "--ServerApp.open_browser=False", "--allow-root"],
        cwd=course, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{base}/api/status?token={TOKEN}")
        yield base
    finally:
        os.killpg(server.pid, 15)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
        log.close()


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    """A Chromium page with a fresh user-data dir; closed in teardown."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(60_000)
        try:
            yield context.new_page()
        finally:
            context.close()


def notebook(page):
    """The notebook panel on screen (another one may stay in the DOM, hidden behind its tab)."""
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")


def open_notebook(page, base, path):
    """Open `path` alone (`reset`: no notebook restored from an earlier test) and wait for its kernel."""
    page.goto(f"{base}/lab/tree/{path}?reset&token={TOKEN}")
    notebook(page).locator(".jp-Cell").first.wait_for(timeout=90_000)
    page.wait_for_selector("text=Kernel status: Idle", state="attached", timeout=90_000)


def run_cells_one_by_one(page, stop_at=None, seconds_per_cell=120):
    """Shift+Enter through the notebook, waiting for each code cell to finish before the next, so an error in
    one cell (a stub's NotImplementedError) does not abort the rest, as it would with Run All.
    Stops after the first cell whose text contains `stop_at`."""
    cells = notebook(page).locator(".jp-Cell")
    cells.first.click()
    page.keyboard.press("Escape")
    for i in range(cells.count()):
        cell = cells.nth(i)
        is_code = "jp-CodeCell" in (cell.get_attribute("class") or "")
        text = cell.inner_text()
        page.keyboard.press("Shift+Enter")
        if is_code:
            prompt = cell.locator(".jp-InputArea-prompt")
            deadline = time.monotonic() + seconds_per_cell
            retry = time.monotonic() + 10
            while not re.search(r"\[\d+\]", prompt.inner_text()):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"cell {i} did not finish in {seconds_per_cell} s")
                if time.monotonic() > retry and "*" not in prompt.inner_text():
                    # The key press was lost (JupyterLab still loading, focus elsewhere): neither queued nor
                    # run after 10 s. Select this cell again and run it.
                    prompt.click()
                    page.keyboard.press("Escape")
                    page.keyboard.press("Shift+Enter")
                    retry = time.monotonic() + 10
                time.sleep(0.2)
        if stop_at and stop_at in text:
            return cell


def error_texts(page):
    """Texts of the tracebacks and stderr outputs shown in the notebook on screen."""
    return notebook(page).locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()


def widget_image(page):
    """The `src` of the first widget's figure (a PNG data URL): an `ipywidgets.Image` (`course.widgets.FigureView`)
    or an image inside a widget Output."""
    image = page.locator("img.widget-image, .jupyter-widgets .jp-OutputArea-output img").first
    image.wait_for(timeout=60_000)
    return image.get_attribute("src")


def test_release_notebook_01_reads_well_with_stubs(lab, browser_page):
    """A student who has written nothing: only the stubs' NotImplementedError, and each demo that needs an
    unfinished function says so in one line instead of a traceback."""
    page = browser_page
    open_notebook(page, lab, "release/01_perceptron/01_perceptron.ipynb")
    run_cells_one_by_one(page)
    page.screenshot(path=str(ARTIFACTS / "release_01.png"), full_page=True)
    errors = error_texts(page)
    assert errors, "the release notebook should show the stubs' NotImplementedError"
    unexpected = [text[-300:] for text in errors if "NotImplementedError" not in text]
    assert not unexpected, unexpected
    pending = notebook(page).get_by_text("ⓘ Completa")
    assert pending.count() >= 1, "no demo said which exercise to finish first"


def test_solved_notebook_01_widget_redraws(lab, browser_page):
    """A student who has solved the exercises (the source notebook): the explorer draws and follows its slider."""
    page = browser_page
    open_notebook(page, lab, "source/01_perceptron/01_perceptron.ipynb")
    run_cells_one_by_one(page)
    assert error_texts(page) == []
    before = widget_image(page)
    widget = page.locator(".jupyter-widgets.widget-hbox").first
    widget.scroll_into_view_if_needed()
    widget.screenshot(path=str(ARTIFACTS / "widget_01_before.png"))
    handle = page.locator(".widget-slider .noUi-handle").first
    handle.click()
    for _ in range(10):
        handle.press("ArrowRight")
    deadline = time.monotonic() + 30
    while widget_image(page) == before and time.monotonic() < deadline:
        time.sleep(0.2)
    widget.screenshot(path=str(ARTIFACTS / "widget_01.png"))
    assert widget_image(page) != before, "moving the w1 slider did not redraw the figure"


#: Text of each solved notebook's first widget cell (07's is the image browser: TensorFlow loads the real data
#: and one epoch trains first); 00 has no widget.
FIRST_WIDGET = {
    "00_bienvenida": None,
    "01_perceptron": "perceptron.explorer",
    "02_xor": "xor.explorer",
    "03_activaciones": "act.activation_explorer",
    "04_backprop": "backprop.explorer",
    "05_sgd": "def explorer_widget",
    "06_regularizacion": "def regularization_widget",
    "07_keras": "fashion.draw_browser",
}


@pytest.mark.parametrize("assignment", sorted(FIRST_WIDGET))
def test_screenshot_of_each_notebook(lab, browser_page, assignment):
    """One screenshot per solved notebook (its first widget as a student sees it; 00: its first screen) into
    `tests/artifacts/browser/notebook_NN.png`: no stderr on the way, and the widget's figure shown at its natural
    size (not shrunk to fit, not stretched)."""
    page = browser_page
    open_notebook(page, lab, f"source/{assignment}/{assignment}.ipynb")
    marker = FIRST_WIDGET[assignment]
    cell = run_cells_one_by_one(page, stop_at=marker, seconds_per_cell=300)
    assert error_texts(page) == []
    target = ARTIFACTS / f"notebook_{assignment[:2]}.png"
    if marker is None:
        notebook(page).locator(".jp-Cell").first.scroll_into_view_if_needed()
        page.screenshot(path=str(target))
        return
    assert cell is not None, f"no cell contains {marker!r}"
    image = cell.locator("img.widget-image").first
    image.wait_for(timeout=60_000)
    cell.scroll_into_view_if_needed()
    cell.screenshot(path=str(target))
    natural, shown = image.evaluate("i => [i.naturalWidth, i.getBoundingClientRect().width]")
    assert abs(shown - natural) <= 1, f"the widget's {natural} px figure is shown {shown:.0f} px wide"


def test_formgrader_lists_the_assignments(lab, browser_page):
    page = browser_page
    page.goto(f"{lab}/formgrader?token={TOKEN}")
    page.wait_for_selector("text=00_bienvenida", timeout=90_000)
    page.screenshot(path=str(ARTIFACTS / "formgrader.png"), full_page=True)
    listed = page.inner_text("body")
    for folder in sorted((ROOT / "source").iterdir()):
        assert folder.name in listed, f"{folder.name} missing from the formgrader"


def test_solved_notebook_06_playground_trains_pauses_and_steps(lab, browser_page):
    """The playground's clock ticks in the browser: «Entrenar» redraws until «Pausar»; «Paso» redraws once."""
    page = browser_page
    open_notebook(page, lab, "source/06_regularizacion/06_regularizacion.ipynb")
    cell = run_cells_one_by_one(page, stop_at="playground.widget")
    assert cell is not None, "no cell builds the playground (playground.widget)"
    image = cell.locator(".jupyter-widgets img").first
    image.wait_for(timeout=60_000)
    cell.scroll_into_view_if_needed()

    def changes(seconds=20):
        before, deadline = image.get_attribute("src"), time.monotonic() + seconds
        while image.get_attribute("src") == before and time.monotonic() < deadline:
            time.sleep(0.2)
        return image.get_attribute("src") != before

    cell.get_by_role("button", name="Entrenar").click()
    assert changes() and changes(), "«Entrenar» did not keep redrawing the playground"
    cell.screenshot(path=str(ARTIFACTS / "playground_06.png"))
    cell.get_by_role("button", name="Pausar").click()
    time.sleep(2)  # a tick already queued may still arrive
    assert not changes(3), "the playground kept training after «Pausar»"
    cell.get_by_role("button", name="Paso").click()
    assert changes(), "«Paso» did not redraw the playground"


def test_feedback_page_shows_the_exercise_table_and_rendered_formulas(browser_page, tmp_path):
    """A feedback page opened from its file: the table of points per exercise and the notebook's formulas as
    MathML that Chromium lays out (no MathJax, no network)."""
    import nbformat

    from autograder import feedback, mutants
    from autograder.assignments import grade_cells, notebook_path
    from autograder.model import Result

    assignment = "01_perceptron"
    source = nbformat.read(notebook_path(assignment), as_version=4)
    grades = {gid: [float(c.metadata["nbgrader"]["points"])] * 2 for gid, c in grade_cells(source, "grade").items()}
    grades[next(iter(grades))][0] = 0.0
    html_page = feedback.render(Result(assignment, "ana_perez", grades=grades), None, assignment,
                                mutants.submission(assignment))
    path = tmp_path / "feedback.html"
    path.write_text(html_page, encoding="utf-8")
    page = browser_page
    page.goto(path.as_uri())
    rows = page.locator("table").first.locator("tr")  # the first table: points per exercise
    assert rows.first.inner_text().split() == ["Ejercicio", "Puntos"]
    exercises = set(feedback.exercises(source)[gid] for gid in grades)
    assert rows.count() == 1 + len(exercises) and rows.nth(1).inner_text().startswith("Ejercicio 1")
    formula = page.locator("math").first
    assert page.evaluate("document.querySelector('math').constructor.name") == "MathMLElement"
    box = formula.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0
    page.screenshot(path=str(ARTIFACTS / "feedback.png"))  # the top: score, table, first formulas
    assert (ARTIFACTS / "feedback.png").stat().st_size > 10_000
