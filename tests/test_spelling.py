"""Spelling and vocabulary of the student-facing Spanish (issue #21, section 5).

Spelling: the markdown of source/*/*.ipynb and the Spanish strings and comments of their code cells and of
course/*.py go through `hunspell -l` with a Latin American Spanish dictionary; a word it does not know fails
unless tests/spelling/palabras.txt lists it (technical terms, names and correct words the dictionary lacks;
never a misspelling or a forbidden word). Skipped where hunspell or the dictionary is missing
(`apt-get install hunspell hunspell-es`).

Vocabulary (no hunspell needed): every student-visible text (markdown, and the strings and comments of the
code cells and of course/*.py) fails on a pattern of tests/spelling/prohibidas.txt, and on «semilla» outside
a random-seed sentence (`seed_misuses` states the rule).
"""

import ast
import builtins
import functools
import io
import json
import keyword
import re
import shutil
import subprocess
import tokenize
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPELLING = Path(__file__).resolve().parent / "spelling"
NOTEBOOKS = sorted(ROOT.glob("source/*/*.ipynb"))
COURSE_FILES = sorted((ROOT / "course").glob("*.py"))
DICTIONARIES = ("es_UY", "es_AR", "es_MX", "es")  # hunspell-es ships every es_XX as the same generic file
INSTALL_HINT = "apt-get install hunspell hunspell-es"

