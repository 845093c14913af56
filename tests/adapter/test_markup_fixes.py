"""Markdown that instructors write the GitHub way renders the way they expect (issue 18.6)."""

from __future__ import annotations

from bs4 import BeautifulSoup

from support.course import lesson_md, write
from support.sites import run_mkdocs
from tracksite.adapter.pages.markup_fixes import code_block_ids, table_code_pipes


def test_escaped_pipe_in_table_code_loses_its_backslash(course):
    body = (
        "## Pipes\n\n| command | what |\n|---|---|\n| `ls \\| wc -l` | count, with a \\| literal |\n\n"
        "Outside tables `a \\| b` keeps its backslash.\n\n" + "Words to read here. " * 40 + "\n"
    )
    write(course, "lessons/alpha/a1/lesson.md", lesson_md("First lesson", body=body))
    result = run_mkdocs(course)
    assert result.returncode == 0, result.stderr[-3000:]
    soup = BeautifulSoup((course / "site/alpha/a1/index.html").read_text(), "lxml")
    cells = [td.get_text() for td in soup.select("article table td")]
    assert cells[:2] == ["ls | wc -l", "count, with a | literal"]
    assert "a \\| b" in [c.get_text() for c in soup.select("article p code")]


def test_only_code_inside_table_cells_changes():
    html = "<p><code>x \\| y</code></p><table><tr><td><code>a \\| b</code> c \\| d</td></tr></table>"
    assert (
        table_code_pipes(html)
        == "<p><code>x \\| y</code></p><table><tr><td><code>a | b</code> c \\| d</td></tr></table>"
    )


def test_each_code_block_gets_its_own_id():
    """Material names a block's copy target after the closest id around it; the lesson wrapper's
    id would otherwise be shared by every block of the page."""
    html = (
        '<div id="ts-tabpanel"><div class="language-python highlight"><pre><code>a</code></pre></div>'
        '<div class="highlight"><pre><code>b</code></pre></div>'
        '<div class="language-text highlight" id="mine"><pre><code>c</code></pre></div>'
        '<div class="highlighted-note">not code</div></div>'
    )
    out = code_block_ids(html)
    assert 'class="language-python highlight" id="ts-code-1"' in out
    assert 'class="highlight" id="ts-code-2"' in out
    assert 'id="mine"' in out and out.count("ts-code-") == 2
    assert '<div class="highlighted-note">' in out


def test_a_lesson_page_has_one_skip_link_tracksites_to_its_title(fixture_site):
    """Issue 70 (bar 56): Material writes its own skip link, to the first section, before the
    template's; the page keeps only tracksite's, which goes to the lesson's title."""
    from bs4 import BeautifulSoup

    page = BeautifulSoup((fixture_site / "alpha/a2/index.html").read_text(encoding="utf-8"), "lxml")
    skips = page.select("a.md-skip")
    assert [(a.get("href"), "ts-skip" in a.get("class", [])) for a in skips] == [("#ts-title", True)]
    assert page.select_one('[data-md-component="skip"]') is not None  # Material's script finds its element


def test_names_and_whitespace_of_a_code_block_are_bare_text(course):
    """A name (`n`) is drawn in the code's own colour and whitespace (`w`) has no style: the
    build writes their text without Pygments' span, every other token keeps its span, and the
    text a learner reads and copies is the same (a page load's style and layout passes visit
    every element: docs/benchmarks.md)."""
    code = "def softmax(scores, axis=-1):\n    exps = np.exp(scores)\n    return exps / exps.sum(axis)\n"
    body = "## Code\n\n```python\n" + code + "```\n\n"
    body += '<p><span class="n">an author\'s span</span> outside code stays.</p>\n\n' + "Words to read. " * 40
    write(course, "lessons/alpha/a1/lesson.md", lesson_md("First lesson", body=body))
    result = run_mkdocs(course)
    assert result.returncode == 0, result.stderr[-3000:]
    soup = BeautifulSoup((course / "site/alpha/a1/index.html").read_text(), "lxml")
    block = soup.select_one("article .highlight pre code")
    assert block is not None and block.get_text() == code
    assert block.select("span.n, span.w") == []
    kept = {c for span in block.select("span[class]") for c in span["class"]}
    assert {"k", "nf", "p", "o", "mi"} <= kept, kept  # the tokens that have a colour of their own
    assert [s.get_text() for s in soup.select("article p > span.n")] == ["an author's span"]
