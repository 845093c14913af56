"""A course id the course declares (mkdocs.yml's `course_id:`, core/site/courseid.py): what a
learner's browser keeps no longer depends on the course's name or address. Checked at its line
(TS607), suggested where missing (TS608), written by `tracksite init`; the pages carry the earlier
id so widgets.js moves the learner's keys; an export still binds its namespace to its address."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import yaml

from support import harness
from support.course import load, make_course
from tracksite.commands.cli import main
from tracksite.commands.init import init_course
from tracksite.core.site import courseid


def declare(root: Path, value: str, site_name: str = "Fixture course") -> Path:
    """The fixture course's mkdocs.yml with `course_id: value` (as written) and `site_name`."""
    path = root / "mkdocs.yml"
    text = path.read_text(encoding="utf-8").replace("site_name: Fixture course", f"site_name: {site_name}")
    path.write_text(text.replace("  - tracksite\n", f"  - tracksite:\n      course_id: {value}\n"), encoding="utf-8")
    return root


def meta(site: Path, url: str) -> dict:
    return dict(harness.page(site, url).find("meta", attrs={"name": "tracksite-course"}).attrs)


def test_a_declared_id_names_the_course_wherever_and_however_it_is_called(tmp_path):
    root = declare(make_course(tmp_path / "course"), "fixture-id")
    assert {"TS607", "TS608"}.isdisjoint(p.code for p in load(root).problems.items)  # no TS608 once declared
    site = harness.build(root)
    own = courseid.declared_id("fixture-id")
    earlier = courseid.course_id("Fixture course", "")
    # not bound to the address (a moved site keeps it), and the earlier id to move keys from
    assert meta(site, "alpha/a1/") == {
        "name": "tracksite-course",
        "content": own,
        "data-earlier": earlier,
        "data-earlier-bound": "location",
    }
    assert json.loads((site / "course.json").read_text(encoding="utf-8"))["id"] == own
    declare(root, "fixture-id", "Renamed course")
    again = harness.build(root)
    assert meta(again, "alpha/a1/")["content"] == own
    assert meta(again, "alpha/a1/")["data-earlier"] == courseid.course_id("Renamed course", "") != earlier


def test_without_a_declared_id_the_key_is_as_before_and_check_suggests_one(tmp_path):
    root = make_course(tmp_path / "course")
    found = [p for p in load(root).problems.items if p.code == "TS608"]
    assert len(found) == 1 and found[0].severity == "warning" and found[0].path == "mkdocs.yml"
    assert "course_id: fixture-course" in found[0].hint and found[0].line == 14  # `- tracksite`
    site = harness.build(root)  # a warning: the (strict) build goes on
    assert meta(site, "alpha/a1/") == {
        "name": "tracksite-course",
        "content": courseid.course_id("Fixture course", ""),
        "data-bound": "location",
    }


def test_a_wrong_course_id_is_refused_at_its_line(tmp_path, capsys):
    for value, said in (
        ('"Deep Learning!"', "'Deep Learning!'"),
        ("12", "a number"),
        ("[a, b]", "a list"),
        ("-x", "'-x'"),
    ):
        root = declare(make_course(tmp_path / value.strip('"[]!-, ').replace(" ", "_")), value)
        found = [p for p in load(root).problems.items if p.code == "TS607"]
        assert len(found) == 1 and found[0].severity == "error", value
        assert found[0].path == "mkdocs.yml" and found[0].line == 15, value
        assert f"course_id: {said} is not a course id" in found[0].message, found[0].message
        assert "course_id: fixture-course" in found[0].hint
    result = harness.mkdocs(root)
    assert result.returncode != 0 and "TS607" in result.stderr and "Traceback" not in result.stderr


def test_init_declares_an_id_made_of_the_course_name(tmp_path):
    folder = tmp_path / "intro"
    init_course(folder, "Intro to Machine Learning: 2027", "")
    config = yaml.safe_load((folder / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python/name:", "x"))
    plugin = next(p for p in config["plugins"] if isinstance(p, dict) and "tracksite" in p)
    assert plugin["tracksite"]["course_id"] == "intro-to-machine-learning-2027"
    assert courseid.suggested("Été & ☃") == "t" or courseid.SLUG.match(courseid.suggested("Été & ☃"))
    assert courseid.suggested("!!!") == "course"


def test_a_scorm_package_binds_the_declared_id_to_its_address(tmp_path):
    root = declare(make_course(tmp_path / "course"), "fixture-id")
    target = tmp_path / "course.zip"
    assert main(["--root", str(root), "export", "scorm", "--out", str(target)]) == 0
    with zipfile.ZipFile(target) as z:
        z.extractall(tmp_path / "pkg")
    # each LMS activity serves the package from its own path: the namespace stays bound to it
    # (issue 72), and the earlier id a site moves keys from is not the package's business
    assert meta(tmp_path / "pkg", "alpha/a1/") == {
        "name": "tracksite-course",
        "content": courseid.declared_id("fixture-id"),
        "data-bound": "location",
    }
    course = (tmp_path / "pkg/assets/tracksite-export/scorm-course.js").read_text(encoding="utf-8")
    assert json.loads(course.removeprefix("window.tracksiteCourse = ").rstrip().rstrip(";"))["id"] == (
        courseid.declared_id("fixture-id")
    )
