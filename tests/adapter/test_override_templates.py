"""The course's own templates are read before a page is rendered with them (issue 54, Low): an
`overrides/main.html` that said `{% extends "main.html" %}` passed check with 0 errors and ended
the build in "internal error (RecursionError) ... a bug in tracksite". A template that reaches
itself, and one Jinja cannot read, are located problems of check and of the build alike."""

from __future__ import annotations

from support.course import make_course, run_cli, write


def _check(root):
    return run_cli(root, ["check"])


def test_a_main_html_extending_itself_is_a_located_error_in_check_and_build(tmp_path):
    root = make_course(tmp_path / "c")
    write(root, "overrides/main.html", '{% extends "main.html" %}\n{% block content %}{{ super() }}{% endblock %}\n')
    check = _check(root)
    assert check.returncode == 1, check.stdout + check.stderr
    out = check.stdout + check.stderr
    assert "overrides/main.html:1" in out and "TS221" in out and 'extend "base.html"' in out
    build = run_cli(root, ["build"])
    said = build.stdout + build.stderr
    assert build.returncode != 0 and "TS221" in said
    assert "RecursionError" not in said and "Traceback" not in said
    assert not (root / "site").exists()


def test_partials_that_include_each_other_are_a_loop(tmp_path):
    root = make_course(tmp_path / "c")
    write(root, "overrides/partials/a.html", "<p>a</p>\n\n{% include 'partials/b.html' %}\n")
    write(root, "overrides/partials/b.html", "{% include 'partials/a.html' %}\n")
    out = _check(root).stdout
    assert "overrides/partials/a.html:3" in out and "overrides/partials/b.html:1" in out, out


def test_extending_materials_base_and_overriding_a_partial_is_fine(tmp_path):
    root = make_course(tmp_path / "c")
    write(root, "overrides/main.html", '{% extends "base.html" %}\n{% block footer %}<p>ours</p>{% endblock %}\n')
    write(root, "overrides/partials/extra.html", "{% include 'partials/copyright.html' %}\n")
    check = _check(root)
    assert "TS221" not in check.stdout and "TS222" not in check.stdout, check.stdout


def test_a_template_jinja_cannot_read_is_located(tmp_path):
    root = make_course(tmp_path / "c")
    write(root, "overrides/partials/pager.html", "<nav>\n{% if %}\n</nav>\n")
    check = _check(root)
    assert check.returncode == 1
    assert "overrides/partials/pager.html:2" in check.stdout and "TS222" in check.stdout, check.stdout