# Markup that is not prose, removed in this order (code first: it may contain $ or <).
_MARKUP = [re.compile(p, re.S) for p in (
    r"(```|~~~).*?\1",                  # fenced code blocks
    r"\$\$.*?\$\$", r"\$[^$\n]+\$",     # LaTeX, display and inline
    r"<[^>\n]+>", r"&#?\w+;",           # HTML tags and entities
    r"\]\([^)\s]*\)",                   # link and image targets (the link text stays)
    r"(https?://|www\.)\S+",            # bare URLs
    r"\{[^{}\n]*\}",                    # format placeholders of Python strings
)]
_INLINE_CODE = re.compile(r"(`+)[^`]*?\1")
_NBGRADER_MARKER = re.compile(r"^### (BEGIN|END) SOLUTION$", re.M)  # a written answer's region, not prose
_DOTTED = re.compile(r"\b\w+(?:\.\w+)+\b")  # np.random, archivo.py, 0.25: names and numbers, not words
_QUOTED_TOKEN = re.compile(r"(?<!\w)(['\"])[^'\"\s]+\1(?!\w)")  # 'iu', "loss": code values, not words
_FOREIGN_SPAN = re.compile(r"\*((?:[^*\n]|\n(?!\s*\n))+)\*|«([^»]+)»")
_CHUNK = re.compile(r"[\w'’-]+")
_TOOL_DIRECTIVE = re.compile(r"pragma: no cover|noqa\b|type: ignore")  # comments for tools, not people
_PUNCTUATION = frozenset(",.;:!?()[]«»\"'¿¡*…—–|/“”‘’")  # a word touching anything else is part of a formula
_SPANISH_LETTERS = re.compile(r"[áéíóúñü¿¡]", re.I)
_SPANISH_WORDS = frozenset("de la el los las que en con por para una un del al se es su sus lo como más "
                           "si hay cada este esta pero sin".split())
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n|\n(?=\s*(?:[-*+]|\d+\.|#)\s)")
_SEED = re.compile(r"\bsemillas?\b", re.I)
_SEED_CONTEXT = re.compile(r"\b(aleatori\w*|azar|random\w*|seeds?|rng|generador\w*|baraj\w*)\b"
                           r"|\bfij\w* (\w+ ){0,2}semillas?\b|\bsemillas? fijas?\b"
                           r"|\b(misma|otra)s? semillas?\b|\bsemillas? (distintas?\b|enteras?\b|\d|=)", re.I)


def strip_markup(text: str, keep_inline_code: bool) -> str:
    """The prose of a markdown cell or a Python string: no code blocks, LaTeX, HTML, URLs or placeholders."""
    text = _MARKUP[0].sub(" ", text)
    if not keep_inline_code:
        text = _INLINE_CODE.sub(" ", text)
    for pattern in _MARKUP[1:]:
        text = pattern.sub(" ", text)
    return text


def _spanish_marked(text: str, tokens: list[str]) -> bool:
    return bool(_SPANISH_LETTERS.search(text) or _SPANISH_WORDS.intersection(t.lower() for t in tokens))


def _drop_foreign_titles(text: str) -> str:
    """Remove *italic* or «quoted» spans of 2+ words with nothing Spanish in them: English titles and menus."""
    def drop(match: re.Match) -> str:
        span = match.group(1) or match.group(2)
        tokens = _CHUNK.findall(span)
        return " " if len(tokens) >= 2 and not _spanish_marked(span, tokens) else match.group()
    return _FOREIGN_SPAN.sub(drop, text.replace("**", ""))


def words(text: str) -> list[str]:
    """The words of markdown or docstring prose to spell-check.

    Left out: code, LaTeX, English titles (`_drop_foreign_titles`), dotted names and numbers, quoted code
    values, words touching a formula symbol (∂F/∂ab, x·w) or after a dot (.gz), words of one or two letters
    (x, xw, dL, ln: formulas in plain text), and words with digits, underscores or non-Latin letters (W1,
    n_val, σ).
    """
    prose = strip_markup(text, keep_inline_code=False)
    prose = _QUOTED_TOKEN.sub(" ", _DOTTED.sub(" ", _drop_foreign_titles(prose)))
    found = []
    for match in _CHUNK.finditer(prose):
        before, after = prose[max(0, match.start() - 1):match.start()], prose[match.end():match.end() + 1]
        chunk = match.group().strip("-'’")
        if (len(chunk) < 3 or "_" in chunk or any(c.isdigit() for c in chunk) or before == "."
                or any(not c.isspace() and c not in _PUNCTUATION for c in before + after)):
            continue
        if all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in chunk):
            found.append(chunk)
    return found


def looks_spanish(text: str) -> bool:
    """A Python string is Spanish prose when it has 3+ words and an accent, ¿/¡ or a common Spanish word."""
    tokens = [t for t in _CHUNK.findall(strip_markup(text, keep_inline_code=False)) if t.isalpha()]
    return len(tokens) >= 3 and _spanish_marked(text, tokens)


def python_texts(source: str) -> tuple[list[str], list[str], set[str]]:
    """(string constants, comments, identifiers) of Python source; an f-string is one string without fields."""
    nodes = list(ast.walk(ast.parse(source)))
    inside = {id(n) for f in nodes if isinstance(f, ast.JoinedStr) for n in ast.walk(f) if n is not f}
    strings = []
    for node in nodes:
        if id(node) in inside:
            continue
        if isinstance(node, ast.JoinedStr):
            strings.append("".join(v.value for v in node.values if isinstance(v, ast.Constant)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            strings.append(node.value)
    lines = io.StringIO(source).readline
    comments = [_TOOL_DIRECTIVE.sub(" ", t.string.lstrip("#"))
                for t in tokenize.generate_tokens(lines) if t.type == tokenize.COMMENT]
    names = {getattr(n, field) for n in nodes for field in ("id", "arg", "attr", "name")
             if isinstance(getattr(n, field, None), str)}
    return strings, comments, names


def code_cell_source(source: str) -> str:
    """A code cell as plain Python: IPython magics and shell escapes become blank lines."""
    return "\n".join("" if line.startswith(("%", "!")) else line for line in source.splitlines())


def sources() -> tuple[dict[str, tuple[list[str], list[str]]], set[str]]:
    """{name: (Spanish texts to spell-check, every student-visible text)} for each notebook and for course/, and
    the lower-cased identifiers of that code and Python's builtins and keywords (code names in prose are no typo).
    """
    groups = {}  # name: (markdown cells, Python sources)
    for path in NOTEBOOKS:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cells = [(c["cell_type"], "".join(c["source"])) for c in notebook["cells"]]
        groups[path.stem] = ([_NBGRADER_MARKER.sub("", text) for kind, text in cells if kind == "markdown"],
                             [code_cell_source(text) for kind, text in cells if kind == "code"])
    groups["course"] = [], [path.read_text(encoding="utf-8") for path in COURSE_FILES]
    result, names = {}, set(dir(builtins)) | set(keyword.kwlist)
    for name, (markdown, python) in groups.items():
        code = []
        for source in python:
            strings, comments, code_names = python_texts(source)
            code += strings + comments
            names |= code_names
        result[name] = markdown + [t for t in code if looks_spanish(t)], markdown + code
    return result, {n.lower() for n in names}


def word_list() -> set[str]:
    """The committed technical terms and names, lower-cased."""
    lines = (SPELLING / "palabras.txt").read_text(encoding="utf-8").splitlines()
    return {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}


def forbidden_patterns() -> list[tuple[re.Pattern, str]]:
    """(whole-word pattern, what to say instead) for each line of prohibidas.txt."""
    result = []
    for line in (SPELLING / "prohibidas.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, hint = line.split(" => ")
            result.append((re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.I | re.M), hint))
    return result


def find_dictionary() -> str | None:
    """The first of DICTIONARIES that the installed hunspell offers, or None without hunspell."""
    if shutil.which("hunspell") is None:
        return None
    listing = subprocess.run(["hunspell", "-D"], input="", capture_output=True, text=True, timeout=30)
    available = {Path(line.strip()).name for line in (listing.stdout + listing.stderr).splitlines()}
    return next((d for d in DICTIONARIES if d in available), None)


FORBIDDEN = forbidden_patterns()
DICTIONARY = find_dictionary()
needs_hunspell = pytest.mark.skipif(DICTIONARY is None, reason=f"hunspell with a Spanish dictionary "
                                    f"({' / '.join(DICTIONARIES)}) is not installed: {INSTALL_HINT}")


def hunspell_unknown(candidates: set[str]) -> set[str]:
    """The candidates (single words) that hunspell's dictionary does not know."""
    result = subprocess.run(["hunspell", "-d", DICTIONARY, "-i", "utf-8", "-l"], input="\n".join(sorted(candidates)),
                            capture_output=True, text=True, timeout=60, check=True)
    return set(result.stdout.split())


def unknown_words(texts: list[str], allowed: set[str]) -> Counter:
    """Words of `texts` that neither hunspell's dictionary nor `allowed` knows, with their counts.

    A hyphenated word passes when it is listed whole, or when each part is listed or known to hunspell.
    """
    counts = Counter(w for text in texts for w in words(text) if w.lower() not in allowed)
    bad = hunspell_unknown({p for w in counts for p in w.split("-") if p and p.lower() not in allowed})
    return Counter({w: n for w, n in counts.items() if bad.intersection(w.split("-"))})


def accentless_spanish(names: set[str]) -> set[str]:
    """The names that are Spanish words without their accent (`boton` → botón): in prose, a typo."""
    accent = str.maketrans("aeiou", "áéíóú")
    variants = {name: {name[:i] + c.translate(accent) + name[i + 1:] for i, c in enumerate(name) if c in "aeiou"}
                for name in names if name.isascii() and name.isalpha()}
    unknown = hunspell_unknown(set().union(*variants.values()))
    return {name for name, forms in variants.items() if forms - unknown}


@functools.cache
def code_names_for_prose() -> set[str]:
    """The code names a word of prose may be (CODE_NAMES), except Spanish words without their accent."""
    return CODE_NAMES - accentless_spanish(CODE_NAMES)


def seed_misuses(text: str) -> list[str]:
    """Sentences that say «semilla» for anything but a random seed.

    A sentence (split at . ! ? followed by a space, at blank lines and at list items or headings) may say
    «semilla(s)» only if it also names the randomness: a word starting with aleatori-, random, seed, rng,
    generador or baraj-, or «azar», or «fija(r) (todas) la(s) semilla(s)», «semilla fija», «misma/otra
    semilla», «semilla(s) distinta(s)», «una semilla entera», «semilla 42», «semilla = 0». So «la semilla
    ∂F/∂F = 1» and «la red de la semilla» fail.
    """
    sentences = _SENTENCE_END.split(text)
    return [" ".join(s.split()) for s in sentences if _SEED.search(s) and not _SEED_CONTEXT.search(s)]


def forbidden_uses(texts: list[str]) -> list[str]:
    """One line per forbidden expression in `texts`: the words → what the course says instead: the context."""
    found = []
    for text in texts:
        prose = strip_markup(text, keep_inline_code=True)
        for pattern, hint in FORBIDDEN:
            for match in pattern.finditer(prose):
                context = " ".join(prose[max(0, match.start() - 40):match.end() + 40].split())
                found.append(f"«{match.group()}» → {hint}: «…{context}…»")
        found += [f"«semilla» not a random seed: «{s[:160]}»" for s in seed_misuses(prose)]
    return found


SOURCES, CODE_NAMES = sources()


def test_word_list_is_sorted_unique_and_free_of_forbidden_words():
    lines = [line for line in (SPELLING / "palabras.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines == sorted(set(lines), key=str.lower), "palabras.txt: one word per line, sorted, no duplicates"
    assert forbidden_uses(lines) == []


def test_extraction_keeps_prose_and_drops_code_math_titles_and_names():
    cell = ("El **coste** $C(\\theta)$ de `np.tanh(z)` en [la guía](https://x.org/a_b) con W1, σ, 0.25, ∂F/∂ab, "
            "archivo.py, 'iu' y <b>mini-batch</b> (*Deep Learning*, «Gradient checks», «la red»):\n"
            "```python\nmala_palabra = 1\n```")
    assert words(cell) == ["coste", "guía", "con", "mini-batch", "red"]
    source = 'x = f"la red {n} tiene capas"  # una nota\n"""Doc en español."""\n'
    assert python_texts(source) == (["la red  tiene capas", "Doc en español."], [" una nota"], {"x", "n"})
    assert looks_spanish("la red  tiene capas")
    assert not looks_spanish("W1 b1 W2") and not looks_spanish("train-images-idx3-ubyte.gz")


@pytest.mark.parametrize("sentence", [
    "Fija la semilla aleatoria.", "Con la misma semilla se obtienen los mismos lotes.",
    "np.random.default_rng(seed) con semilla 42.", "Las semillas distintas dan particiones distintas.",
    "Recibe X, y y una semilla entera.",
    "La primera celda fija todas las semillas.", "El resultado depende de la semilla = 0.",
])
def test_seed_in_a_random_seed_sentence_is_allowed(sentence):
    assert seed_misuses(sentence) == []


@pytest.mark.parametrize("sentence", [
    "Los pesos de la semilla reproducen XOR.", "Se parte de la semilla ∂F/∂F = 1.",
    "Aleatoria es otra cosa.\n\n## 5. La red 2-2-1 de la semilla",
])
def test_seed_for_anything_else_is_forbidden(sentence):
    assert len(seed_misuses(sentence)) == 1


def test_forbidden_patterns_match_whole_words_only():
    allowed = "Escoge y recoge el costo; en z = 0 vale 1, no vale; la desviación estándar; presiona."
    assert forbidden_uses([allowed]) == []
    found = forbidden_uses(["¿Vale? Coge el fichero, pulsa y mira la Desviación Típica del coste. Vale, sigue."])
    assert [f.split("»")[0] for f in found] == ["«fichero", "«Coge", "«coste", "«Desviación Típica", "«pulsa",
                                               "«¿Vale?", "«Vale"]


@needs_hunspell
def test_spell_check_reports_a_misspelling_and_a_forbidden_word():
    text = "La retropropagasión calcula el gradiente del costo. Pulsa el botón para fijar la red de la semilla."
    assert list(unknown_words([text], word_list())) == ["retropropagasión"]
    found = forbidden_uses([text])
    assert len(found) == 2 and found[0].startswith("«Pulsa»") and "semilla" in found[1]


@needs_hunspell
def test_a_code_name_hides_no_missing_accent():
    assert accentless_spanish({"boton", "numero", "softmax", "seed"}) == {"boton", "numero"}


@needs_hunspell
@pytest.mark.parametrize("name", sorted(SOURCES))
def test_spelling(name):
    unknown = unknown_words(SOURCES[name][0], word_list() | code_names_for_prose())
    listing = ", ".join(f"{w} ({n})" if n > 1 else w for w, n in sorted(unknown.items(), key=lambda x: x[0].lower()))
    assert not unknown, (f"{name}: {len(unknown)} words unknown to hunspell {DICTIONARY} and to "
                         f"tests/spelling/palabras.txt (fix the spelling, or list a real technical term): {listing}")


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_no_forbidden_words(name):
    found = forbidden_uses(SOURCES[name][1])
    assert not found, f"{name}: {len(found)} forbidden expressions:\n" + "\n".join(found)
