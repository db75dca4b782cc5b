"""What a submission did to the notebook: tampering with locked cells, code that can reach grading internals
or copies a function the student was given (a static scan of the AST of every cell the student wrote or
changed), and outputs too large to keep."""

import ast
import builtins
import functools
import re

import nbformat
from IPython.core.inputtransformer2 import TransformerManager

from autograder import COURSE_ROOT
from autograder.assignments import assignment_names, grade_cells, nbgrader, notebook_path

#: Modules (and their submodules) a student cell may import; more per assignment in `EXTRA_IMPORTS`.
ALLOWED_IMPORTS = ("numpy", "math", "cmath", "random", "itertools", "functools", "collections", "statistics",
                   "time", "typing", "dataclasses", "copy", "warnings", "sys", "matplotlib", "ipywidgets",
                   "IPython.display", "course")
EXTRA_IMPORTS = {"07_keras": ("keras", "tensorflow")}
DENIED_IMPORTS = ("numpy.ctypeslib", "numpy.f2py", "numpy.distutils")
#: The only members of these modules a student cell may use (by attribute or `from ... import`).
RESTRICTED_MODULES = {"sys": {"stdout", "stderr", "float_info", "maxsize", "version_info"}}
FORBIDDEN_NAMES = {"get_ipython", "eval", "exec", "compile", "__import__", "globals", "locals", "vars", "getattr",
                   "setattr", "delattr", "open", "breakpoint", "input", "exit", "quit", "memoryview"}
HISTORY_NAMES = re.compile(r"In|Out|_ih|_oh|_dh|_i|_ii|_iii|_i\d+")  # IPython's history: hidden tests included
DUNDER = re.compile(r"__\w+__")
ALLOWED_DUNDERS = {"__name__", "__doc__", "__init__"}
ALLOWED_DUNDER_DEFS = {"__init__", "__repr__", "__str__"}
FRAME_ATTRS = {"f_back", "f_globals", "f_locals", "f_builtins", "f_code", "f_trace", "tb_frame", "tb_next",
               "gi_frame", "gi_code", "cr_frame", "cr_code", "ag_frame", "ag_code", "co_consts", "co_code",
               "co_names", "func_globals", "func_code"}
ESCAPE_ATTRS = {"sys", "os", "modules", "builtins", "get_ipython", "_getframe", "subprocess", "importlib", "ctypes",
                "ctypeslib", "shutil", "inspect", "gc", "socket", "signal", "system", "popen", "fork", "_exit",
                "eval", "exec", "globals", "locals", "settrace", "setprofile"}
PATH_STRING = re.compile(r"\.\./|^~|^/(?:etc|root|work|home|tmp|proc|dev|usr|var|sys|run|mnt|opt)\b|gradebook|"
                         r"nbgrader|\.db\b")
MAGICS = {"run_line_magic": "%", "run_cell_magic": "%%", "system": "!", "getoutput": "!"}
#: A student function is compared with the course's and earlier assignments' only when at least this big.
COPY_MIN_NODES, COPY_MIN_STATEMENTS = 25, 3
MAX_REASONS = 30


def _meta(cell):
    m = nbgrader(cell)
    return {k: m.get(k) for k in ("grade", "solution", "locked", "task", "points")}


def tampering(submitted: nbformat.NotebookNode, release: nbformat.NotebookNode) -> list[str]:
    """Reasons why `submitted` differs from the `release` notebook where students may not change it."""
    reasons = []
    if submitted.metadata.get("kernelspec", {}).get("name") != release.metadata.get("kernelspec", {}).get("name"):
        reasons.append(f"kernelspec changed to {submitted.metadata.get('kernelspec', {}).get('name')!r}")
    theirs = grade_cells(submitted)
    for gid, cell in grade_cells(release).items():
        mine = theirs.get(gid)
        if mine is None:
            reasons.append(f"cell {gid} deleted or its nbgrader metadata stripped")
            continue
        if _meta(mine) != _meta(cell):
            reasons.append(f"nbgrader metadata of {gid} edited")
        if nbgrader(cell).get("locked") and mine.source.strip() != cell.source.strip():
            reasons.append(f"locked cell {gid} edited")
    return reasons


