"""Issue 12: the bundled course builds with ProperDocs (the maintained MkDocs 1.x continuation)
as well as with MkDocs, and the two sites match file for file: HTML compared as parsed trees,
apart from the generator tag; every other file byte for byte (sitemaps without their dates), the
search index's files included."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from support.course import REPO


def build(engine: str, out: Path) -> None:
    if shutil.which(engine, path=str(Path(sys.executable).parent)) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{engine} is not installed (pip install -e '.[test]')")
        pytest.skip(f"{engine} is not installed")
    result = subprocess.run(
        [str(Path(sys.executable).parent / engine), "build", "--strict", "-f", "mkdocs.yml", "--site-dir", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr[-4000:]


def html_tree(path: Path) -> tuple[str, str]:
    """(generator, the page serialised with the generator tag removed)."""
    doc = lxml.html.fromstring(path.read_bytes())
    generators = doc.xpath('//meta[@name="generator"]')
    assert len(generators) == 1, path
    generator = generators[0].get("content")
    generators[0].getparent().remove(generators[0])
    return generator, etree.tostring(doc, method="html", encoding="unicode")


def _is_redirect(path: Path) -> bool:
    return b'http-equiv="refresh"' in path.read_bytes()[:1024]


def content(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    if ".xml" in path.suffixes:
        data = re.sub(rb"<lastmod>[^<]*</lastmod>", b"", data)
    return data


def test_properdocs_and_mkdocs_build_the_same_site(tmp_path, built_site):
    """MkDocs' side is the session's build of the bundled course (`built_site`: `mkdocs build
    --strict` in the repository, as `build` below runs it); ProperDocs builds in its own process."""
    build("properdocs", tmp_path / "properdocs")
    a = sorted(p.relative_to(built_site) for p in built_site.rglob("*") if p.is_file())
    b = sorted(p.relative_to(tmp_path / "properdocs") for p in (tmp_path / "properdocs").rglob("*") if p.is_file())
    assert a == b and any(p.parts[0] == "search-index" for p in a)
    pages = [p for p in a if p.suffix == ".html"]
    assert len(pages) > 50
    for rel in a:
        left, right = built_site / rel, tmp_path / "properdocs" / rel
        if rel.suffix == ".html" and _is_redirect(left):
            # a renamed lesson's old address: tracksite writes the same small page on every engine
            assert content(left) == content(right), rel
        elif rel.suffix == ".html":
            (gen_a, tree_a), (gen_b, tree_b) = html_tree(left), html_tree(right)
            assert "mkdocs-1." in gen_a and "ProperDocs" in gen_b, rel
            assert tree_a == tree_b, f"{rel} differs beyond the generator tag"
        else:
            assert content(left) == content(right), rel


# -- an engine that skips the plugin stops instead of publishing half a course (issue 27) --------


def _without_plugin(project: Path) -> None:
    """The course's mkdocs.yml as an engine that runs no MkDocs plugins sees it."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\n  - tracksite\n" in text
    config.write_text(
        text.replace("\n  - tracksite\n", "\n  []\n").replace("plugins:\n", "plugins:", 1), encoding="utf-8"
    )


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_a_build_without_the_plugin_fails_with_a_clear_message(course, engine):
    if shutil.which(engine, path=str(Path(sys.executable).parent)) is None:
        pytest.fail(f"{engine} is not installed (pip install -e '.[test]')")
    course_config = course / "mkdocs.yml"
    course_config.write_text(
        course_config.read_text(encoding="utf-8").replace(
            "markdown_extensions:\n", "markdown_extensions:\n  - tracksite.guard\n", 1
        ),
        encoding="utf-8",
    )
    _without_plugin(course)
    result = subprocess.run(
        [str(Path(sys.executable).parent / engine), "build", "-f", "mkdocs.yml"],
        cwd=course,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode != 0
    assert "this course needs the tracksite plugin" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list((course / "site").rglob("a1/index.html")) if (course / "site").exists() else True


def test_the_guard_stops_any_other_engine_before_the_first_page():
    """Zensical reads mkdocs.yml's Markdown extensions with Python-Markdown and runs no MkDocs
    plugin: in a process that has not loaded MkDocs 1.x, loading the guard by name (as any engine
    would) fails at once, so even a course with no docs/ pages is not published empty."""
    probe = (
        "import markdown\n"
        "try:\n    markdown.Markdown(extensions=['tracksite.guard'])\n"
        "except Exception as e:\n    print(type(e).__name__, e)\n"
        "import sys; print('mkdocs' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines()[0].startswith("PluginMissing tracksite: this course needs the tracksite plugin")
    assert result.stdout.splitlines()[-1] == "False"


def test_every_starter_config_carries_the_guard():
    from tracksite import theme

    for config in (REPO / "mkdocs.yml", theme.STARTER / "mkdocs.yml"):
        assert "\n  - tracksite.guard" in config.read_text(encoding="utf-8"), config
