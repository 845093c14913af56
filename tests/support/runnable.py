"""Runnable exercises for tests: an exercise, an endless loop and a runnable predict block in a lesson of the
fixture course, the block rendered alone, and learners' answers the feedback tests give."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

import markdown
from bs4 import BeautifulSoup

from support.course import REPO, lesson_md, make_course, write
from support.serving import Recorder
from tracksite.adapter.blocks import TracksiteBlocksExtension, WidgetContext
from tracksite.core.markdown.blocks import find_blocks, iter_blocks
from tracksite.localserver import serve_folder

EXERCISE = """/// runnable | Gradient step
code: |
  def step(w, grad, lr):
      # return the new weight
      return w
  print(step(1.0, 0.5, 0.1))
tests: |
  assert abs(step(1.0, 0.5, 0.1) - 0.95) < 1e-9
  assert step(2.0, 0.0, 0.3) == 2.0
solution: |
  def step(w, grad, lr):
      return w - lr * grad
  print(step(1.0, 0.5, 0.1))
hint: Move against the gradient, by the learning rate times its size.
timeout: 5
///
"""


def runnable_course(root: Path) -> Path:
    """The fixture course with LESSON as lesson alpha/a1 (the other lessons run no code)."""
    make_course(root)
    write(root, "lessons/alpha/a1/lesson.md", lesson_md("First lesson", body=LESSON))
    return root


def render(text: str, islands: bool = False) -> BeautifulSoup:
    context = WidgetContext("track/lesson", Path.cwd(), islands=islands)
    md = markdown.Markdown(
        extensions=["pymdownx.highlight", "pymdownx.superfences", TracksiteBlocksExtension(context=lambda: context)]
    )
    return BeautifulSoup(md.convert(text), "lxml")


START = 90_000  # ms: Python's first start in a loaded CI machine's Chromium (seconds on a quiet one)
#: how many files the page's Cache Storage holds of the interpreter's saved memory (issue 70)
SAVED_MEMORY = "async () => (await (await caches.open('tracksite-python-memory')).keys()).length"
#: the learner's code and progress go, the note of the saved memory's digest stays (it is no progress)
FORGET_PROGRESS = """() => Object.keys(localStorage).filter((k) => !k.includes(':python-memory'))
  .forEach((k) => localStorage.removeItem(k))"""


#: "Mask the future" without subtracting the row's largest score: exp(800) overflows in the
#: learner's own line 6, called by a test line that is not an assert.
MASK_OVERFLOWS = """from math import exp

def masked_weights(scores):
    rows = []
    for i, row in enumerate(scores):
        e = [exp(s) for s in row[: i + 1]]
        rows.append([x / sum(e) for x in e] + [0.0] * (len(row) - i - 1))
    return rows

def training_pairs(tokens):
    return [(tokens[:t], tokens[t]) for t in range(1, len(tokens))]
"""


#: "A KV cache" attending before caching: the first step stops in the author's `attend`.
KV_ATTENDS_FIRST = """from math import exp, sqrt

def attend(q, keys, values):
    scores = [sum(a * b for a, b in zip(q, k)) / sqrt(len(q)) for k in keys]
    top = max(scores)
    w = [exp(s - top) for s in scores]
    return [sum(wi * v[j] for wi, v in zip(w, values)) / sum(w) for j in range(len(values[0]))]

def decode_step(cache, q, k, v):
    out = attend(q, cache["keys"], cache["values"])
    cache["keys"].append(k)
    cache["values"].append(v)
    return out

cache = {"keys": [], "values": []}
for q, k, v in [([1.0, 0.0], [1.0, 0.0], [1.0, 2.0])]:
    print(decode_step(cache, q, k, v))
"""


LOOP = """/// runnable | Forever
code: |
  print("start")
  while True:
      pass
timeout: 3
///
"""


PREDICT = """/// predict
code: |
  print(sum(range(4)))
output: "6"
explain: Zero, one, two and three add up to six.
runnable: true
///
"""


#: The lesson the browser tests build: an exercise, an endless loop, a runnable predict block.
LESSON = "## Practice\n\n" + EXERCISE + "\n" + LOOP + "\n" + PREDICT + "\n" + "Words to read here. " * 40 + "\n"


#: issue 85's exercises (tests/core/widgets/runnable/test_runnable_feedback_browser.py): two shipped, a
#: synthetic one whose assert has no message, and two that open their solution by the author's policy
SYNTHETIC = """/// runnable | Double it
code: |
  def double(x):
      return x
tests: |
  print("hidden check running")
  assert double(3) == 6
solution: |
  def double(x):
      return 2 * x
///
"""


AFTER_TWO = SYNTHETIC.replace("Double it", "Double it again").replace(
    "///\n", "show_solution: after 2 checks\n///\n", 1
)
ON_PASS = SYNTHETIC.replace("Double it", "Double it once more").replace("///\n", "show_solution: on pass\n///\n", 1)


def shipped(lesson: str, title: str) -> str:
    """A runnable block as the bundled course's lesson writes it."""
    text = (REPO / "lessons" / lesson / "lesson.md").read_text(encoding="utf-8")
    found = re.search(rf"^/// runnable \| {re.escape(title)}\n.*?^///$", text, re.M | re.S)
    assert found, title
    return found.group(0) + "\n"