def student_cells(submitted: nbformat.NotebookNode, release: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """`(label, source)` of the code cells the student wrote or changed (not identical to a release cell)."""
    given = {c.source.strip() for c in release.cells}
    return [(nbgrader(c).get("grade_id") or f"cell {i}", c.source)
            for i, c in enumerate(submitted.cells) if c.cell_type == "code" and c.source.strip() not in given]


def _parse(source):
    """The AST of a cell as IPython runs it (magics and shell escapes become `get_ipython()` calls; IPython
    leaves code that already parses as Python unchanged)."""
    try:
        return ast.parse(source)
    except SyntaxError:
        return ast.parse(TransformerManager().transform_cell(source))


def _import_paths(node):
    """`(bound name, dotted path)` of each name an import statement binds."""
    if isinstance(node, ast.Import):
        return [(a.asname or a.name.split(".")[0], a.name if a.asname else a.name.split(".")[0]) for a in node.names]
    dots = "." * node.level
    return [(a.asname or a.name, dots + ".".join(filter(None, [node.module, None if a.name == "*" else a.name])))
            for a in node.names]


def _module_scope(tree):
    """`(name, node)` of every binding at the cell's top level (what later cells, tests included, see)."""
    found = []

    def visit(node):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.append((node.name, node))
            return
        if isinstance(node, ast.Lambda):
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.extend((name, node) for name, _ in _import_paths(node))
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            found.append((node.id, node))
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            found.append((node.name, node))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


class Context:
    """What the scan of one assignment compares student code with: the given (non-solution) code cells of
    its release notebook, the names its solution cells define (`graded`) and the functions of `references`."""

    def __init__(self, given, graded=(), assignment=None):
        self.allowed = ALLOWED_IMPORTS + EXTRA_IMPORTS.get(assignment, ())
        self.modules = {}  # name -> import path, bound by the given cells
        self.protected = {name: None for name in dir(builtins) if not name.startswith("_")}
        self.graded = set(graded)
        for source in given:
            try:
                tree = _parse(source)
            except (SyntaxError, ValueError):
                continue
            for name, node in _module_scope(tree):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    self.modules[name] = dict(_import_paths(node))[name]
                    self.protected[name] = self.modules[name]
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    self.protected[name] = None
        self.references = references(assignment)

    def import_allowed(self, path: str) -> bool:
        if path.startswith(".") or any(path == d or path.startswith(d + ".") for d in DENIED_IMPORTS):
            return False
        for module, members in RESTRICTED_MODULES.items():
            if path.startswith(module + "."):
                return path[len(module) + 1:] in members
        return any(path == a or path.startswith(a + ".") for a in self.allowed)


def _root(node):
    """The name an attribute chain starts from (`np` in `np.linalg.norm`), or None."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _magic(node):
    """`%name` / `!command` when `node` is IPython's call for a magic or shell escape, else None."""
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MAGICS
            and isinstance(node.func.value, ast.Call) and isinstance(node.func.value.func, ast.Name)
            and node.func.value.func.id == "get_ipython" and node.args and isinstance(node.args[0], ast.Constant)):
        return f"{MAGICS[node.func.attr]}{str(node.args[0].value).split(chr(10))[0][:40]}", node.func.value.func
    return None


def scan_code(source: str, context: Context) -> list[tuple[int, str]]:
    """`(line, what)` for each construct in `source` that needs a human look; unparsable code is one hit."""
    try:
        tree = _parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:  # null bytes, too deeply nested
        return [(getattr(exc, "lineno", None) or 1, f"does not parse ({type(exc).__name__}: {exc})")]
    try:
        return _hits(tree, context)
    except RecursionError:
        return [(1, "too deeply nested to scan")]


