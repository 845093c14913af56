"""The per-page passes made cheaper for large courses (issue 45) still answer as before: which
widget files a page links, the interface strings with and without values, each page's script
strings, and the search index written file by file."""

from __future__ import annotations

import json
import os
import re

import pytest

from tracksite.adapter.pages import csp, language
from tracksite.adapter.published import widgetassets
from tracksite.core import keptfiles, memo, messages
from tracksite.search import index as search

PREDICT = ["assets/tracksite/predict.js", "assets/tracksite/predict.css"]


@pytest.mark.parametrize(
    "html",
    [
        '<div class="ts-predict">',
        '<div class="a ts-predict b">',
        '<p class="x"></p><div id="p" class="ts-widget ts-predict">',
        '<div class="foo class=" ts-predict">',  # a `class="` that starts inside another value
        '<div class="ts-predict',  # a value the page never closes
        '<div class="ts-box ts-predict.x">',
    ],
)
def test_a_widget_class_anywhere_in_a_class_value_links_its_files(html):
    assert sorted(widgetassets.needed(html)) == sorted(PREDICT)


@pytest.mark.parametrize(
    "html",
    [
        "",
        '<div class="ts-predictor">',
        '<div class="x-ts-predict">',
        '<div class="ts-predict_x">',
        "<p>ts-predict</p>",
        '<div data-kind="ts-predict">',
        "<p>class=&quot;ts-predict&quot;</p>",
    ],
)
def test_lookalikes_and_text_outside_class_values_link_nothing(html):
    assert widgetassets.needed(html) == []


def test_interface_strings_fill_their_values_and_keep_unknown_ones():
    words = messages.catalogue("en")
    assert words.text("trackN", n=4) == "Track 4"
    assert words.text("pagerNext", n=1234, of=5) == "Next: Lesson 1,234 of 5"
    assert words.text("trackN") == "Track {n}"  # a value the caller did not give stays visible
    assert words.text("no-such-key") == "no-such-key"


def test_each_page_carries_its_own_language_script_strings():
    for lang in ("en", "es", "en"):
        found = json.loads(language.context(lang)["messages"])
        assert found == messages.catalogue(lang).script
    assert json.loads(language.context("es")["messages"]) != json.loads(language.context("en")["messages"])


def test_inline_script_hashes_are_those_of_each_script_seen():
    page = "<script>a()</script><script type='module'>b()</script><script src='x.js'></script><script>a()</script>"
    hashes = csp.inline_script_hashes(page)
    assert len(hashes) == 2
    assert csp.inline_script_hashes("<script>b()</script>")[0] in hashes


def test_a_pages_policy_hashes_the_theme_scripts_a_whole_page_scan_would():
    """`apply` reads the theme's scripts from their marks: the same scripts a scan of every
    `<script` in the page finds marked (an end tag in capitals, one whose end tag is missing and
    runs into the next, a page's own script unmarked), the marks gone and the tag filled once."""
    mark = csp.mark
    page = (
        '<head><meta http-equiv="Content-Security-Policy" content=""></head>'
        + mark("<script>a()</SCRIPT><SCRIPT>b()<script type=module>c()</script>")
        + "<script>mine()</script>"
        + mark("<script src=x.js></script><script type=application/json>{}</script><script>d()</script >e</script>")
    )
    scanned = sorted(
        {
            csp._hash(m.group("body"))
            for m in csp._INLINE_SCRIPT.finditer(page)
            if csp._MARK in m.group("attrs") and csp._executes(m.group("attrs"))
        }
    )
    assert len(scanned) == 3 and csp._theme_hashes(page, csp._marks(page)) == scanned
    out = csp.apply(page)
    assert csp._TOKEN not in out and out.count("Content-Security-Policy") == 1
    assert f'content="{csp.policy(scanned)}"' in out and "<script>mine()</script>" in out


