"""`tracksite new`, `move` and `rename` on a copy of the bundled course: every result checks
clean, builds with --strict and reads right; every refusal changes nothing and says why.

A new lesson (track 4), a new track and a rename (track 5) touch different tracks, so they are
made one after the other on one copy (`scaffolded`), each checked when it is made, and that copy
is built once for learners and once as the drafts' preview: three tests read those two sites,
where each built its own (a build of the bundled course is seconds of processor time)."""

from __future__ import annotations

import hashlib
import pickle
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from support import harness
from support.course import REPO, load, share_verdicts
from support.harness import page
from support.sites import build_once
from tracksite.commands.changes import Changes
from tracksite.commands.cli import main as cli_main
from tracksite.commands.rename import rewrite_references
from tracksite.commands.trackfile import TrackFile
from tracksite.core.markdown.references import find_links
from tracksite.core.site import redirects
from tracksite.errors import SourceProblem

T4, T5 = "deep-learning-survey", "transformers-and-llms"
BANNED = ("coming soon", "todo", "tbd", "lorem", "placeholder", "fixme")


def copy_bundled(root: Path) -> Path:
    """A copy of the repository's course in `root`: config, sources, theme and guides."""
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for name in ("lessons", "cheatsheets", "overrides", "docs"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    return share_verdicts(root)


@pytest.fixture
def bundled(tmp_path) -> Path:
    return copy_bundled(tmp_path / "course")


def ts(root: Path, *args: str, process: bool = False) -> subprocess.CompletedProcess:
    """The CLI as an instructor runs it in `root`, through its entry point in this process
    (tests/support/harness.py), or in its own process with `process=True`."""
    result = harness.tracksite(*args, cwd=root, process=process)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def check(root: Path) -> list[str]:
    """Errors and warnings of `tracksite check`, asserting there are no errors."""
    result = ts(root, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 errors" in result.stderr
    return [l for l in result.stdout.splitlines() if l.strip()]


def baseline_warnings() -> set[str]:
    return set(check(REPO))


def build(root: Path, *, drafts: bool = False) -> Path:
    site = root / ("site-drafts" if drafts else "site")
    if drafts:
        result = ts(root, "build", "--drafts", "--site-dir", str(site))
        assert result.returncode == 0, result.stderr[-5000:]
        return site
    return harness.build(root)


def where(site: Path, url: str) -> str:
    return " ".join(page(site, url).select_one(".ts-lesson-header__where").get_text(" ", strip=True).split())


def pager(site: Path, url: str) -> dict[str, str]:
    return {a["rel"][0]: a["href"] for a in page(site, url).select(".ts-pager a")}


def tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if "site" in path.relative_to(root).parts[:1]:
            continue
        h.update(path.relative_to(root).as_posix().encode())
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


# -- one copy, three changes, two builds ----------------------------------------------------------
@dataclass
class Scaffolded:
    """The copy after a new lesson in track 4, a new track and a rename in track 5, what each
    command said (and the tree or check right after it), and the copy's two sites."""

    root: Path
    runs: dict[str, subprocess.CompletedProcess] = field(default_factory=dict)
    kept: dict[str, object] = field(default_factory=dict)
    site: Path = Path()
    preview: Path = Path()


def _new_lesson(made: Scaffolded) -> None:
    yml = made.root / f"lessons/{T4}/track.yml"
    made.kept["before_yml"] = yml.read_text()
    made.runs["new lesson"] = ts(
        made.root, "new", "lesson", T4, "normalisation", "--title", "Normalisation layers", "--after", "convolutions"
    )
    made.kept["after_yml"] = yml.read_text()
    made.kept["warnings after new lesson"] = check(made.root)


def _new_track(made: Scaffolded) -> None:
    made.runs["new track"] = ts(
        made.root,
        "new",
        "track",
        "nlp-basics",
        "--number",
        "6",
        "--title",
        "Language processing basics",
        "--summary",
        "Text as data, from characters to tokens.",
    )
    made.kept["nlp track.yml"] = (made.root / "lessons/nlp-basics/track.yml").read_text()
    made.runs["new lesson in the new track"] = ts(
        made.root, "new", "lesson", "nlp-basics", "tokenizers", "--title", "Tokenizers"
    )
    check(made.root)


def _scaffold(folder: Path) -> None:
    made = Scaffolded(copy_bundled(folder / "course"))
    _new_lesson(made)
    _new_track(made)
    made.runs["rename"] = ts(made.root, "rename", T5, "attention-mechanism", "self-attention", "--redirect")
    made.site, made.preview = build(made.root), build(made.root, drafts=True)
    (folder / "made.pickle").write_bytes(pickle.dumps(made))


@pytest.fixture(scope="session")
def scaffolded(tmp_path_factory) -> Scaffolded:
    """Made once a test run, whichever xdist worker asks first (support.sites.build_once); the tests
    read what it recorded and its two sites, and only the rename test changes its sources after."""
    return pickle.loads((build_once(tmp_path_factory, "scaffolded", _scaffold) / "made.pickle").read_bytes())


# -- new lesson ---------------------------------------------------------------------------------
@pytest.mark.slow
def test_new_lesson_checks_builds_and_renumbers(scaffolded):
    result = scaffolded.runs["new lesson"]
    assert result.returncode == 0, result.stderr
    assert "Lesson 5 of 11" in result.stdout
    # track.yml: exactly one line more, every comment and line kept
    before_yml, after_yml = scaffolded.kept["before_yml"], scaffolded.kept["after_yml"]
    added = [l for l in after_yml.splitlines() if l not in before_yml.splitlines()]
    assert added == ["      - normalisation"]
    assert after_yml.replace("      - normalisation\n", "", 1) == before_yml
    assert (
        after_yml.index("- convolutions")
        < after_yml.index("- normalisation")
        < after_yml.index("- beyond-classification")
    )
    # clean check: no error, and no warning about the new lesson
    assert not [w for w in scaffolded.kept["warnings after new lesson"] if "normalisation" in w]
    # the learner site leaves the draft out, and its numbering is unchanged
    site, preview = scaffolded.site, scaffolded.preview
    assert not (site / T4 / "normalisation").exists()
    assert where(site, f"{T4}/beyond-classification") == "Track 4 · Phase 2: Seeing with networks · Lesson 5 of 10"
    # the preview shows it in place, and everything after it moves up one
    assert where(preview, f"{T4}/normalisation") == "Track 4 · Phase 2: Seeing with networks · Lesson 5 of 11"
    assert where(preview, f"{T4}/beyond-classification") == "Track 4 · Phase 2: Seeing with networks · Lesson 6 of 11"
    assert where(preview, f"{T4}/limits-and-frontiers").endswith("Lesson 11 of 11")
    assert pager(preview, f"{T4}/convolutions")["next"] == "../normalisation/"
    assert pager(preview, f"{T4}/normalisation") == {"prev": "../convolutions/", "next": "../beyond-classification/"}
    for kind in ("overview", "cheatsheet"):
        assert (preview / T4 / "normalisation" / kind / "index.html").is_file()
    assert page(preview, f"{T4}/normalisation").select_one(".ts-banner--draft") is not None


def test_new_lesson_files_are_starter_text_that_validates(bundled):
    result = ts(
        bundled,
        "new",
        "lesson",
        T5,
        "mixture-of-experts",
        "--title",
        "Mixture of experts: routing tokens",
        "--summary",
        "How a router sends each token to a few expert networks.",
        "--objective",
        "explain how a router picks experts for each token",
    )
    assert result.returncode == 0, result.stderr
    files = [
        bundled / f"lessons/{T5}/mixture-of-experts/lesson.md",
        bundled / f"lessons/{T5}/mixture-of-experts/overview.md",
        bundled / f"cheatsheets/{T5}/mixture-of-experts.md",
    ]
    for f in files:
        text = f.read_text().lower()
        assert not [b for b in BANNED if b in text], f
    lesson = files[0].read_text()
    assert lesson.startswith('---\ntitle: "Mixture of experts: routing tokens"\n')
    assert "summary: How a router sends each token to a few expert networks.\n" in lesson
    assert "  - explain how a router picks experts for each token\n" in lesson
    assert "\nstatus: draft " in lesson
    assert "## Practice" in lesson and "/// flashcards" in lesson and "//// exercise" in lesson
    for heading in ("What you'll learn", "Where this fits", "Before you start", "About the math"):
        assert f"## {heading}\n" in files[1].read_text()
    # at the end of the track when nothing says where
    assert TrackFile(bundled / f"lessons/{T5}/track.yml").slugs[-1] == "mixture-of-experts"
    assert set(check(bundled)) == baseline_warnings()  # its objective is practised by the starter flashcard
    # publishing is deleting one line: the starter files are a valid published lesson
    files[0].write_text("\n".join(l for l in lesson.split("\n") if not l.startswith("status:")))
    check(bundled)


def test_new_lesson_with_a_new_phase_and_first(bundled):
    assert ts(bundled, "new", "lesson", T5, "history", "--title", "A short history", "--first").returncode == 0
    assert (
        ts(
            bundled, "new", "lesson", T5, "evaluation", "--title", "Evaluating models", "--phase", "Using models"
        ).returncode
        == 0
    )
    assert (
        ts(
            bundled, "new", "lesson", T5, "benchmarks", "--title", "Benchmarks", "--phase", "using models", "--first"
        ).returncode
        == 0
    )
    tf = TrackFile(bundled / f"lessons/{T5}/track.yml")
    assert [(p.title, p.lessons[:1]) for p in tf.phases] == [
        ("Inside the transformer", ["history"]),
        ("From transformers to language models", ["next-token-prediction"]),
        ("Putting language models to work", ["using-llms"]),
        ("Using models", ["benchmarks"]),
    ]
    assert tf.phases[-1].lessons == ["benchmarks", "evaluation"]
    check(bundled)


# -- new track ----------------------------------------------------------------------------------
@pytest.mark.slow
def test_new_track_and_its_lessons_build(scaffolded):
    result = scaffolded.runs["new track"]
    assert result.returncode == 0, result.stderr
    text = scaffolded.kept["nlp track.yml"]
    assert "number: 6\ntitle: Language processing basics\nsummary: Text as data, from characters to tokens.\n" in text
    assert "  - title: Getting started\n    lessons:\n      - introduction\n" in text
    assert scaffolded.runs["new lesson in the new track"].returncode == 0  # and the copy checked clean after it
    site = scaffolded.site  # a track of drafts only is left out of the learner site
    assert not (site / "nlp-basics").exists()
    home = page(site, "")
    assert "Language processing basics" not in home.get_text()
    preview = scaffolded.preview
    assert where(preview, "nlp-basics/introduction") == "Track 6 · Phase 1: Getting started · Lesson 1 of 2"
    assert where(preview, "nlp-basics/tokenizers") == "Track 6 · Phase 1: Getting started · Lesson 2 of 2"
    assert (
        page(preview, "nlp-basics/introduction").select_one("h1").get_text(strip=True)
        == "Introduction to language processing basics"
    )


# -- move ---------------------------------------------------------------------------------------
@pytest.mark.slow
def test_move_renumbers_everywhere(bundled):
    result = ts(bundled, "move", T4, "convolutions", "--after", "deep-learning-era")
    assert result.returncode == 0, result.stderr
    assert "convolutions is Lesson 2 of 10" in result.stdout
    check(bundled)
    site = build(bundled)
    assert where(site, f"{T4}/convolutions") == "Track 4 · Phase 1: Foundations and sequences · Lesson 2 of 10"
    assert where(site, f"{T4}/recurrence-and-its-limits").endswith("Lesson 3 of 10")
    assert where(site, f"{T4}/beyond-classification") == "Track 4 · Phase 2: Seeing with networks · Lesson 5 of 10"
    assert pager(site, f"{T4}/deep-learning-era")["next"] == "../convolutions/"
    assert pager(site, f"{T4}/convolutions") == {
        "prev": "../deep-learning-era/",
        "next": "../recurrence-and-its-limits/",
    }
    assert pager(site, f"{T4}/attention-and-transformers")["next"] == "../beyond-classification/"
    track_page = page(site, T4)
    titles = [a.get_text(" ", strip=True) for a in track_page.select(".ts-lessons__title a")]
    assert titles[1].startswith("Convolutions")
    # addresses carry slugs: the page did not move, and links into it still resolve
    assert (site / T4 / "convolutions" / "cheatsheet" / "index.html").is_file()


def test_move_between_phases_creates_and_removes_phases(bundled):
    yml = bundled / f"lessons/{T4}/track.yml"
    original = yml.read_text()
    assert ts(bundled, "move", T4, "limits-and-frontiers", "--phase", "Open problems").returncode == 0
    tf = TrackFile(yml)
    assert tf.phases[-1].title == "Open problems" and tf.phases[-1].lessons == ["limits-and-frontiers"]
    assert ts(bundled, "move", T4, "limits-and-frontiers", "--after", "language-models-at-scale").returncode == 0
    assert yml.read_text() == original  # the emptied phase is gone again, comments and all
    # a phase whose only lesson leaves is removed
    assert ts(bundled, "move", T4, "convolutions", "--phase", "Foundations and sequences").returncode == 0
    result = ts(bundled, "move", T4, "beyond-classification", "--first")
    assert result.returncode == 0 and "'Seeing with networks' had no other lesson and was removed" in result.stdout
    tf = TrackFile(yml)
    assert [p.title for p in tf.phases] == [
        "Foundations and sequences",
        "Generating new data",
        "Acting, scaling and the frontier",
    ]
    assert tf.slugs[:5] == [
        "beyond-classification",
        "deep-learning-era",
        "recurrence-and-its-limits",
        "attention-and-transformers",
        "convolutions",
    ]
    assert yml.read_text().startswith("# Track 4: the survey track that follows the arc of MIT 6.S191.\n")
    check(bundled)


def test_move_to_where_it_is_changes_nothing(bundled):
    digest = tree_digest(bundled)
    result = ts(bundled, "move", T4, "deep-learning-era", "--first")
    assert result.returncode == 0 and "nothing to change" in result.stdout
    assert tree_digest(bundled) == digest


# -- rename -------------------------------------------------------------------------------------
@pytest.mark.slow
def test_rename_rewrites_every_reference_and_redirects(scaffolded):
    bundled = scaffolded.root  # (nothing after the rename changed its sources)
    result = scaffolded.runs["rename"]
    assert result.returncode == 0, result.stderr
    assert not (bundled / f"lessons/{T5}/attention-mechanism").exists()
    assert (bundled / f"lessons/{T5}/self-attention/lesson.md").is_file()
    assert (bundled / f"lessons/{T5}/self-attention/encoder-block.svg").is_file()
    assert (bundled / f"cheatsheets/{T5}/self-attention.md").is_file()
    assert not (bundled / f"cheatsheets/{T5}/attention-mechanism.md").exists()
    assert TrackFile(bundled / f"lessons/{T5}/track.yml").phases[0].lessons[2] == "self-attention"
    # every reference in every track, the guides included, now names the new slug
    project = load(bundled, include_drafts=True)
    targets = [link.target for doc in project.documents for link in find_links(doc.body, doc.body_line)]
    assert [t for t in targets if "attention-mechanism" in t] == []
    assert sum("self-attention" in t for t in targets) >= 5
    for lesson in project.curriculum.all_lessons():
        assert "attention-mechanism" not in str(lesson.deep_dives) + str(lesson.prerequisites)
    front = (bundled / f"lessons/{T4}/attention-and-transformers/lesson.md").read_text()
    assert "  - transformers-and-llms/self-attention\n" in front
    assert (bundled / f"lessons/{T5}/redirects.yml").read_text().endswith("attention-mechanism: self-attention\n")
    check(bundled)
    site = scaffolded.site
    assert where(site, f"{T5}/self-attention") == "Track 5 · Phase 1: Inside the transformer · Lesson 3 of 7"
    deeper = [a["href"] for a in page(site, f"{T4}/attention-and-transformers").select(".ts-crosslinks--deeper a")]
    assert "../../transformers-and-llms/self-attention/" in deeper
    for _kind, old_url, new_url in (
        ("lesson", "attention-mechanism/", "../self-attention/"),
        ("cheatsheet", "attention-mechanism/cheatsheet/", "../../self-attention/cheatsheet/"),
    ):
        moved = page(site, f"{T5}/{old_url}")
        assert moved.select_one('meta[http-equiv="refresh"]')["content"] == f"0; url={new_url}"
        assert moved.select_one('link[rel="canonical"]')["href"] == new_url
        assert moved.select_one("a")["href"] == new_url
        assert not moved.select("script")
    # renaming back drops the redirect that would now hide the lesson
    assert ts(bundled, "rename", T5, "self-attention", "attention-mechanism").returncode == 0
    assert "attention-mechanism:" not in (bundled / f"lessons/{T5}/redirects.yml").read_text()
    check(bundled)


def test_rename_without_redirect_and_short_references(bundled):
    result = ts(bundled, "rename", T4, "attention-and-transformers", "attention-in-brief")
    assert result.returncode == 0, result.stderr
    assert "--redirect keeps it working" in result.stdout
    assert not (bundled / f"lessons/{T4}/redirects.yml").exists()
    era = (bundled / f"lessons/{T4}/deep-learning-era/lesson.md").read_text()
    assert "[Attention and transformers](lesson:attention-in-brief)" in era
    lms = (bundled / f"lessons/{T4}/language-models-at-scale/lesson.md").read_text()
    assert "  - lesson: attention-in-brief\n" in lms
    tokens = (bundled / f"lessons/{T5}/tokens-and-embeddings/lesson.md").read_text()
    assert "  - lesson: deep-learning-survey/attention-in-brief\n" in tokens
    check(bundled)


# -- refusals: nothing changes, and the message says what to do -------------------------------------
REFUSALS = [
    (["new", "lesson", T4, "convolutions", "--title", "Again"], "exists already"),
    (["new", "lesson", T4, "Bad_Slug", "--title", "X"], "is not a slug"),
    (["new", "lesson", "deep-learning-surve", "x", "--title", "X"], "did you mean 'deep-learning-survey'?"),
    (["new", "lesson", T4, "x", "--title", "   "], "--title must not be empty"),
    (["new", "lesson", T4, "x", "--title", "X", "--after", "convolution"], "did you mean 'convolutions'?"),
    (["new", "lesson", T4, "x", "--title", "X", "--after", "convolutions", "--first"], "not both"),
    (
        ["new", "lesson", T4, "x", "--title", "X", "--phase", "Seeing with network"],
        "did you mean 'Seeing with networks'?",
    ),
    (["new", "lesson", T4, "x", "--title", "X", "--after", "convolutions", "--phase", "Generating new data"], "not in"),
    (["new", "track", T5, "--number", "9", "--title", "X"], "exists already"),
    (["new", "track", "fresh", "--number", "5", "--title", "X"], "track number 5 is taken"),
    (["new", "track", "fresh", "--number", "0", "--title", "X"], "out of range"),
    (["move", T4, "convolutions"], "say where the lesson goes"),
    (["move", T4, "convolution", "--first"], "did you mean 'convolutions'?"),
    (["move", T4, "convolutions", "--after", "convolutions"], "after itself"),
    (["rename", T4, "convolutions", "deep-learning-era"], "exists already"),
    (["rename", T4, "convolutions", "convolutions"], "the same"),
    (["rename", T4, "nope", "new-name"], "has no lesson 'nope'"),
    (["rename", T4, "convolutions", "Conv"], "is not a slug"),
]


@pytest.fixture(scope="module")
def refused(tmp_path_factory) -> Path:
    """One copy for every refusal: each must leave it as it found it (which each test checks),
    and the course read once stays in memory for the next (its files' stamps unchanged)."""
    return copy_bundled(tmp_path_factory.mktemp("refused") / "course")


@pytest.mark.parametrize(
    "args,needle", REFUSALS, ids=[" ".join(a[:3]) + f" [{i}]" for i, (a, _) in enumerate(REFUSALS)]
)
def test_refusals_change_nothing(refused, args, needle, capsys):
    bundled = refused
    digest = tree_digest(bundled)
    assert cli_main(["--root", str(bundled), *args]) == 1  # in-process: quicker than a process each
    err = capsys.readouterr().err
    assert needle in err
    assert err.startswith(f"tracksite {args[0]}")
    assert len(err.strip().splitlines()) == 1
    assert tree_digest(bundled) == digest


def test_broken_track_yml_is_reported_with_its_line(bundled):
    yml = bundled / f"lessons/{T4}/track.yml"
    yml.write_text(yml.read_text().replace("  - title: Seeing with networks", "  - title: [Seeing with networks"))
    digest = tree_digest(bundled)
    result = ts(bundled, "new", "lesson", T4, "x", "--title", "X")
    assert result.returncode == 1
    assert f"lessons/{T4}/track.yml:13:" in result.stderr and "YAML syntax error" in result.stderr
    assert tree_digest(bundled) == digest


def test_not_a_project(tmp_path):
    result = ts(tmp_path, "move", T4, "x", "--first", process=True)  # the exit code a shell sees
    assert result.returncode == 2 and "is not a tracksite course" in result.stderr


@pytest.mark.parametrize(
    "argv", [["new"], ["new", "track"], ["new", "lesson"], ["move"], ["rename"], ["pdf"], ["schema"]]
)
def test_every_command_has_help(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli_main([*argv, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: tracksite " + " ".join(argv))


# -- track.yml editing keeps the file as written ------------------------------------------------------
STYLES = {
    "indented": "# order\nnumber: 1\ntitle: T\nsummary: S\nphases:\n  - title: A  # first phase\n    lessons:\n"
    "      - a1  # the start\n      # a note between items\n      - a2\n\n  - title: B\n    lessons:\n      - 'b1'\n",
    "flush": "number: 1\ntitle: T\nsummary: S\nphases:\n- title: A\n  lessons:\n  - a1\n  - a2\n- title: B\n  lessons:\n  - b1\n",
    "flow": "number: 1\ntitle: T\nsummary: S\nphases:\n  - title: A\n    lessons: [a1, a2]   # two\n  - {title: B, lessons: [b1]}\n",
    "multiline-flow": "number: 1\ntitle: T\nsummary: S\nphases:\n  - title: A\n    lessons: [a1,\n      a2]\n  - title: B\n    lessons: [b1]\n",
}


@pytest.mark.parametrize("style", sorted(STYLES))
def test_track_file_edits_keep_comments_and_layout(tmp_path, style):
    path = tmp_path / "track.yml"
    path.write_text(STYLES[style])
    tf = TrackFile(path)
    tf.insert_at(0, 1, "new")
    assert tf.phases[0].lessons == ["a1", "new", "a2"]
    tf.replace_at(0, 1, "renamed")
    tf.add_phase("C: extra", ["c1"])
    tf.delete_at(0, 1)
    tf.delete_phase(2)
    assert [(p.title, p.lessons) for p in tf.phases] == [("A", ["a1", "a2"]), ("B", ["b1"])]
    if style != "multiline-flow":
        assert tf.text == STYLES[style], tf.text  # every edit undone leaves the very same text
        assert not tf.used_fallback
    else:
        assert tf.used_fallback


def test_track_file_keeps_crlf_and_bom(tmp_path):
    path = tmp_path / "track.yml"
    path.write_bytes(
        "\ufeffnumber: 1\r\ntitle: T\r\nsummary: S\r\nphases:\r\n  - title: A\r\n    lessons:\r\n      - a1\r\n".encode()
    )
    tf = TrackFile(path)
    tf.insert_at(0, 1, "a2")
    assert (
        tf.dump().encode()
        == "\ufeffnumber: 1\r\ntitle: T\r\nsummary: S\r\nphases:\r\n  - title: A\r\n    lessons:\r\n      - a1\r\n      - a2\r\n".encode()
    )


def test_track_file_refuses_what_it_cannot_read(tmp_path):
    path = tmp_path / "track.yml"
    path.write_text("number: 1\nphases: nothing\n")
    with pytest.raises(SourceProblem) as e:
        TrackFile(path)
    assert e.value.line == 2


# -- reference rewriting ------------------------------------------------------------------------------
def test_rewrite_references_precisely(tmp_path):
    text = (
        "---\ntitle: X\nprerequisites:\n  - lesson: old   # read old first\n  - {lesson: t/old}\n  - lesson: u/old\n"
        "deep_dives: [t/old, t/older]\n---\n"
        "See [a](lesson:old#part-two), [b](overview:t/old), [c](cheatsheet:old) and [d](lesson:older).\n"
        "Not `[code](lesson:old)`, not [e](track:t), not [f](lesson:u/old).\n"
        "```\n[fenced](lesson:old)\n```\n[raw](../old/)\n"
    )
    result = rewrite_references(tmp_path / "x.md", text, "t", "t", "old", "new")
    assert result.text == (
        "---\ntitle: X\nprerequisites:\n  - lesson: new   # read old first\n  - {lesson: t/new}\n  - lesson: u/old\n"
        "deep_dives: [t/new, t/older]\n---\n"
        "See [a](lesson:new#part-two), [b](overview:t/new), [c](cheatsheet:new) and [d](lesson:older).\n"
        "Not `[code](lesson:old)`, not [e](track:t), not [f](lesson:u/old).\n"
        "```\n[fenced](lesson:old)\n```\n[raw](../old/)\n"
    )
    assert len(result.edits) == 6
    assert result.warnings and "'../old/'" in result.warnings[0]
    # in another track, a short reference means that track's lesson and stays
    other = rewrite_references(tmp_path / "y.md", "[a](lesson:old) [b](lesson:t/old)\n", "u", "t", "old", "new")
    assert other.text == "[a](lesson:old) [b](lesson:t/new)\n"


def test_redirects_never_chain(tmp_path):
    (tmp_path / "redirects.yml").write_text(redirects.HEADER + "a: b\nz: y\n")
    assert redirects.record(tmp_path, "b", "c").endswith("a: c\nz: y\nb: c\n")
    (tmp_path / "redirects.yml").write_text(redirects.HEADER + "a: b\n")
    assert redirects.record(tmp_path, "b", "a").endswith(
        "# Written by `tracksite rename --redirect`; delete a line to drop its redirect.\nb: a\n"
    )


def test_changes_roll_back_together(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "f.md").write_text("one")
    (tmp_path / "keep.md").write_text("keep")
    changes = Changes(tmp_path)
    changes.move(tmp_path / "a", tmp_path / "b")
    changes.write(tmp_path / "b" / "f.md", "two")
    changes.write(tmp_path / "new" / "deep" / "g.md", "three")
    changes.write(tmp_path / "keep.md", "changed")
    changes.apply()
    assert (tmp_path / "b" / "f.md").read_text() == "two" and (tmp_path / "new/deep/g.md").is_file()
    changes.rollback()
    assert (tmp_path / "a" / "f.md").read_text() == "one"
    assert not (tmp_path / "b").exists() and not (tmp_path / "new").exists()
    assert (tmp_path / "keep.md").read_text() == "keep"