def feedback_blocks() -> str:
    return "\n".join(
        [
            shipped("transformers-and-llms/next-token-prediction", "Mask the future, then count the lessons"),
            shipped("transformers-and-llms/scaling-and-context", "A KV cache, one token at a time"),
            SYNTHETIC,
            AFTER_TWO,
            ON_PASS,
        ]
    )


#: the two exercises that train a model in the page (issues 71 and 86), in their bundled lessons
TITLE = "Backpropagation, then train a network with it"
ERA = "lessons/deep-learning-survey/deep-learning-era/lesson.md"
TRANSFORMER = "Train a one-layer transformer to reverse a word"
NEXT_TOKEN = "lessons/transformers-and-llms/next-token-prediction/lesson.md"


def lesson_block(path: str = ERA, title: str = TITLE) -> tuple[str, str]:
    """The exercise block as the lesson writes it, and its solution."""
    text = (REPO / path).read_text(encoding="utf-8")
    lines = text.split("\n")
    blocks, _ = find_blocks(text)
    [block] = [b for b in iter_blocks(blocks) if b.name == "runnable" and (b.argument or "").strip() == title]
    source = "\n".join(lines[block.line - 1 : block.end_line])
    solution = source.split("\nsolution: |\n", 1)[1].split("\nhint:", 1)[0]
    return source + "\n", "\n".join(line[2:] for line in solution.split("\n"))


def runnable_package_course(root: Path) -> Path:
    """runnable_course, with issue 85's exercises as lesson beta/b1 and the two that train a
    model as alpha/a3 and beta/b2 (under the heading a2's link names): the course the browser
    tests of tests/core/widgets/runnable/ share (its conftest.py), one learner's Python serving
    them."""
    runnable_course(root)
    write(root, "lessons/beta/b1/lesson.md", lesson_md("Beta one", body="## Practice\n\n" + feedback_blocks()))
    network, _ = lesson_block()
    write(root, "lessons/alpha/a3/lesson.md", lesson_md("Third lesson", body="## Train\n\n" + network))
    transformer, _ = lesson_block(NEXT_TOKEN, TRANSFORMER)
    write(root, "lessons/beta/b2/lesson.md", lesson_md("Beta two", body="## Deep section\n\n" + transformer))
    return root


# -- what exercise code must not reach (issue 69): one list, for the hidden tests of
# test_runnable_policy.py and the learner's code of tests/browser/test_code_channels.py (one worker
# runs both) ---------------------------------------------------------------------------------------


class OtherOrigin(Recorder):
    """Another origin, which lets any page read its answers: what reaches it."""

    seen: list[str] = []


@contextlib.contextmanager
def other_origin(folder: Path) -> Iterator[str]:
    """Serve another origin from `folder` (with the script a dynamic `import()` asks for); its base URL."""
    (folder / "import.js").write_text("fetch(location.origin + '/imported');\n", encoding="utf-8")
    with serve_folder(folder, OtherOrigin) as base:
        yield base


#: the attempts that throw in Python at once; the others' promises fail unseen, and only the
#: servers can tell that no request arrived
REFUSED_AT_ONCE = ("eval", "function", "xhr", "caches")


def attempts(other: str, own: str = "") -> str:
    """Python that reaches for another origin `other` by every way Pyodide's `js` offers (`fetch`, a
    POST, `eval`, `Function`, a synchronous request, a dynamic `import()`), for a file of the
    hosting origin outside the course (`/secret.txt`) and for the Cache Storage that keeps the
    interpreter's memory, and (given `own`) for that page of the origin that serves the course
    synchronously; each attempt prints whether it went or was refused. It needs a name `js`."""
    lines = [
        "def attempt(name, act):",
        "    try:",
        "        act()",
        '        print(name, "went")',
        "    except BaseException as e:",
        '        print(name, "refused", type(e).__name__)',
        "def xhr(url):",
        "    x = js.XMLHttpRequest.new()",
        '    x.open("GET", url, False)',
        "    x.send()",
        *([f'attempt("own", lambda: xhr("{own}"))'] if own else []),
        f'attempt("fetch", lambda: js.fetch("{other}fetch"))',
        f'attempt("post", lambda: js.fetch("{other}post", js.Object.fromEntries([["method", "POST"]])))',
        f'attempt("eval", lambda: js.eval("fetch(\'{other}eval\'); 1"))',
        f'attempt("function", lambda: js.Function("return fetch(\'{other}function\')")())',
        f'attempt("xhr", lambda: xhr("{other}xhr"))',
        'attempt("outside", lambda: js.fetch("/secret.txt"))',
        f'attempt("import", lambda: js.eval("import(\'{other}import.js\')"))',
        'attempt("caches", lambda: js.caches.open("tracksite-python"))',
    ]
    return "\n".join(lines) + "\n"


def held(printed: str, *also: str) -> None:
    """Every attempt that throws was refused (and those of `also`), and no request reached the other origin."""
    assert OtherOrigin.seen == [], f"requests reached another origin: {OtherOrigin.seen}\n{printed}"
    for name in (*REFUSED_AT_ONCE, *also):
        assert f"{name} refused" in printed, printed
