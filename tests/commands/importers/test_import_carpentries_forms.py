"""Issue 53: classes of failure met on Carpentries lessons nobody had imported before.

- kramdown attribute lines left by the Jekyll template (`{: .language-python}`, `{: output}`,
  `{: .error}`, `{: .source}`) right after a code block mark that block: its language, or the
  output/error styling; an indented code block so marked becomes a fenced one;
- drawings from old Inkscape and Illustrator: a doctype whose internal subset declares no
  entity is dropped on import (a namespace it fixes moves onto the root), Inkscape's flowed text
  becomes plain text; an entity with markup is still refused, and the course check says how to
  fix what it refuses;
- R Markdown chunk headers over two lines, fenced divs of unknown kinds, a challenge with a title
  and no task, emphasis in episode titles, Liquid tags;
- an exercise titled only "Exercise" is not numbered "Exercise N: Exercise".

The excerpts marked "wrangling-genomics" come from The Carpentries' lesson "Data Wrangling and
Processing for Genomics" (CC BY 4.0, The Carpentries); the rest are written for these tests.
"""

from __future__ import annotations

from tracksite.commands.importers.carpentries.episode import Context, convert


def _convert(text: str):
    return convert(text, 1, Context(episode_slugs={}))


# wrangling-genomics, episodes/02-quality-control.md (shortened)
GENOMICS = """```bash
$ ls
```

```
SRR2584863_1_fastqc       SRR2584866_1_fastqc
SRR2584863_1_fastqc.html  SRR2584866_1_fastqc.html
```
{:. output}

The `.html` files and the uncompressed `.zip` files are still present.
"""


def test_kramdown_attribute_lines_mark_the_code_block_above():
    text = (
        "Run it:\n\n~~~\nprint(1)\n~~~\n{: .language-python}\n\n```\n1\n```\n{: output}\n\n"
        "```r\nstop()\n```\n{:.error}\n\n~~~\nls\n~~~\n{: .bash}\n"
    )
    ep = _convert(text)
    assert "~~~python\nprint(1)\n~~~" in ep.body
    assert "```output\n1\n```" in ep.body and "```error\nstop()\n```" in ep.body
    assert "~~~bash\nls\n~~~" in ep.body and "{:" not in ep.body
    applied = [n for n in ep.notes if "applied" in n.message]
    assert [n.line for n in applied] == [6, 11, 16, 21]
    # verify.py compares the source's block counts with the page's: a code block shown as output is listed
    moved = {"output_blocks": 1, "code_blocks": -1}
    assert [n.counts for n in applied] == [None, moved, moved, None]
    genomics = _convert(GENOMICS)
    assert "```output\nSRR2584863_1_fastqc " in genomics.body and "{:" not in genomics.body


def test_an_indented_code_block_marked_by_an_attribute_line_becomes_a_fenced_one():
    text = (
        "Para before.\n\n    ls -l\n    cd x\n{: .language-bash}\n\n"
        "1. Step one:\n\n        make all\n    {: .source}\n\nText after.\n\n{: .callout}\n"
    )
    ep = _convert(text)
    assert "Para before.\n\n```bash\nls -l\ncd x\n```\n" in ep.body
    assert "1. Step one:\n\n    ```\n    make all\n    ```" in ep.body
    lines = {n.line: n.message for n in ep.notes}
    assert "indented code block" in lines[5] and "has no effect" in lines[14]  # numbers stay the source's


def test_an_attribute_line_that_names_no_code_kind_is_still_only_removed():
    ep = _convert("```\nx\n```\n{: .challenge}\n")
    assert "```\nx\n```" in ep.body and "{:" not in ep.body
    assert any("has no effect" in n.message for n in ep.notes)


OLD_INKSCAPE = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [
<!ATTLIST svg xmlns:xlink CDATA #FIXED "http://www.w3.org/1999/xlink">
<!-- the namespace Illustrator fixes -->
]>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
<defs><rect id="r" width="1" height="1"/></defs><use xlink:href="#r"/>
</svg>
"""
FLOWED = """<svg xmlns="http://www.w3.org/2000/svg"
  xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" viewBox="0 0 200 100">
