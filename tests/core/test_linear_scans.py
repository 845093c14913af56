"""Issue 74: every scan of a page's text is linear, or capped by a located refusal.

One 40 KB line of `](` cost `tracksite check` 40 s of processor time, four times more with each
doubling (a 2 MB lesson: hours), and an import with the same line 69 s: the link finder tried the
rest of the line from every `](` (references.find_links) and so did the prose reader
(prose._NOT_PROSE). Each reader is given its patterns' worst inputs, repeated, then doubled: the
processor time may grow about twice, not four times (bounds are generous: a ratio under 3, after
a few milliseconds that any run may lose to the machine). Then check, build and import are run
on the reported line as users run them. A page of `<!--` that nothing closes is the engine's own
quadratic (its HTML reader looks for each comment's end to the end of the page): refused at its
line, by check and build alike (TS512).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from support.course import load, run_cli
from support.html_payloads import workbench_lesson
from support.sites import run_mkdocs
from tracksite.commands.cli import main
from tracksite.core.checks import content, rawhtml
from tracksite.core.markdown import complexity, prose
from tracksite.core.markdown import references as refs

SLACK = 0.005  # seconds any measurement may lose to the machine


def _seconds(run: Callable[[str], object], text: str) -> float:
    """The least processor time of three runs on `text` (each made unique, so nothing a reader
    remembers per text is reused); a first run over 2 s is not repeated."""
    best = float("inf")
    for n in range(3):
        start = time.process_time()
        run(f"{text} w{n}{time.perf_counter_ns()}\n")
        best = min(best, time.process_time() - start)
        if best > 2:
            break
    return best


def _ratio(run: Callable[[str], object], unit: str, times: int) -> float:
    once, twice = _seconds(run, "Text " + unit * times), _seconds(run, "Text " + unit * 2 * times)
    return (twice + SLACK) / (once + SLACK)


READERS: dict[str, Callable[[str], object]] = {
    "find_links": lambda text: list(refs.find_links(text, 1)),
    "prose": lambda text: prose.prose_lines(text, 1),
    "mask_code": refs.mask_code,
    "url_values": lambda text: list(refs.url_values(text)),
    "unsafe_urls": lambda text: list(refs.unsafe_urls(refs.mask_code(text), 1)),
    "raw_html": lambda text: rawhtml.findings(refs.mask_code(text), 1),
    "active_content": lambda text: content._active_content(text, 1),
    "too_complex": lambda text: complexity.too_complex(text, 1),
}
#: Each reader's worst inputs found: the start of a pattern that then runs to the line's end.
WORST = {
    "find_links": ["](", '](x "', "](<", "[a]: "],
    "prose": ["](", "<", "`", "](x "],
    "mask_code": ["`", "``a", "`a``"],
    "url_values": ["](", "href=", "=", "\\href{", "](<", ']("'],
    "unsafe_urls": ["](", "href=", "="],
    "raw_html": ["<a ", "<!--", "<svg></p>"],
    "active_content": ["](", "<", "url(", "{: "],
    "too_complex": ["<!--", "[", "| ", "> "],
}


@pytest.mark.parametrize("reader, unit", [(reader, unit) for reader, units in WORST.items() for unit in units], ids=str)
def test_each_reader_grows_linearly_on_its_worst_input(reader, unit):
    ratio = _ratio(READERS[reader], unit, 5_000)
    assert ratio < 3, f"{reader} on {unit!r}: doubling the input took {ratio:.1f}x the time"


LINE = "](" * 20_000  # 40 KB, as reported


def test_a_40_kb_line_of_link_marks_checks_and_builds_in_seconds(course):
    path = course / "lessons/alpha/a1/lesson.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\n{LINE}\n", encoding="utf-8")
    start = time.process_time()
    assert load(course).problems.errors == []
    assert time.process_time() - start < 10
    start = time.process_time()
    built = run_mkdocs(course)
    assert built.returncode == 0, built.stderr[-2000:]
    assert time.process_time() - start < 20


def test_a_40_kb_line_of_link_marks_imports_in_seconds(tmp_path, capsys):
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Tiny course"]) == 0
    source = workbench_lesson(tmp_path)
    (source / "episodes/files/page.html").write_text("<!doctype html><title>x</title><p>Plain.</p>\n")
    episode = source / "episodes/01-one.md"
    episode.write_text(episode.read_text(encoding="utf-8") + f"\n{LINE}\n", encoding="utf-8")
    start = time.process_time()
    code = main(["--root", str(course), "import", "carpentries", str(source), "--track", "tiny"])
    seconds = time.process_time() - start
    assert code == 0, "".join(capsys.readouterr())
    assert seconds < 30


def test_unclosed_comments_are_refused_at_their_line_by_check_and_build(course):
    path = course / "lessons/alpha/a1/lesson.md"
    before = path.read_text(encoding="utf-8")
    path.write_text(before + "\nA closed <!-- note --> comment.\n\n" + "<!--" * 20_000 + "\n", encoding="utf-8")
    where = f"lessons/alpha/a1/lesson.md:{before.count(chr(10)) + 4}: [TS512] page has more than 100 `<!--`"
    start = time.process_time()
    result = run_cli(course, ["check"])
    assert result.returncode == 1 and where in result.stdout, result.stdout[-2000:]
    built = run_mkdocs(course)
    assert built.returncode != 0 and where in built.stdout + built.stderr
    assert time.process_time() - start < 10
