"""Issue 84, forms that held-out Workbench lessons write and the 22 known ones do not.

Each fixture is a few lines in the form, written here by the test (nothing read outside the
repository). The newcomer's path must hold right after the import: the import verifies its pages
against the source, and `tracksite check` passes.
"""

from __future__ import annotations

from support import harness
from tracksite.commands.cli import main
from tracksite.commands.importers.pipeline import counting

# A lesson made from a notebook writes its lists indented, with a heading inside each block
INDENTED = """
:::::: questions

## Questions

  - "Which loop fits a known number of steps?"
  - "What does a comprehension build?"
    - a nested point, not a question of its own

::::::

Some prose.

::::::::: keypoints

   1. A numbered key point, indented three spaces.
   2. A second one.

:::::::::
"""


def test_the_source_count_reads_an_indented_list_item_as_pandoc_does():
    """Pandoc reads a list item indented up to three spaces; its nested items are not the list's.
    Old: only items indented at most one space were counted, so the import's verification said
    `questions: 0 in the source, 2 on the built learner page` and the import exited 1."""
    counts = counting.count_source(INDENTED)
    assert (counts["questions"], counts["keypoints"]) == (2, 2)


def test_a_lesson_with_indented_questions_imports_verified(tmp_path):
    """Old: the import exited 1 (its verification counted none of these items); and the page made
    a question of the nested item and no key point of a numbered item."""
    lesson = tmp_path / "src"
    (lesson / "episodes").mkdir(parents=True)
    (lesson / "config.yaml").write_text("title: Indented lists\nepisodes:\n")  # empty: every episode
    (lesson / "episodes/01-loops.md").write_text("---\ntitle: Loops\nteaching: 5\nexercises: 0\n---\n" + INDENTED)
    course = tmp_path / "course"
    assert main(["init", str(course), "--site-name", "Lists"]) == 0
    result = harness.tracksite("import", "carpentries", str(lesson), "--track", "l", cwd=course)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-3000:]
    assert "verified: the built learner pages of 1 episodes" in out
    front = (course / "lessons/l/loops/lesson.md").read_text().split("\n---\n", 1)[0]
    assert "Which loop fits a known number of steps?" in front and "- A second one." in front
    assert "- '\"What does a comprehension build?\" - a nested point, not a question of its own'" in front
