"""A build writes only its own output, and a failed build leaves the last good site as it was.

The plugin builds into a sibling staging folder (`.site.staging-*`) and swaps it in only when
the whole build succeeded. These tests break the build in each stage where it can fail (source
validation, a template, a widget while rendering, a late page event) and compare the previous
site byte for byte; they run a build under a Python audit hook to list every file it writes; and
they check that Markdown cannot pull files in from outside the project.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from support import harness
from support.course import REPO, lesson_md, make_course, override, write
from tracksite.core import localstate

TIMEOUT = 60
QUIZ = (
    "/// quiz\n- question: Why?\n  options:\n    - text: Because.\n      correct: true\n"
    "      explain: It is so.\n    - text: No.\n      explain: It is not.\n///\n"
)


def mkdocs(root: Path, *args: str, patch: str = "") -> subprocess.CompletedProcess:
    """`mkdocs build --strict`; with `patch`, Python run first (to break things), in its own process.
    A patch changes tracksite's code at run time, which the build cache's key (the code's files)
    cannot see: with one, the cache is removed, or every page would be written as kept."""
    if not patch:  # no patch: through MkDocs' command line in this process (tests/support/harness.py)
        return harness.mkdocs(root, *args)
    shutil.rmtree(localstate.project_folder(root), ignore_errors=True)
    # the patched build in a process of its own: a fork of this one (tests/support/harness.py)
    return harness.forked_command(lambda: harness.mkdocs(root, *args), patch)


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (bytes) and folder (None) under `folder`, by relative path."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))
    }


def leftovers(root: Path) -> list[str]:
    return [p.name for p in root.parent.iterdir() if ".staging-" in p.name or ".old-" in p.name] + [
        p.name for p in root.iterdir() if ".staging-" in p.name or ".old-" in p.name
    ]


@pytest.fixture(scope="module")
def last_good(tmp_path_factory) -> Path:
    """The fixture course with a quiz in a1, built once for the module."""
    course = make_course(tmp_path_factory.mktemp("last-good") / "course")
    path = course / "lessons/alpha/a1/lesson.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n## Practice\n\n" + QUIZ, encoding="utf-8")
    result = mkdocs(course)
    assert result.returncode == 0, result.stderr[-3000:]
    return course


@pytest.fixture
def built(last_good, tmp_path) -> tuple[Path, dict]:
    """A copy of that course and its site for each test to break: the "last good site" (a copy
    of a build is what the build left, marker file included; a build for each test wrote the
    same site again)."""
    course = tmp_path / "course"
    shutil.copytree(last_good, course, symlinks=True)
    site = snapshot(course / "site")
    assert "alpha/a1/index.html" in site
    return course, site


def break_validation(root: Path) -> str:
    (root / "lessons/alpha/a1/lesson.md").write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
    return ""


def break_template(root: Path) -> str:
    main = override(root, "main.html")
    main.write_text(
        main.read_text(encoding="utf-8").replace(
            "{% block htmltitle %}", "{% block htmltitle %}{{ nothing.at.all }}", 1
        ),
        encoding="utf-8",
    )
    return ""


def break_template_syntax(root: Path) -> str:
    override(root, "partials/lesson-pager.html").write_text("{% if %}", encoding="utf-8")
    return ""


def break_widget(root: Path) -> str:
    """A widget that raises while the page is rendered (passes validation, fails in Markdown)."""
    return textwrap.dedent("""
        import tracksite.core.widgets.quiz.block as quiz
        def boom(self, block):
            raise RuntimeError("widget exploded while rendering")
        quiz.Quiz.on_end = boom
    """)


def break_late_page(root: Path) -> str:
    """A failure after several pages were already written into the staging folder."""
    return textwrap.dedent("""
        import tracksite.adapter.pages.csp as csp
        real, calls = csp.apply, [0]
        def apply(html):
            calls[0] += 1
            if calls[0] > 5:
                raise RuntimeError("late failure")
            return real(html)
        csp.apply = apply
    """)


def break_post_build(root: Path) -> str:
    """A failure in another plugin's post-build step, before the staged site is swapped in."""
    return textwrap.dedent("""
        from mkdocs.plugins import event_priority
        import tracksite.adapter.plugin as plugin
        def on_post_build(self, *, config):
            raise RuntimeError("post build failure")
        plugin.TracksitePlugin.on_post_build = event_priority(-100)(on_post_build)
    """)


def break_unsafe_link(root: Path) -> str:
    """An error of the body rules (an unsafe link), which once ran beside the rendering in a
    forked copy of the build: it stops the build like every other check, before anything is
    written."""
    lesson = root / "lessons/alpha/a1/lesson.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\n[Run this](javascript:alert(1))\n", encoding="utf-8")
    return ""


BREAKS = {  # how to break the build, and what its error output says
    "validation": (break_validation, "lessons/alpha/a1/lesson.md:2:15: [TS010] YAML syntax error"),
    "template-undefined": (break_template, "'nothing' is undefined"),
    "template-syntax": (break_template_syntax, "Expected an expression"),
    "widget-render": (break_widget, "widget exploded while rendering"),
    "late-page": (break_late_page, "late failure"),
    "post-build": (break_post_build, "post build failure"),
    "later-check": (break_unsafe_link, "lessons/alpha/a1/lesson.md:"),
}


