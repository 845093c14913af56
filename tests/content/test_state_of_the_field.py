"""The state of the field, vendor by vendor, from the makers' own pages (issue 86).

Track 4's snapshot says what enters it and as of when; each major maker has a 2026 release with
its month and the page it was checked against, or a sentence saying that no such page was found;
numbers no maker's page gives are gone; and Track 5's dated model list and benchmark table say the
same things, with the same months.
"""

from __future__ import annotations

import re

from support.course import REPO

LESSONS = REPO / "lessons"


def read(path: str) -> str:
    return (REPO / path).read_text(encoding="utf-8")


def snapshot() -> str:
    body = read("lessons/deep-learning-survey/limits-and-frontiers/lesson.md")
    return body[body.index("## The state of the field") : body.index("Four frontiers stand out.")]


def row(topic: str) -> tuple[str, str]:
    """(what the row says, what it was checked against) of the snapshot's row on `topic`."""
    line = next(r for r in snapshot().splitlines() if r.startswith(f"| {topic} |"))
    cells = [c.strip() for c in line.strip("|").split(" | ")]
    return cells[1], cells[2]


def test_the_snapshot_states_its_rule_and_its_date():
    text = snapshot()
    rule = next(p for p in text.split("\n\n") if p.startswith("**What enters the snapshot.**"))
    for words in (
        "maker's own page",
        "third parties are not used",
        "gives no month, the entry says so",
        "instead of guessing",
    ):
        assert words in rule, words
    assert "As of late 2026 it is a snapshot, not a live feed" in text
    assert "missing by construction" in text


# (maker, a 2026 release with its month as the row writes it, words of its source in the last column)
RELEASES = [
    ("OpenAI", "GPT-5.5 (April 2026, snapshot `gpt-5.5-2026-04-23`)", "OpenAI's API changelog"),
    ("OpenAI", "GPT-5.4 (March 2026, by its snapshot name", "deprecations page (22 April 2026)"),
    ("Google", "Gemini 3.6 Flash (generally available 21 July 2026)", "the Gemini API changelog"),
    ("Anthropic", "Claude Opus 4.7 (April 2026)", "Amazon Bedrock's model card (launch 16 April 2026)"),
    ("Anthropic", "Claude Opus 5 (released 24 July 2026)", '"Released July 24, 2026" for Claude Opus 5'),
]
OPEN_RELEASES = [
    ("Alibaba", "Qwen3.5 (16 February 2026)", "QwenLM/Qwen3.6"),
    ("Alibaba", "Qwen3.6-35B-A3B (16 April 2026)", "QwenLM/Qwen3.6"),
    ("DeepSeek", "DeepSeek-V4 (preview, April 2026)", "DeepSeek-V4"),
    ("Mistral", "Mistral Medium 3.5 (version 26.04, April 2026", "Mistral's model documentation"),
]


def test_each_major_maker_has_a_2026_release_with_its_month_and_source():
    for topic, releases in (("Closed models", RELEASES), ("Open-weight models", OPEN_RELEASES)):
        says, checked = row(topic)
        for maker, release, source in releases:
            assert release in says, (maker, release)
            assert source in checked, (maker, source)
        assert "(November 2026)" in checked


def test_makers_without_a_page_of_their_own_are_said_so_and_months_are_not_guessed():
    closed, _ = row("Closed models")
    opened, _ = row("Open-weight models")
    assert "xAI: no release of 2026 could be checked against a page of xAI's own" in closed
    assert "Meta and Moonshot AI: no 2026 release checked against their own pages" in opened
    assert (
        "Claude Opus 5.5, which Anthropic's pages call its current Opus model by November 2026 without giving its month"
        in closed
    )
    assert not re.search(
        r"Opus 5\.5 \((January|February|March|April|May|June|July|August|September|October|November|December)", closed
    )
    assert "Gemma 4 (E2B, E4B, 26B-A4B and 31B), whose release month no Google page found here states" in opened


def test_numbers_no_makers_page_gives_are_gone():
    course = " ".join(
        p.read_text(encoding="utf-8") for p in [*LESSONS.rglob("*.md"), *(REPO / "cheatsheets").rglob("*.md")]
    )
    assert "DeepSeek-V4 129,280" not in course and "DeepSeek-V3 and DeepSeek-V4 129,280" not in course
    assert not re.search(r"262,144(?!,000)", course), "Gemma 3's configuration says 262,208"
    vocab, checked = row("Vocabularies")
    assert "Gemma 3 262,208" in vocab and "DeepSeek-V4's is not listed" in vocab and "configuration" in vocab


def test_track_5_model_list_is_in_step_with_the_snapshot():
    lesson = read("lessons/transformers-and-llms/adapting-and-serving-llms/lesson.md")
    section = lesson[lesson.index("## Dated examples: models released in 2025 and 2026") : lesson.index("## Practice")]
    assert "November 2026" in section and "its maker's own page names it" in section
    closed, _ = row("Closed models")
    opened, _ = row("Open-weight models")
    both = closed + opened
    listed = re.findall(r"\*\*([^*]+)\*\* \(([A-Z][a-z]+ 2026)", section)
    assert len(listed) >= 6, listed
    for name, month in listed:
        assert re.search(re.escape(name) + r" \((?:[^)]*?)?(\d+ )?" + month.split()[0], both), (name, month)


def test_track_5_benchmark_table_names_the_benchmarks_of_2026_reports():
    lesson = read("lessons/transformers-and-llms/using-llms/lesson.md")
    table = lesson[lesson.index("| Benchmark | What it asks |") : lesson.index("A score is an estimate")]
    _, checked = row("Benchmarks")
    says, _ = row("Benchmarks")
    for name in ("SWE-bench Verified", "GPQA Diamond", "Humanity's Last Exam", "ARC-AGI-2"):
        assert f"| {name} (" in table and name in says, name
    assert "saturated" in table and "#the-state-of-the-field" in table
