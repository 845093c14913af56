"""`tracksite upgrade` moves a course started by the old `init` (which copied the theme into the
course) onto the packaged theme without losing the instructor's own edits (issue 27).

The old course is made as that `init` made it: every template in `overrides/`, the widget assets
in `docs/assets/tracksite/`, the editor schemas in `docs/schemas/`, the stylesheets and scripts
listed in mkdocs.yml. `tests/data/legacy-course/` holds two files as an older tracksite shipped
them (taken from the project's history), which differ from today's and must count as unchanged.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from support import harness
from support.course import MKDOCS_YML, make_course
from support.sites import run_mkdocs
from tracksite import theme as theme_files
from tracksite.core.site import sheets

LEGACY = Path(__file__).resolve().parents[1] / "data" / "legacy-course"
OLD_ASSET_LINES = """\
extra_css:
  - assets/tracksite/theme.css
  - assets/tracksite/widgets.css
extra_javascript:
  - path: assets/tracksite/widgets.js
    defer: true
  - path: assets/tracksite/search.js
    defer: true
"""
MARK = "<!-- the instructor's own credits line -->"


def old_course(root: Path) -> Path:
    make_course(root)
    shutil.rmtree(root / "overrides")
    shutil.copytree(theme_files.TEMPLATES, root / "overrides")
    shutil.copytree(theme_files.ASSETS / "tracksite", root / "docs/assets/tracksite")
    shutil.copytree(theme_files.SCHEMAS, root / "docs/schemas")
    shutil.copytree(LEGACY, root, dirs_exist_ok=True)  # two files as an older tracksite shipped them
    (root / "mkdocs.yml").write_text(
        MKDOCS_YML.replace("markdown_extensions:\n", OLD_ASSET_LINES + "markdown_extensions:\n"), encoding="utf-8"
    )
    credits = root / "overrides/partials/credits.html"
    credits.write_text(credits.read_text(encoding="utf-8") + MARK + "\n", encoding="utf-8")
    return root


def upgrade(root: Path, *args: str) -> subprocess.CompletedProcess:
    return harness.tracksite("--root", str(root), "upgrade", *args)


def test_dry_run_reports_and_changes_nothing(tmp_path):
    root = old_course(tmp_path / "course")
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    result = upgrade(root, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "would remove" in result.stdout and "overrides/partials/credits.html" in result.stdout
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == before


def test_upgrade_keeps_the_edited_partial_and_removes_every_unchanged_copy(tmp_path):
    root = old_course(tmp_path / "course")
    result = upgrade(root)
    assert result.returncode == 0, result.stderr
    # the instructor's edit is kept, listed file by file, with the file it replaces
    assert "kept 1 file you changed" in result.stdout
    assert "overrides/partials/credits.html: replaces tracksite/theme/templates/partials/credits.html" in result.stdout
    assert [p.relative_to(root).as_posix() for p in (root / "overrides").rglob("*") if p.is_file()] == [
        "overrides/partials/credits.html"
    ]
    assert MARK in (root / "overrides/partials/credits.html").read_text(encoding="utf-8")
    # older shipped versions count as unchanged too; the asset and schema copies are gone
    assert not (root / "overrides/partials/track.html").exists()
    assert not (root / "docs/assets").exists() and not (root / "docs/schemas").exists()
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "extra_css" not in config and "extra_javascript" not in config
    assert config["theme"]["custom_dir"] == "overrides" and config["plugins"] == ["tracksite"]
    assert (root / ".github/workflows/publish.yml").is_file() and (root / "requirements.txt").is_file()

    build = run_mkdocs(root)
    assert build.returncode == 0, build.stderr[-3000:]
    page = (root / "site/alpha/a2/index.html").read_text(encoding="utf-8")
    assert MARK in page  # the course's own partial still wins over the package's
    soup = BeautifulSoup(page, "lxml")
    assert soup.find("link", href="../../assets/tracksite/theme.css") is not None
    served = (root / "site/assets/tracksite/theme.css").read_bytes()
    # today's, not the old copy: the package's sheet as a site publishes it (without its comments)
    assert served.decode("utf-8") == sheets.published(
        (theme_files.ASSETS / "tracksite/theme.css").read_text(encoding="utf-8")
    )

    again = upgrade(root)
    assert again.returncode == 0 and again.stdout.startswith("nothing to upgrade")


def test_upgrade_outside_a_course_is_a_usage_error(tmp_path):
    result = upgrade(tmp_path)
    assert result.returncode == 2
    assert "no mkdocs.yml" in result.stderr and "Traceback" not in result.stderr


def test_a_shared_overrides_folder_behind_a_symbolic_link_loses_nothing(tmp_path):
    """Issue 39, case 4: with `overrides/` a symbolic link to a folder other courses share,
    `upgrade` deleted every file there that matched the packaged theme, then failed."""
    root = old_course(tmp_path / "course")
    shared = tmp_path / "shared"
    shared.mkdir()
    for folder in ("overrides", "docs/schemas"):
        shutil.move(root / folder, shared / Path(folder).name)
        (root / folder).symlink_to(shared / Path(folder).name, target_is_directory=True)
    before = {p.relative_to(shared).as_posix(): p.read_bytes() for p in shared.rglob("*") if p.is_file()}
    result = upgrade(root)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert {p.relative_to(shared).as_posix(): p.read_bytes() for p in shared.rglob("*") if p.is_file()} == before
    assert "left alone, because a symbolic link leads outside the course" in result.stdout
    assert "overrides/" in result.stdout and "docs/schemas/" in result.stdout
    assert not (root / "docs/assets").exists()  # the course's own copies are still upgraded


def test_a_workflow_folder_behind_a_symbolic_link_is_not_written_into(tmp_path):
    root = old_course(tmp_path / "course")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / ".github").symlink_to(elsewhere, target_is_directory=True)
    result = upgrade(root)
    assert result.returncode == 0, result.stderr
    assert list(elsewhere.iterdir()) == [] and ".github/workflows/publish.yml" in result.stdout


def test_a_mkdocs_yml_that_is_a_list_fails_cleanly(tmp_path):
    root = old_course(tmp_path / "course")
    (root / "mkdocs.yml").write_text("- site_name: x\n- theme: material\n", encoding="utf-8")
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    result = upgrade(root)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "mkdocs.yml: expected the site's settings" in lines[0] and "found a list" in lines[0]
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == before