@pytest.mark.parametrize("how", list(BREAKS))
def test_failed_build_keeps_the_previous_site_byte_for_byte(built, how):
    root, before = built
    breaks, says = BREAKS[how]
    result = mkdocs(root, patch=breaks(root))
    assert result.returncode != 0, result.stderr[-3000:]
    assert says in result.stdout + result.stderr
    assert snapshot(root / "site") == before
    assert leftovers(root) == []


def test_failed_first_build_leaves_no_site(course):
    break_validation(course)
    result = mkdocs(course)
    assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
    assert not (course / "site").exists() and leftovers(course) == []


def test_failed_cli_build_keeps_site(built):
    root, before = built
    break_validation(root)
    result = harness.tracksite("build", cwd=root)  # (the installed command itself: tests/release/test_package.py)
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    assert "lessons/alpha/a1/lesson.md:2:" in result.stderr
    assert snapshot(root / "site") == before and leftovers(root) == []


def test_successful_rebuild_replaces_the_site_and_cleans_up(built):
    root, before = built
    (root / "site/stale.html").write_text("from an old build")
    path = root / "lessons/alpha/a1/lesson.md"
    path.write_text(path.read_text(encoding="utf-8").replace("First lesson", "First lesson, revised"), encoding="utf-8")
    result = mkdocs(root)
    assert result.returncode == 0, result.stderr[-3000:]
    after = snapshot(root / "site")
    assert "stale.html" not in after
    assert b"First lesson, revised" in after["alpha/a1/index.html"]
    assert leftovers(root) == []


AUDIT = textwrap.dedent("""
    import json, os, sys
    _log = open(os.environ["AUDIT_LOG"], "w", buffering=1)
    _write = _log.write
    WRITES = {"os.rename", "os.replace", "os.remove", "os.rmdir", "os.mkdir", "shutil.rmtree",
              "shutil.copyfile", "shutil.copytree", "shutil.move", "os.symlink", "os.link",
              "os.truncate", "os.chmod", "os.utime"}
    def hook(event, args):
        paths = []
        if event == "open":
            path, mode, flags = args
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or \\
                      (isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC))
            if writing and isinstance(path, (str, bytes, os.PathLike)):
                paths = [path]
        elif event in WRITES:
            paths = [a for a in args if isinstance(a, (str, bytes, os.PathLike))]
            if event in ("shutil.copyfile", "shutil.copytree", "shutil.move"):
                paths = paths[1:2]  # the destination
            # os.remove(name, dir_fd), os.rmdir(name, dir_fd), os.mkdir(path, mode, dir_fd) and
            # os.rename(src, dst, src_dir_fd, dst_dir_fd) name files relative to a folder descriptor
            fds = {"os.remove": [1], "os.rmdir": [1], "os.mkdir": [2], "os.rename": [2, 3],
                   "os.replace": [2, 3], "os.symlink": [3]}.get(event, [])
            dirs = [args[i] if i < len(args) else None for i in fds]
            paths = [(p, dirs[n] if n < len(dirs) else None) for n, p in enumerate(paths)]
        for p in paths:
            p, fd = p if isinstance(p, tuple) else (p, None)
            p = os.fsdecode(p)
            if isinstance(fd, int) and not os.path.isabs(p):
                p = os.path.join(os.readlink(f"/proc/self/fd/{fd}"), p)
            if p != os.environ["AUDIT_LOG"]:
                _write(json.dumps([event, os.path.abspath(p)]) + "\\n")
    sys.addaudithook(hook)
""")


