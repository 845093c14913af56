"""The widget extension's shortcuts in pymdownx's block parsing change no page (issue 57).

`adapter/blocks/__init__.py` hands pymdownx's `parse_blocks` a parent whose tree walk is skipped
while at most one block is open, and a widget body already dedented by pymdownx is not dedented
again. These pages mix blocks in lists, nested blocks and blocks after long pages: converted
with and without the widget extension loaded, pymdownx's own blocks give the same HTML, and a
quiz or exercise drawn twice on a page (as in an exercise pack) is drawn the same way twice.
"""

from __future__ import annotations

import markdown
from bs4 import BeautifulSoup

from tracksite.adapter.blocks import TracksiteBlocksExtension

BASE = ["toc", "attr_list", "md_in_html", "def_list", "pymdownx.superfences", "pymdownx.blocks.details"]
ADMONITION = ("pymdownx.blocks.admonition", {"types": ["note", "tip"]})

NESTED = """
# Title

Some text.

- item one

    /// note | In a list
    First paragraph.

    //// details | Nested in the note
    Inside *details*.

    - a list in details

        /// tip | Deeper
        Three levels down.
        ///
    ////

    After the nested block.
    ///

- item two

Term
:   /// note | In a definition
    Text.

    More text.
    ///

/// details | Top level
Paragraph.

/// note | Not nested: the details closes first
Text.
///
"""


def convert(text: str, ours: bool) -> str:
    extensions = [*BASE, ADMONITION[0], *([TracksiteBlocksExtension()] if ours else [])]
    return markdown.Markdown(extensions=extensions, extension_configs={ADMONITION[0]: ADMONITION[1]}).convert(text)


def test_pymdownx_blocks_render_the_same_with_the_widget_extension_loaded():
    long_page = "\n\n".join(f"Paragraph {n} of a long page." for n in range(60))
    for text in (NESTED, long_page + NESTED, NESTED * 3):
        assert convert(text, ours=True) == convert(text, ours=False)
    soup = BeautifulSoup(convert(NESTED, ours=True), "lxml")
    tip = soup.select_one("li .admonition.note details .admonition.tip")
    assert tip is not None and "Three levels down." in tip.get_text()


QUIZ = """/// quiz
- question: Which is right?
  options:
    - text: This one
      correct: true
      explain: Because.
    - text: That one
      explain: Not that.
    - text: "`the other`"
      explain: No.
///
"""

EXERCISE = """//// exercise | Try it
Do the thing.

/// solution
Done.
///
////
"""


def test_a_block_drawn_twice_on_a_page_is_drawn_alike():
    soup = BeautifulSoup(convert(f"{QUIZ}\n{EXERCISE}\n{QUIZ}\n{EXERCISE}", ours=True), "lxml")
    quizzes = soup.select('[data-widget="quiz"]')
    assert len(quizzes) == 2
    orders = [[i["value"] for i in quiz.select("input")] for quiz in quizzes]
    assert orders[0] == orders[1] and sorted(orders[0]) == ["0", "1", "2"]
    keys = [quiz["data-key"].rsplit(":", 1)[-1] for quiz in quizzes]
    assert keys[0] == keys[1] and len(keys[0]) == 8
    assert [h.get_text() for h in soup.select(".ts-exercise__title")] == ["Exercise 1: Try it", "Exercise 2: Try it"]
    assert all(s.select_one(".ts-solution__body").get_text().strip() == "Done." for s in soup.select(".ts-solution"))


def test_a_quiz_body_indented_as_a_whole_is_dedented_like_one_at_the_margin():
    header, *body, end = QUIZ.strip("\n").split("\n")
    indented = "\n".join([header, "", *("        " + line for line in body), end]) + "\n"
    flat = BeautifulSoup(convert(QUIZ, ours=True), "lxml").select_one('[data-widget="quiz"]')
    deep = BeautifulSoup(convert(indented, ours=True), "lxml").select_one('[data-widget="quiz"]')
    assert flat is not None and deep is not None
    assert [i.get_text() for i in deep.select(".ts-quiz__label")] == [
        i.get_text() for i in flat.select(".ts-quiz__label")
    ]


HELD = """# Page

## Kept section

/// note | A call-out
#### Inside a note
///

- a list

    /// details | Folded
    ##### Inside details, in a list
    ///

//// exercise | Try it
### Inside an exercise

/// solution
### Inside a solution
///
////

## Kept after the blocks
"""


def test_headings_inside_blocks_keep_their_ids_and_stay_out_of_the_contents():
    """The page's contents list its sections only: a heading in a call-out, a folded block, an
    exercise or its solution keeps its id (links reach it) but is not listed (issue 73; issue 88
    walks the tree with ElementTree's iterator instead of a Python call per element)."""
    md = markdown.Markdown(
        extensions=[*BASE, ADMONITION[0], TracksiteBlocksExtension()], extension_configs={ADMONITION[0]: ADMONITION[1]}
    )
    soup = BeautifulSoup(md.convert(HELD), "lxml")

    def listed(tokens):
        return [name for t in tokens for name in (t["name"], *listed(t["children"]))]

    assert listed(md.toc_tokens) == ["Page", "Kept section", "Kept after the blocks"]
    held = ["Inside a note", "Inside details, in a list", "Inside an exercise", "Inside a solution"]
    assert all(soup.find(id=markdown.extensions.toc.slugify(h, "-")) is not None for h in held), soup