<sodipodi:namedview id="base"/>
<g id="layer1">
<flowRoot id="f1" style="font-size:10px" transform="translate(1,2)">
<flowRegion><rect x="5" y="20" width="100" height="50"/></flowRegion>
<flowPara>First line</flowPara><flowPara/><flowPara>Second <flowSpan style="font-weight:bold">bold</flowSpan> end</flowPara>
</flowRoot>
<flowRoot><flowRegion><rect width="3" height="3"/></flowRegion><flowPara/></flowRoot>
<rect x="0" y="0" width="4" height="4"/>
</g>
</svg>
"""


def test_a_doctype_that_declares_no_entity_is_dropped_on_import_and_explained_by_check():
    from tracksite.commands.importers.pipeline.svgclean import publishable
    from tracksite.core.site.svgsafe import review

    refused = review(OLD_INKSCAPE).refused
    assert refused and "delete it from <!DOCTYPE" in refused[0][1] and "xmlns:xlink" in refused[0][1]
    text, changed = publishable(OLD_INKSCAPE)
    assert review(text).refused == [] and "<!DOCTYPE" not in text
    assert 'xmlns:xlink="http://www.w3.org/1999/xlink"' in text
    assert any("<!DOCTYPE> and its declarations" in c and "xmlns:xlink" in c for c in changed)


def test_an_entity_is_still_refused_and_check_says_how_to_fix_it():
    from tracksite.commands.importers.pipeline.svgclean import publishable
    from tracksite.core.site.svgsafe import review

    hostile = (
        '<!DOCTYPE svg [<!ATTLIST svg xmlns:xlink CDATA #FIXED "http://www.w3.org/1999/xlink">'
        '<!ENTITY x "<script>alert(1)</script>">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>'
    )
    text, _ = publishable(hostile)
    assert "declares entities" in review(text).refused[0][1] and "write each entity" in review(text).refused[0][1]


def test_inkscape_flowed_text_becomes_plain_text_on_import():
    from tracksite.commands.importers.pipeline.svgclean import publishable
    from tracksite.core.site.svgsafe import review

    assert any("Text > Convert to Text" in r for _, r in review(FLOWED).refused)
    assert len(review(FLOWED).refused) == 2  # one finding per flowed text, none for its paragraphs
    text, changed = publishable(FLOWED)
    assert review(text).refused == [] and "flow" not in text and "sodipodi" not in text
    assert '<text id="f1" style="font-size:10px" transform="translate(1,2)" x="5" y="30">' in text
    assert '<tspan x="5">First line</tspan>' in text
    assert '<tspan x="5" dy="2.5em">Second <tspan style="font-weight:bold">bold</tspan> end</tspan>' in text
    assert text.count("<text") == 1 and '<rect x="0" y="0" width="4" height="4"' in text
    assert any("flowed text ×1 became plain text" in c for c in changed)
    assert any("empty Inkscape flowed text ×1" in c for c in changed)


def test_a_div_indented_under_a_list_item_is_a_block_not_text():
    ep = _convert(
        "1. Click Import.\n   \n   :::::::::::: instructor\n   \n   Review the points.\n   \n"
        "   ::::::::::::::::\n\n::: caution\n\nMind the data.\n\n:::\n\n::: sidebar\n\nAside.\n\n:::\n"
    )
    assert "::::" not in ep.body and "/// instructor" in ep.body and "Review the points." in ep.body
    assert "/// warning | Caution" in ep.body and "/// note" in ep.body and "Aside." in ep.body


def test_a_challenge_whose_title_is_its_only_text_gets_the_title_as_its_task():
    """lc-data-intro's exercises episode: `## What does X match?`, then only the solution."""
    ep = _convert("::: challenge\n\n## What does `Fr[ea]nc[eh]` match?\n\n::: solution\n\nFrance.\n\n:::\n\n:::\n")
    assert "//// exercise\nWhat does `Fr[ea]nc[eh]` match?\n" in ep.body
    assert any("the title is the task" in n.message for n in ep.notes)


def test_a_generic_exercise_title_is_not_repeated_after_the_number():
    for title in ("Exercise", "Challenge", "Challenge 2", "Exercise:"):
        ep = _convert(f"::: challenge\n\n## {title}\n\nDo it.\n\n:::\n")
        assert "/// exercise\nDo it." in ep.body.replace("\n\n", "\n"), title
    ep = _convert("::: challenge\n\n## Exercise the loop\n\nDo it.\n\n:::\n")
    assert "/// exercise | Exercise the loop" in ep.body


def test_liquid_tags_are_removed_with_a_note_and_kept_in_code():
    ep = _convert("Maintained by {{ page.maintainers | join: ', ' }}.\n\n{% include links.md %}\n\nType `{{ x }}`.\n")
    assert "{{" not in ep.body.replace("`{{ x }}`", "") and "{%" not in ep.body and "`{{ x }}`" in ep.body
    assert sum("Liquid" in n.message for n in ep.notes) == 2


def test_an_episode_title_loses_its_markdown_and_liquid_with_a_note():
    from tracksite.commands.importers.carpentries.converted import Episode
    from tracksite.commands.importers.carpentries.lesson import _plain_title

    ep = Episode(body="")
    assert _plain_title("Testing *alpha* diversity", ep) == "Testing alpha diversity"
    assert _plain_title("About {{ site.title }}", ep) == "About"
    assert len(ep.notes) == 2 and _plain_title("Plain title", ep) == "Plain title" and len(ep.notes) == 2
