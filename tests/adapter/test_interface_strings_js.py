"""Issue 42: every word the widgets' JavaScript shows a learner comes from the message catalogue
(theme/messages/, the `script:` part the page carries in data-messages), so a Spanish track's
heatmap, stepper, progress and review speak Spanish.

The scripts are read token by token (comments, strings, template literals and regular expressions
told apart); a string literal that reads as English prose, or a capitalised word, fails the test
unless it is one of the few kinds that are never shown: a key name compared with `e.key`, a console
message, a thrown error's text.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from tracksite.core import messages

PACKAGE = Path(__file__).resolve().parents[2] / "scripts" / "tracksite"
#: The scripts pages load. The search engine (beside the indexer) is left out: its words are its
#: own suffix tables, and it writes nothing on a page, which the test below holds.
SCRIPTS = sorted(
    [*(PACKAGE / "theme" / "assets" / "tracksite").glob("*.js"), *(PACKAGE / "core" / "widgets").glob("*/*.js")]
)
ENGINE = PACKAGE / "search" / "search-engine.js"

#: Not shown to a learner: where a literal's preceding code ends like this.
# a Blob's text is a script's source, never shown (runnable.js's worker boot)
# a keymap's key name (`{ key: "Escape", run }`, CodeMirror's), and any error's text (a TypeError too)
NOT_SHOWN = re.compile(
    r"(\bkey\s*[!=]==?\s*|\bkey:\s*|\bconsole\.\w+\(\s*|\bnew \w*Error\(\s*|\bnew Blob\(\[\s*|\"use strict\"|^)$"
)
#: Literals of a script that are source or a developer's word, never a learner's: the sandboxed
#: frame's own document and policy, the forms of the vendored Pyodide it checks, its hidden
#: frame's title, and why the frame failed (after "Python could not start", issue 81); Python
#: source the worker runs.
SOURCE_TEXTS = {
    "runnable-sandbox.js": {
        "default-src 'none'; script-src 'wasm-unsafe-eval'; worker-src blob:; connect-src 'none'; ",
        ": not the vendored Pyodide this tracksite knows",
        "export default _createPyodideModule;",
        "Python",
        '<!doctype html><script src="',
        '<meta http-equiv="Content-Security-Policy" content="',
        "runnable-frame.js: not loaded",
        "<!doctype html><script>",  # the frame's script inline, in the offline copy (issue 82)
    },
    # Python source the worker runs: the runner kept in the saved interpreter (issue 81)
    "runnable-worker.js": {
        'import importlib, sys\nm = sys.modules.get("tracksite_runner")\nif m is None or getattr(m, "_ts_source", None) != source:\n    sys.modules.pop("tracksite_runner", None)\n    importlib.invalidate_caches()\n    importlib.import_module("tracksite_runner")._ts_source = source',
    },
}
PROSE = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,}|^\s*[A-Z][a-z]{2,}\b|^ [a-z]{3,}")


def literals(source: str) -> list[tuple[int, str, str]]:
    """(line, text, code before it) of each string literal and each text part of a template
    literal; comments and regular expression literals are skipped."""
    found: list[tuple[int, str, str]] = []
    i, line, prev, braces = 0, 1, "(", []  # braces: the `${` nesting of open template literals
    n = len(source)
    while i < n:
        c = source[i]
        if c == "\n":
            line += 1
        if c.isspace():
            i += 1
            continue
        if source.startswith("//", i):
            i = source.find("\n", i) if "\n" in source[i:] else n
            continue
        if source.startswith("/*", i):
            end = source.index("*/", i + 2)
            line += source.count("\n", i, end)
            i = end + 2
            continue
        if c in "\"'":
            j = i + 1
            while source[j] != c:
                j += 2 if source[j] == "\\" else 1
            found.append((line, source[i + 1 : j], source[max(0, i - 40) : i]))
            i, prev = j + 1, '"'
            continue
        if c == "`" or (c == "}" and braces and braces[-1] == 0):
            if c == "}":
                braces.pop()
            j, start = i + 1, line
            while source[j] != "`" and not source.startswith("${", j):
                line += source[j] == "\n"
                j += 2 if source[j] == "\\" else 1
            found.append((start, source[i + 1 : j], source[max(0, i - 40) : i]))
            if source[j] == "`":
                i = j + 1
            else:
                braces.append(0)
                i = j + 2
            prev = '"'
            continue
        if c == "{" and braces:
            braces[-1] += 1
        elif c == "}" and braces:
            braces[-1] -= 1
        if c == "/" and prev in "(,=:[!&|?{};+":  # a regular expression literal
            j, in_class = i + 1, False
            while in_class or source[j] != "/":
                in_class = (in_class or source[j] == "[") and source[j] != "]"
                j += 2 if source[j] == "\\" else 1
            i, prev = j + 1, '"'
            continue
        word = re.match(r"[A-Za-z_$][\w$]*|\d[\w.]*", source[i:])
        if word:
            i += len(word.group(0))
            prev = "(" if word.group(0) in ("return", "typeof", "case") else "a"
            continue
        prev, i = c, i + 1
    return found


def shown_english(path: Path) -> list[str]:
    """The literals of a script that read as English words for a learner."""
    out = []
    for line, text, before in literals(path.read_text(encoding="utf-8")):
        words = re.sub(r"\\u[0-9a-fA-F]{4}", " ", text)
        if text == "use strict" or all(re.search(r"[-_.\[:#]", token) for token in words.split()):
            continue  # class names, selectors, storage keys
        if re.search(r"(^|\s)[.#\[][a-z]", words):
            continue  # a selector: ".md-content pre > code"
        if text in SOURCE_TEXTS.get(path.name, ()):
            continue
        if PROSE.search(words) and not NOT_SHOWN.search(before.rstrip()):
            out.append(f"{path.name}:{line}: {text!r}")
    return out


def test_the_reader_finds_english_where_it_is():
    """The check itself: it reads strings, template literals and their parts, and skips comments,
    regular expressions and key names."""
    sample = (
        '/* "Not this" */ const a = "Loading the data\\u2026"; // "nor this"\n'
        'const b = `Step ${i + 1} of ${n}`; const r = /"x y"/g;\n'
        'if (e.key === "Escape") go(); console.error("tracksite widget:", e); t("atLayer");\n'
        'el.className = "ts-btn ts-btn--primary"; label(" completed");\n'
    )
    path = Path(__file__).parent / "_sample.js"
    path.write_text(sample, encoding="utf-8")
    try:
        found = [entry.split(": ", 1)[1] for entry in shown_english(path)]
    finally:
        path.unlink()
    assert found == ["'Loading the data\\\\u2026'", "'Step '", "' completed'"], found


@pytest.mark.parametrize("script", [p.name for p in SCRIPTS])
def test_a_script_shows_no_english_literal_outside_the_catalogue(script):
    english = shown_english(next(p for p in SCRIPTS if p.name == script))
    assert not english, "show these through t(key) and the catalogue's script: part:\n" + "\n".join(english)


def test_the_engine_writes_nothing_on_a_page():
    source = ENGINE.read_text(encoding="utf-8")
    assert not re.search(r"textContent|innerHTML|createElement|setAttribute|\.append\(", source)


def test_every_key_a_script_asks_for_is_in_the_catalogue():
    english = messages.catalogue("en").script
    asked = set()
    for path in SCRIPTS:
        asked |= set(re.findall(r"\bt\(\s*\"(\w+)\"", path.read_text(encoding="utf-8")))
        asked |= {
            k for pair in re.findall(r"\bt\([^()]*\?\s*\"(\w+)\"\s*:\s*\"(\w+)\"", path.read_text()) for k in pair
        }
    assert asked and not asked - set(english), sorted(asked - set(english))


@pytest.mark.parametrize("lang", [lang for lang in messages.COMPLETE if lang != "en"])
def test_each_languages_script_strings_fill_the_same_names(lang):
    english, own = messages.catalogue("en").script, messages.catalogue(lang).script
    for key, text in english.items():
        names = sorted(name for _, name, _, _ in string.Formatter().parse(text) if name)
        assert sorted(name for _, name, _, _ in string.Formatter().parse(own[key]) if name) == names, (lang, key)
