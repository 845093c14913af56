"""The requirement a course pins tracksite with, from pip's record of the install (PEP 610).

`tracksite==0.2.0` was written whatever the install, and no index has that version: a course's
first push failed at `pip install -r requirements.txt`. The whole path (a wheel in a fresh
environment, a clean one installing the course's requirements.txt, the workflow's steps) is
tests/release/test_package.py; here each kind of record, and the edit of an existing requirements.txt.
"""

from __future__ import annotations

import argparse

import pytest

from support.wheels import fake_wheel
from tracksite.commands import init, pinning, upgrade


def test_from_an_index_the_version_is_pinned():
    assert pinning.pin(None, "1.2.3").requirement == "tracksite==1.2.3"


def test_from_git_the_url_at_its_commit():
    record = {
        "url": "https://github.com/example/tracksite.git",
        "vcs_info": {
            "vcs": "git",
            "commit_id": "0123456789abcdef0123456789abcdef01234567",
            "requested_revision": "main",
        },
    }
    p = pinning.pin(record)
    assert p.requirement == (
        "tracksite @ git+https://github.com/example/tracksite.git@0123456789abcdef0123456789abcdef01234567"
    )
    assert p.wheel is None


def test_from_a_wheel_on_a_web_server_its_url():
    record = {"url": "https://files.example.org/tracksite-0.2.0-py3-none-any.whl", "archive_info": {}}
    assert pinning.pin(record).requirement == "tracksite @ https://files.example.org/tracksite-0.2.0-py3-none-any.whl"


def test_from_a_local_wheel_it_is_copied_into_the_course(tmp_path):
    wheel = fake_wheel(tmp_path / "dist")
    p = pinning.pin({"url": wheel.as_uri(), "archive_info": {"hash": "sha256=x"}})
    course = tmp_path / "course"
    placed = pinning.place(p, course)
    assert placed.requirement == f"./.tracksite/wheels/{wheel.name}"
    assert (course / ".tracksite/wheels" / wheel.name).read_bytes() == wheel.read_bytes()
    assert ".tracksite/wheels/" in placed.note


def test_init_writes_the_pin_and_says_so(tmp_path, capsys, monkeypatch):
    wheel = fake_wheel(tmp_path / "dist")
    monkeypatch.setattr(pinning, "origin", lambda: {"url": wheel.as_uri(), "archive_info": {}})
    assert init.cmd_init(argparse.Namespace(folder=str(tmp_path / "c"), site_name=None, description=None)) == 0
    lines = (tmp_path / "c/requirements.txt").read_text(encoding="utf-8").splitlines()
    assert lines[-1] == f"./.tracksite/wheels/{wheel.name}" and all(line.startswith("#") for line in lines[:-1])
    out = capsys.readouterr().out
    assert f"copied {wheel.name} into .tracksite/wheels/" in out
    assert "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt" in out


def test_requirements_keeps_every_other_line():
    text = "# the course's tools\nmkdocs-rss-plugin==1.0\ntracksite==0.1.0\n"
    assert (
        pinning.requirements(text, "tracksite==0.3.0")
        == "# the course's tools\nmkdocs-rss-plugin==1.0\ntracksite==0.3.0\n"
    )
    wheel_line = "./.tracksite/wheels/tracksite-0.1.0-py3-none-any.whl"
    assert pinning.requirements(f"{wheel_line}\nnumpy\n", "tracksite==0.3.0") == "tracksite==0.3.0\nnumpy\n"
    assert pinning.requirements("numpy\n", "tracksite==0.3.0") == "numpy\ntracksite==0.3.0\n"
    assert pinning.current_requirement("tracksite-helper==1\ntracksite @ git+https://x/y@abc\n") == (
        "tracksite @ git+https://x/y@abc"
    )


@pytest.mark.parametrize("dry_run", [True, False])
def test_upgrade_moves_the_course_to_the_running_tracksite(tmp_path, monkeypatch, capsys, dry_run):
    course = tmp_path / "course"
    course.mkdir()
    (course / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    old = fake_wheel(course / ".tracksite/wheels", "0.1.0")
    (course / "requirements.txt").write_text(f"# pinned\n./.tracksite/wheels/{old.name}\nnumpy\n", encoding="utf-8")
    new = fake_wheel(tmp_path / "dist", "0.3.0")
    monkeypatch.setattr(pinning, "origin", lambda: {"url": new.as_uri(), "archive_info": {}})
    args = argparse.Namespace(root=str(course), dry_run=dry_run)
    assert upgrade.cmd_upgrade(args) == 0
    out = capsys.readouterr().out
    line = f"./.tracksite/wheels/{old.name} -> ./.tracksite/wheels/{new.name}"
    assert f"requirements.txt: {'would pin' if dry_run else 'pinned'} {line}" in out
    text = (course / "requirements.txt").read_text(encoding="utf-8")
    wheels = sorted(p.name for p in (course / ".tracksite/wheels").iterdir())
    if dry_run:
        assert old.name in text and wheels == [old.name]
    else:
        assert text == f"# pinned\n./.tracksite/wheels/{new.name}\nnumpy\n" and wheels == [new.name]
        assert upgrade.cmd_upgrade(args) == 0
        assert "requirements.txt" not in capsys.readouterr().out  # already there


def test_an_install_the_course_cannot_carry_falls_back_to_the_version_and_says_so(tmp_path):
    gone = tmp_path / "dist/tracksite-0.2.0-py3-none-any.whl"
    p = pinning.pin({"url": gone.as_uri(), "archive_info": {}}, "0.2.0")
    assert p.requirement == "tracksite==0.2.0" and p.wheel is None
    assert "is gone" in p.note and "only a package index that has it" in p.note
    checkout = pinning.pin({"url": (tmp_path / "no-checkout").as_uri(), "dir_info": {"editable": True}}, "0.2.0")
    assert checkout.requirement == "tracksite==0.2.0" and "is gone" in checkout.note