def test_the_index_is_written_into_its_folders_and_rewritten_clean(tmp_path):
    out = tmp_path / "search-index"
    files = {"index.json": b"{}", "words/6162.json": b"[1]", "pages/0-0.json": b"[2]", "pages/0-1.json": b"[3]"}
    search._write_files(out, files)
    written = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert written == files
    (out / "pages" / "stale.json").write_bytes(b"old")
    with memo.using(memo.Memory()):  # another process (a memory of its own): what it finds is replaced
        search._write_files(out, {"index.json": b"{}", "pages/1-0.json": b"[4]"})
    written = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert written == {"index.json": b"{}", "pages/1-0.json": b"[4]"}


def test_a_serve_write_writes_what_changed_and_puts_back_what_was_removed(tmp_path, monkeypatch):
    """Under serve the index is written again after each save: only the files that changed are
    written, the others are not looked for one by one while their folder is as the last write left
    it, and a file removed from the folder since is written again."""
    out = tmp_path / "search-index"
    written: list[str] = []
    put = keptfiles.Kept.put
    monkeypatch.setattr(keptfiles.Kept, "put", lambda self, path, *a: written.append(path) or put(self, path, *a))
    files = {"index.json": b"{}", "words/6162.json": b"[1]", "pages/0-0.json": b"[2]", "pages/0-1.json": b"[3]"}
    search._write_files(out, files)
    assert sorted(written) == sorted(files)
    written.clear()
    looked: list[str] = []
    isfile = os.path.isfile
    monkeypatch.setattr(os.path, "isfile", lambda path: looked.append(path) or isfile(path))
    search._write_files(out, {**files, "pages/0-1.json": b"[5]"})
    assert written == ["pages/0-1.json"] and looked == []
    written.clear()
    (out / "pages" / "0-0.json").unlink()  # (not by the index: the folder's stamp moves)
    search._write_files(out, {**files, "pages/0-1.json": b"[5]"})
    assert written == ["pages/0-0.json"] and len(looked) == 2  # (the files of the folder that moved)
    assert (out / "pages" / "0-0.json").read_bytes() == b"[2]"


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("This is ſtate-of-the-art.", "ſtate-of-the-art"),  # IGNORECASE folds ſ to s; lower() does not
        ("As<b>of 2024, it leads.", "As of 2024"),  # a tag between the words: the prose reads "As of"
        ("THE LARGEST MODELS are big.", "THE LARGEST MODELS"),
        ("Nowadays every lab ships one.", "Nowadays"),
    ],
)
def test_a_dated_phrase_is_found_however_it_is_written(text, phrase):
    from tracksite.core.checks import teaching

    assert [found for _, _, found in teaching._dated(f"Intro.\n\n{text}\n", 5)] == [phrase]


def test_prose_without_a_dated_word_has_no_dated_phrase():
    from tracksite.core.checks import teaching

    assert teaching._dated("A plain lesson about attention.\n\nNothing here dates.\n", 1) == []


def test_every_widget_class_is_one_class_name_whole():
    """The pages' class values are cut into names of word characters and hyphens, and a widget's
    class is looked up among them: a class with any other character would never be found."""
    from tracksite.core import widgetregistry

    classes = [w.css_class for w in widgetregistry.WIDGETS if w.css_class]
    assert classes and all(re.fullmatch(r"[\w-]+", c) for c in classes), classes


def test_a_serve_write_stopped_halfway_is_finished_by_the_next(tmp_path):
    """A newer build stops the index being written (at 10,000 lessons a whole write takes
    seconds, and the next save waited for it): what was written by then is remembered, and the
    next write leaves the folder holding exactly its own files."""
    out = tmp_path / "search-index"
    old = {f"pages/{i}-0.json": b"[%d]" % i for i in range(3000)}
    search._write_files(out, old)
    new = {**{f"pages/{i}-0.json": b"[-%d]" % i for i in range(2500)}, "index.json": b"{}"}
    asked = []
    assert search._write_files(out, new, stop=lambda: asked.append(1) or len(asked) > 2) is None
    halfway = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert halfway != new and halfway.keys() == old.keys()  # (nothing removed before the end)
    assert search._write_files(out, new) is not None
    written = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert written == new
