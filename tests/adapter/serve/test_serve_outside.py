"""The digest the dev server puts on its reload script's tag (adapter/serve/outside.py): the same
for two builds of a page whose changes the in-place update carries, another for any change it
cannot carry, so that the page is then reloaded whole."""

from __future__ import annotations

import pytest

from tracksite.adapter.serve.outside import digest

PAGE = """<!doctype html>
<html lang="en" dir="ltr" class="no-js">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'">
<meta name="description" content="A lesson.">
<link rel="prev" href="../a0/"><link rel="next" href="../a2/"><link rel="canonical" href="https://x.org/a1/">
<title>First lesson - Course</title>
<link rel="stylesheet" href="../../assets/stylesheets/main.57a0d79d.min.css">
<link rel="stylesheet" href="../../assets/tracksite/theme.css">
</head>
<body dir="ltr" data-md-color-scheme="default">
<div data-md-component="skip"></div>
<div data-md-component="announce"></div>
<header class="md-header" data-md-component="header">
  <a href="../.." class="md-logo" data-md-component="logo"><svg></svg></a>
  <div class="md-header__topic"><span>Course</span></div>
  <div class="md-header__topic" data-md-component="header-topic"><span>First lesson</span></div>
</header>
<div class="md-container" data-md-component="container">
  <main class="md-main"><div class="md-content"><article>
    <h1>First lesson</h1><div><p>Some text.</p></div>
    <div data-widget="quiz"><div>A quiz</div></div>
  </article></div></main>
  <footer class="md-footer"><div>Built with tracksite.</div></footer>
</div>
<div class="md-dialog" data-md-component="dialog"></div>
<script id="__config" type="application/json">{"base": "../.."}</script>
<script src="../../assets/javascripts/bundle.a5f9d56c.min.js"></script>
<script src="../../assets/tracksite/widgets.js" defer></script>
</body>
</html>
"""


@pytest.mark.parametrize(
    "old, new",
    [
        ("<p>Some text.</p>", "<p>Some text.</p><p>A sentence the save added.</p><div><div></div></div>"),
        ("<title>First lesson - Course</title>", "<title>First lesson, renamed - Course</title>"),
        ("<span>First lesson</span>", "<span>First lesson, renamed</span>"),
        ('content="A lesson."', 'content="Another summary."'),
        ('<link rel="next" href="../a2/">', ""),
        ('<a href="../.."', '<a href="../../"'),
        ("Built with tracksite.", "Built with tracksite, changed."),
    ],
)
def test_what_the_swap_carries_keeps_the_digest(old, new):
    assert old in PAGE
    assert digest(PAGE.replace(old, new).encode()) == digest(PAGE.encode()) != ""


@pytest.mark.parametrize(
    "old, new",
    [
        ("</head>", '<link rel="stylesheet" href="../../assets/tracksite/predict.css"></head>'),
        ("</body>", '<script src="../../assets/tracksite/predict.js" defer></script></body>'),
        ("script-src 'self'", "script-src 'self'; worker-src blob:"),
        ('lang="en"', 'lang="fr"'),
        ("<span>Course</span>", "<span>Course, renamed</span>"),
        ('{"base": "../.."}', '{"base": "../..", "features": ["toc.follow"]}'),
        ('data-md-color-scheme="default"', 'data-md-color-scheme="slate"'),
    ],
)
def test_what_the_swap_cannot_carry_changes_the_digest(old, new):
    assert old in PAGE
    assert digest(PAGE.replace(old, new).encode()) not in ("", digest(PAGE.encode()))


def test_a_part_not_closed_gives_no_digest():
    """The script reloads the page whole on an empty digest, rather than compare half a page."""
    cut = PAGE[: PAGE.index("<footer")]
    assert digest(cut.encode()) == ""
    assert digest(b"<html><body><p>No Material here</p></body></html>") != ""