def _hits(tree, context):
    hits = []
    imported = dict(context.modules)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imported.update(_import_paths(node))
    restricted = {name: RESTRICTED_MODULES[path] for name, path in imported.items() if path in RESTRICTED_MODULES}
    seen_magic = set()
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 1)
        if (magic := _magic(node)) is not None:
            hits.append((line, f"magic or shell escape {magic[0]}"))
            seen_magic.add(id(magic[1]))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            hits += [(line, f"import {path}") for _, path in _import_paths(node) if not context.import_allowed(path)]
        elif isinstance(node, ast.Name) and id(node) not in seen_magic:
            if node.id in FORBIDDEN_NAMES or (DUNDER.fullmatch(node.id) and node.id != "__name__"):
                hits.append((line, f"name {node.id}"))
            elif HISTORY_NAMES.fullmatch(node.id):
                hits.append((line, f"IPython history {node.id}"))
        elif isinstance(node, ast.Attribute):
            if DUNDER.fullmatch(node.attr) and node.attr not in ALLOWED_DUNDERS:
                hits.append((line, f"dunder attribute .{node.attr}"))
            elif node.attr in FRAME_ATTRS:
                hits.append((line, f"frame/code attribute .{node.attr}"))
            elif node.attr in ESCAPE_ATTRS:
                hits.append((line, f"attribute .{node.attr}"))
            elif isinstance(node.value, ast.Name) and node.attr not in restricted.get(node.value.id, {node.attr}):
                hits.append((line, f"{node.value.id}.{node.attr}"))
            if not isinstance(node.ctx, ast.Load) and _root(node) in imported:
                hits.append((line, f"patches {ast.unparse(node)} (module {imported[_root(node)]})"))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if DUNDER.fullmatch(node.name) and node.name not in ALLOWED_DUNDER_DEFS:
                hits.append((line, f"defines {node.name}"))
            if (origin := context.references.get(fingerprint(node))) is not None:
                hits.append((line, f"copied from {origin} (def {node.name})"))
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            hits += [(line, f"global {name}") for name in node.names if name in context.protected]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and PATH_STRING.search(node.value):
            hits.append((line, f"string {node.value[:40]!r}"))
    for name, node in _module_scope(tree):
        if name in context.protected and not (isinstance(node, (ast.Import, ast.ImportFrom))
                                              and dict(_import_paths(node))[name] == context.protected[name]):
            hits.append((getattr(node, "lineno", 1), f"rebinds {name}"))
        elif name in context.graded and isinstance(node, (ast.Import, ast.ImportFrom)):
            hits.append((node.lineno, f"imports the graded function {name} from {dict(_import_paths(node))[name]}"))
    return sorted(set(hits))


def fingerprint(func: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """The AST of a function up to names (its name, arguments and local variables; not attributes nor
    globals), or None when it is too small to tell a copy from an honest short answer."""
    body = func.body[1:] if (func.body and isinstance(func.body[0], ast.Expr)
                             and isinstance(func.body[0].value, ast.Constant)) else func.body
    nodes = [n for part in [func.args, *body] for n in ast.walk(part)]
    if len(nodes) < COPY_MIN_NODES or sum(isinstance(n, ast.stmt) for n in nodes) < COPY_MIN_STATEMENTS:
        return None
    local = {func.name: "f"}
    for node in nodes:
        if isinstance(node, ast.arg):
            local.setdefault(node.arg, f"v{len(local)}")
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            local.setdefault(node.id, f"v{len(local)}")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            local.setdefault(node.name, f"v{len(local)}")
    return _dump(func.args, local) + _dump(body, local)


def _dump(node, local):
    """`ast.dump` without annotations and decorators, with the names in `local` replaced."""
    if isinstance(node, list):
        return "[" + ",".join(_dump(item, local) for item in node) + "]"
    if not isinstance(node, ast.AST):
        return repr(node)
    fields = []
    for name, value in ast.iter_fields(node):
        if name in ("annotation", "returns", "type_comment", "decorator_list"):
            continue
        if name in ("id", "arg") or (name == "name" and isinstance(
                node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))):
            value = local.get(value, value)
        fields.append(_dump(value, local))
    return f"{type(node).__name__}({','.join(fields)})"


