"""The theme's files listed without walking its dot folders (adapter/config/theme.py
`ThemeListing`): MkDocs publishes the same theme files as with Jinja's own listing, a course's
override is listed as it is added, and a dot folder's files are never listed."""

from __future__ import annotations

from pathlib import Path

import jinja2
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from support.course import make_course, write
from tracksite.adapter.config import theme


def _theme_files(root: Path, listing: bool) -> list[str]:
    config = load_config(str(root / "mkdocs.yml"))
    theme.install_theme(config)
    env = config.theme.get_env()
    assert isinstance(env.loader, theme.ThemeListing)
    if not listing:
        env.loader = env.loader.inner
    files = Files([])
    files.add_files_from_theme(env, config)
    return [f"{f.src_dir}|{f.src_uri}" for f in files]


def test_the_theme_publishes_the_files_jinja_s_own_listing_gives(tmp_path, monkeypatch):
    root = make_course(tmp_path / "course")
    monkeypatch.chdir(root)
    write(root, "overrides/assets/extra.css", "body { color: black; }\n")
    write(root, "overrides/.hidden/secret.css", "body {}\n")
    write(root, "overrides/assets/.draft.css", "body {}\n")
    listed = _theme_files(root, listing=True)
    assert listed == _theme_files(root, listing=False)
    assert any(name.endswith("|assets/extra.css") for name in listed)
    assert not any("secret" in name or "draft" in name for name in listed)
    assert any("assets/stylesheets/" in name for name in listed)  # (Material's own)


def test_the_listing_leaves_out_every_dot_folder_and_nothing_else(tmp_path):
    for name in ("a.html", "partials/b.html", ".icons/x.svg", "partials/.cache/y.html", "assets/.z.css"):
        write(tmp_path / "t", name, "x")
    inner = jinja2.FileSystemLoader([str(tmp_path / "t")])
    assert theme.ThemeListing(inner).list_templates() == ["a.html", "partials/b.html"]
    env = jinja2.Environment(loader=theme.ThemeListing(inner))
    assert env.get_template("partials/b.html").render() == "x"