def audited_build(
    root: Path, log: Path, patch: str = "", *, new_interpreter: bool = True
) -> tuple[list[list[str]], list[tuple[str, str]]]:
    """Build under an audit hook; every write event, and those outside site/ and its staging. The
    build runs in a process of its own, which the hook cannot leave: a new interpreter, which
    imports every module as a user's build does (one that wrote a file when imported is seen),
    or a fork of this one (tests/support/harness.py) where only the hook is under test. Neither writes
    bytecode (a module compiled on the way is not the build's writing)."""
    if new_interpreter:
        env = {**os.environ, "AUDIT_LOG": str(log), "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
        code = (
            AUDIT
            + patch
            + "\nfrom mkdocs.__main__ import cli\nimport sys\nsys.argv = ['mkdocs', 'build', '--strict']\ncli()"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=TIMEOUT, env=env
        )
    else:
        setup = "import sys\nsys.dont_write_bytecode = True\n"
        result = harness.forked_command(lambda: harness.mkdocs(root), setup + AUDIT + patch, {"AUDIT_LOG": str(log)})
    assert result.returncode == 0, result.stderr[-3000:]
    events = [json.loads(line) for line in log.read_text().splitlines()]
    # the site, its staging folder, and the course's build cache (in its state folder, outside the
    # checkout: core/localstate.py; safe to delete)
    state = localstate.project_folder(root)
    allowed = (str(root / "site"), str(root / ".site."), str(state / "tracksite"))
    # os.makedirs(parent, exist_ok=True), and the state folders on the way to the course's
    existing_folders = {str(p) for p in (root, *root.parents, state, *state.parents)}
    outside = sorted(
        {
            (event, path)
            for event, path in events
            if not path.startswith(allowed)
            and not path.startswith("/dev/")
            and not (event == "os.mkdir" and path in existing_folders)
        }
    )
    return events, outside


def test_build_writes_only_under_the_site_folder(built, tmp_path):
    root, _ = built
    sources_before = {k: v for k, v in snapshot(root).items() if not k.startswith("site")}
    events, outside = audited_build(root, tmp_path / "audit.jsonl")
    staged = [path for event, path in events if event == "open" and path.startswith(str(root / ".site.staging-"))]
    assert len(staged) > 20, "the audit saw no pages written into the staging folder"
    assert ["os.rename", str(root / "site")] in events  # swapped in at the end
    assert outside == [], f"the build wrote outside site/ and its staging folder: {outside[:20]}"
    assert {k: v for k, v in snapshot(root).items() if not k.startswith("site")} == sources_before
    assert leftovers(root) == []


def test_the_audit_sees_writes_outside(built, tmp_path):
    """The audit above is not blind: a plugin writing beside the project is caught."""
    root, _ = built
    patch = textwrap.dedent("""
        import tracksite.adapter.pages.csp as csp
        real = csp.apply
        def apply(html):
            with open("../leak.txt", "a") as f:
                f.write("x")
            return real(html)
        csp.apply = apply
    """)
    _, outside = audited_build(root, tmp_path / "audit.jsonl", patch, new_interpreter=False)
    assert ("open", str(root.parent / "leak.txt")) in outside


# -- Markdown cannot pull in files from outside the project --------------------------------------

SECRET = "TOP-SECRET-8c1f2e"


def test_snippets_extension_is_not_enabled():
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # MkDocs' !!python/name tags
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    names = [next(iter(e)) if isinstance(e, dict) else e for e in config.get("markdown_extensions", [])]
    assert not [n for n in names if "snippets" in n or n in ("markdown_include.include", "mdx_include")]


INCLUDES = [
    '--8<-- "{secret}"',
    "--8<-- {secret}",
    ';--8<-- "{secret}"',
    '--8<-- "../../../../secret.txt"',
    '--8<-- "/etc/passwd"',
    '```\n--8<-- "{secret}"\n```',
    "{{% include '{secret}' %}}",
    "{{{{ config.site_name }}}} and {{% raw %}}",
]
#: a lesson for each line: the fixture course's five and three of a third track
LESSONS = ["alpha/a1", "alpha/a2", "alpha/a3", "beta/b1", "beta/b2", "gamma/g1", "gamma/g2", "gamma/g3"]


@pytest.fixture(scope="module")
def included(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The fixture course with each line of INCLUDES in a lesson of its own, built once (the
    lines are harmless text, each on its page; one build shows what each does, where a build
    for each showed the same eight times). A secret file lies beside the course."""
    course = make_course(tmp_path_factory.mktemp("include") / "course")
    secret = course.parent / "secret.txt"
    secret.write_text(f"{SECRET}\nroot:x:0:0:root:/root:/bin/bash\n")
    write(
        course,
        "lessons/gamma/track.yml",
        "number: 3\ntitle: Gamma track\nsummary: The third track.\nphases:\n  - title: One\n    lessons: [g1, g2, g3]\n",
    )
    for slug in ("g1", "g2", "g3"):
        write(course, f"lessons/gamma/{slug}/overview.md", "## What you'll learn\n\nThings.\n")
        write(course, f"cheatsheets/gamma/{slug}.md", "## Key ideas\n\nSome.\n")
    for line, lesson in zip(INCLUDES, LESSONS, strict=True):
        text = line.format(secret=secret)
        body = "## Intro\n\n" + text + "\n\n" + "Words here. " * 40
        write(course, f"lessons/{lesson}/lesson.md", lesson_md(f"Lesson {lesson}", body=body))
    return course, mkdocs(course)


@pytest.mark.parametrize("line", INCLUDES)
def test_markdown_does_not_include_files(included, line):
    course, result = included
    text = line.format(secret=course.parent / "secret.txt")
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-3000:]  # harmless text: the page builds, showing the line as text
    assert SECRET not in out
    for path in (course / "site").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert SECRET.encode() not in data, path
            assert b"root:x:0:0" not in data, path
    html = (course / "site" / LESSONS[INCLUDES.index(line)] / "index.html").read_text(encoding="utf-8")
    if "config.site_name" in text:
        assert "{{ config.site_name }}" in html  # Markdown is not a template
    elif text.startswith("{%"):
        assert "{% include" in html
    else:
        assert "--8&lt;--" in html  # the snippet line stays as text
