"""`tracksite bench --runnable` keeps issue 83's budget: a runnable lesson's first visit loads at
most 90 kB of assets (gzip -9, `tools/weight.py`), the editor and Python only on the learner's
intent. A byte count of the built site, not a timing: the benchmark reports it and fails over it."""

from __future__ import annotations

from support import harness
from tracksite.tools.bench import runnable


def test_a_runnable_lesson_s_first_visit_keeps_the_budget(tmp_path):
    root, pages = runnable.write_course(tmp_path)
    site = harness.build(root)
    visit = runnable.first_visit(site, pages[0])
    assert visit["budget"] == 90_000
    assert visit["within"] and visit["assets_gzip"] <= 90_000, visit
    assert visit["on_intent_gzip"] > 100_000  # CodeMirror is there, left for the learner's intent


def test_the_report_says_within_or_over_the_budget():
    data = {
        "machine": {},
        "date": "2026-11-29",
        "published": {"files": 7, "raw": 13_000_000, "gzip": 4_000_000},
        "runs": [{"first_s": 3.0, "again_s": 0.02, "asked_raw": 12_000_000, "asked_gzip": 4_000_000}],
    }
    base = runnable.render(data, "tracksite bench --runnable")
    assert "first visit" not in base  # data from before the budget: no row
    within = {"assets_gzip": 87_637, "on_intent_gzip": 140_125, "budget": 90_000, "within": True}
    row = "| a runnable lesson's first visit, assets (budget 90,000 B) | 87,637 B gzip, within the budget;"
    assert row in runnable.render({**data, "first_visit": within}, "x")
    over = {**within, "assets_gzip": 91_452, "within": False}
    assert "91,452 B gzip, **over** the budget" in runnable.render({**data, "first_visit": over}, "x")


def test_every_bundled_lesson_with_runnable_code_keeps_the_budget(built_site):
    """The budget holds for the course's own lessons, not only for the benchmark's: a lesson that
    also shows a quiz and flashcards links their scripts too (issue 87 split them out of the
    shared runtime), so the heaviest real lesson is the one that must fit."""
    pages = [
        p.parent.relative_to(built_site).as_posix() + "/"
        for p in built_site.rglob("index.html")
        if 'data-widget="runnable"' in p.read_text(encoding="utf-8") and "/instructor/" not in p.as_posix()
    ]
    assert len(pages) >= 5, pages  # both tracks' lessons with code exercises
    over = {
        page: visit["assets_gzip"] for page in pages if not (visit := runnable.first_visit(built_site, page))["within"]
    }
    assert not over, over