def _functions(tree, origin):
    return {fp: f"{origin}.{node.name}" for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and (fp := fingerprint(node))}


@functools.lru_cache(maxsize=None)
def references(assignment: str | None = None) -> dict[str, str]:
    """`{fingerprint: origin}` of the functions a student of `assignment` has at hand: the `course` package
    and the given code (cells and `.py` files) of the earlier assignments' release folders."""
    found = {}
    for path in sorted((COURSE_ROOT / "course").glob("*.py")):
        found |= _functions(ast.parse(path.read_text(encoding="utf-8")), f"course.{path.stem}")
    names = assignment_names()
    for earlier in names[:names.index(assignment)] if assignment in names else []:
        for path in sorted((COURSE_ROOT / "release" / earlier).rglob("*.py")):
            found |= _functions(ast.parse(path.read_text(encoding="utf-8")), f"{earlier}/{path.name}")
        for cell in nbformat.read(notebook_path(earlier, "release"), as_version=4).cells:
            if cell.cell_type == "code" and not nbgrader(cell).get("solution"):
                try:
                    found |= _functions(_parse(cell.source), earlier)
                except (SyntaxError, ValueError):
                    continue
    found.pop(None, None)
    return found


def _defs(source):
    try:
        return [n for n in _parse(source).body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    except (SyntaxError, ValueError):
        return []


@functools.lru_cache(maxsize=16)
def _context(given, graded, assignment):
    return Context(given, graded, assignment)


def suspicious(submitted: nbformat.NotebookNode, release: nbformat.NotebookNode,
               assignment: str | None = None) -> list[str]:
    """Reasons to review the student code by hand: `<cell>, line <n>: <what>` for every construct that can
    reach grading internals (see the constants above) or copies a function the student was given."""
    solution = [nbgrader(c).get("solution") for c in release.cells]
    given = tuple(c.source for c, s in zip(release.cells, solution) if c.cell_type == "code" and not s)
    graded = tuple(sorted(n.name for c, s in zip(release.cells, solution) if s and c.cell_type == "code"
                          for n in _defs(c.source)))
    context = _context(given, graded, assignment)
    reasons = list(dict.fromkeys(f"{label}, line {line}: {what}" for label, source in student_cells(submitted, release)
                                 for line, what in scan_code(source, context)))
    if len(reasons) > MAX_REASONS:
        reasons[MAX_REASONS:] = [f"… and {len(reasons) - MAX_REASONS} more"]
    return reasons


def truncate_outputs(notebook: nbformat.NotebookNode, limit: int) -> int:
    """Cut every output text longer than `limit` characters (in place); return how many were cut."""
    cut = 0

    def shorten(text):
        nonlocal cut
        text = "".join(text) if isinstance(text, list) else text
        if len(text) <= limit:
            return text
        cut += 1
        return text[:limit] + f"\n… [salida truncada: {len(text) - limit} caracteres omitidos]\n"

    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if "text" in output:
                output.text = shorten(output.text)
            for key, value in output.get("data", {}).items():
                if isinstance(value, (str, list)) and not key.startswith("image/"):
                    output.data[key] = shorten(value)
                elif isinstance(value, str) and len(value) > 50 * limit:
                    output.data[key] = ""
                    cut += 1
            if "traceback" in output:
                output.traceback = [shorten(line) for line in output.traceback[-50:]]
            if "evalue" in output:
                output.evalue = shorten(output.evalue)
    return cut
