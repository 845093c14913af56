"""Widget texts are inline Markdown (issue 18, point 5), checked in the built HTML.

A shell course's quiz whose options are commands: each option's `cd ..` must be a `<code>`
element; emphasis, links and math render; raw HTML, script links and attribute lists written
into a widget text stay text (no element, no attribute, no handler).
"""

from __future__ import annotations

from support import harness

QUIZ = r"""
## Practice

/// quiz
- question: Which command moves *up* one folder, out of `~/data`?
  options:
    - text: "`cd ..`"
      correct: true
      explain: "`..` is the **parent** folder; see [the manual](https://www.gnu.org/software/bash/)."
    - text: "`cd ~`"
      explain: "`~` is your *home* folder, wherever you are; the key size is $d_k$."
    - text: "<img src=x onerror=alert(1)> [click](javascript:alert(1)) *x*{onclick=alert(1)}"
      explain: "<script>alert(2)</script> & `<b>`"
///

/// flashcards
- term: "`ls -a`"
  answer: Lists **all** files, hidden ones too.
///
"""


def build(course, tmp_path):
    lesson = course / "lessons/alpha/a1/lesson.md"
    lesson.write_text(lesson.read_text().replace("math: none", "math: light") + QUIZ)
    return harness.page(harness.build(course, site=tmp_path / "site"), "alpha/a1")


def test_quiz_options_and_explanations_render_inline_markdown(course, tmp_path):
    soup = build(course, tmp_path)
    quiz = soup.select_one('[data-widget="quiz"]')
    legend = quiz.select_one(".ts-quiz__legend")
    assert legend.find("em").get_text() == "up" and legend.find("code").get_text() == "~/data"
    labels = {label.get_text(): label for label in quiz.select(".ts-quiz__label")}
    assert labels["cd .."].find("code").get_text() == "cd .."
    assert labels["cd ~"].find("code").get_text() == "cd ~"
    assert not any("`" in text for text in labels)
    explains = quiz.select(".ts-quiz__explain")
    parent = next(e for e in explains if "parent" in e.get_text())
    assert parent.find("strong").get_text() == "parent"
    assert parent.find("a")["href"] == "https://www.gnu.org/software/bash/"
    home = next(e for e in explains if "home" in e.get_text())
    assert home.find("math") is not None, "math in a widget text becomes MathML"
    card = soup.select_one(".ts-card__term")
    assert card.find("code").get_text() == "ls -a"
    assert soup.select_one(".ts-card__answer strong").get_text() == "all"


def test_html_and_script_links_in_widget_texts_stay_text(course, tmp_path):
    soup = build(course, tmp_path)
    quiz = soup.select_one('[data-widget="quiz"]')
    assert quiz.find("img") is None and quiz.find("script") is None and quiz.find("b") is None
    assert not [a for a in quiz.find_all("a") if "javascript" in (a.get("href") or "")]
    assert not [el for el in quiz.find_all(True) if any(k.startswith("on") for k in el.attrs)]
    label = next(l for l in quiz.select(".ts-quiz__label") if "click" in l.get_text())
    assert "<img src=x onerror=alert(1)>" in label.get_text()
    explain = next(e for e in quiz.select(".ts-quiz__explain") if "alert(2)" in e.get_text())
    assert explain.get_text() == "<script>alert(2)</script> & <b>"
    assert explain.find("code").get_text() == "<b>"
