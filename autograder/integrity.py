"""What a submission did to the notebook: tampering with locked cells, code that touches grading internals,
and outputs too large to keep."""

import re

#: Student code matching one of these is flagged `needs review` (a static scan; grading still runs).
SUSPICIOUS = {
    r"\bsys\s*\.\s*modules\b": "sys.modules",
    r"\b__builtins__\b|\bimport\s+builtins\b|\bbuiltins\s*\.": "builtins",
    r"\bchecks\s*\.\s*\w+\s*=[^=]|\bsetattr\s*\(\s*checks\b|course\s*\.\s*checks\s*\.\s*\w+\s*=[^=]": "patches course.checks",
    r"\b(np|numpy)\s*\.\s*[\w.]+\s*=[^=]|\bsetattr\s*\(\s*(np|numpy)\b": "patches numpy",
    r"gradebook|nbgrader|\.db\b": "gradebook / nbgrader",
    r"\.\./|['\"]/(?:etc|root|work|home|tmp|proc|dev|usr|var|sys)\b|\bos\s*\.\s*chdir\b|expanduser": "paths outside its folder",
    r"\bctypes\b|\bsubprocess\b|\bos\s*\.\s*(system|popen|fork|_exit|kill|exec\w*|spawn\w*)\b|\bsocket\b|\bsignal\s*\.": "processes / signals / network / ctypes",
    r"\bdef\s+__(eq|ne|bool|float|array|array_function|array_ufunc)__\b": "overrides comparison/conversion",
    r"\bimportlib\b|\b__import__\b|\bsys\s*\.\s*_getframe\b|\bgc\s*\.\s*get_objects\b": "introspection of the grader",
}


def grade_cells(notebook):
    """`{grade_id: cell}` of every cell with nbgrader metadata."""
    return {c.metadata["nbgrader"]["grade_id"]: c for c in notebook.cells
            if c.metadata.get("nbgrader", {}).get("grade_id")}


def _meta(cell):
    m = cell.metadata.get("nbgrader", {})
    return {k: m.get(k) for k in ("grade", "solution", "locked", "task", "points")}


def tampering(submitted, release):
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
        if cell.metadata["nbgrader"].get("locked") and mine.source.strip() != cell.source.strip():
            reasons.append(f"locked cell {gid} edited")
    return reasons


def student_code(submitted, release):
    """Code cells the student wrote or changed (those not identical to a release cell)."""
    given = {c.source.strip() for c in release.cells}
    return [c.source for c in submitted.cells if c.cell_type == "code" and c.source.strip() not in given]


def suspicious(submitted, release):
    """Reasons to review the student code by hand (grading internals, paths, processes)."""
    code = "\n".join(student_code(submitted, release))
    return [f"code touches {what}" for pattern, what in SUSPICIOUS.items() if re.search(pattern, code)]


def truncate_outputs(notebook, limit):
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
