"""The course search index (tracksite.search, built by every `mkdocs build`): what it holds
and what it never holds, read back from the built site's files and compared with the built pages.

Issue 16 and issue 14 (3, 4): teaching text and headings only; no quiz explanation, solution or
flashcard back; no instructor note, draft, home page or product documentation in the learner's
search; every result knows its kind, track and "Track N · Lesson M of K".
"""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, CData, NavigableString

from support import harness
from support.course import REPO, lesson_md, write
from support.harness import soup
from support.search_index import all_text, content, filters, fragments, sections
from support.sites import run_mkdocs
from tracksite.adapter.serve import process
from tracksite.core import memo
from tracksite.search import index as search
from tracksite.search import page as searchpage
from tracksite.search import stream

NOTE = "Ask the class to guess the zanzibarian weights first."


#: The bundled site's pages as parsed, each once for this module: five tests read every page, and
#: parsing them was most of what the module cost. The tests only read them (`text_outside`).
_PARSED: dict[Path, BeautifulSoup] = {}


def built(path: Path) -> BeautifulSoup:
    """A page of the built site, parsed once for the module; never to be changed. The parsed
    pages (millions of objects) are frozen out of the garbage collector's reach while kept: each
    full collection walked them all again, and made the module's builds take twice as long."""
    if path not in _PARSED:
        _PARSED[path] = soup(path)
        gc.freeze()
    return _PARSED[path]


@pytest.fixture(scope="module", autouse=True)
def _forget_parsed_pages():
    yield
    _PARSED.clear()
    gc.unfreeze()


def text_outside(html: BeautifulSoup, selector: str) -> str:
    """`html.get_text(" ")` as it would be with the elements `selector` finds decomposed, the
    parsed page left whole (get_text keeps plain strings and CDATA only: not comments or scripts)."""
    inside = {id(s) for element in html.select(selector) for s in element.find_all(string=True)}
    kept = (NavigableString, CData)
    return " ".join(s for s in html.find_all(string=True) if type(s) in kept and id(s) not in inside)


def squash(text: str) -> str:
    return " ".join(text.split())


def indexed_text(site: Path) -> str:
    return squash(" ".join(content(f) for f in fragments(site).values()))


def teaching_urls(site: Path) -> set[str]:
    """Every lesson, overview, cheatsheet and track page of the built site, as the index's URLs."""
    urls = set()
    for page in site.rglob("index.html"):
        article = built(page).select_one(".ts-lesson-header, .ts-progress-track")  # lesson tabs, track pages
        if article is not None:
            urls.add("/" + page.parent.relative_to(site).as_posix() + "/")
    return urls


#: A track's own learner pages besides its lessons (core/site/trackpages.py), by their file name.
TRACK_PAGES = ("glossary", "keypoints", "review", "exercises")


def track_page_urls(site: Path) -> set[str]:
    """Every glossary, key points, review and exercise page the build published."""
    return {
        "/" + p.parent.relative_to(site).as_posix() + "/"
        for p in site.glob("*/*/index.html")
        if p.parent.name in TRACK_PAGES and (site / p.parent.parent.name / "index.html").is_file()
    }


def test_only_learner_pages_are_indexed(built_site):
    indexed = set(fragments(built_site))
    expected = teaching_urls(built_site)
    assert len(expected) == 2 + 17 * 3  # two tracks, seventeen lessons with overview and cheatsheet
    own = track_page_urls(built_site)
    assert len(own) == 2 * 4  # issue 32.5: each track's glossary, key points, review and exercise pack
    expected |= own
    assert indexed == expected, (sorted(indexed - expected), sorted(expected - indexed))
    for guide in ("authoring", "benchmarks", "security"):  # issue 14.4: not in the course search
        assert (built_site / guide / "index.html").is_file()
        assert f"/{guide}/" not in indexed
    assert "/" not in indexed


def test_no_answer_is_in_the_index(built_site):
    """Quiz options' explanations, exercise solutions and flashcard backs (issue 14.3)."""
    text = indexed_text(built_site)
    answers = []
    for page in built_site.rglob("index.html"):
        html = built(page)
        found = [
            squash(n.get_text(" "))
            for n in html.select(".ts-quiz__explain, .ts-solution__body, .ts-card__answer, .ts-quiz__verdict")
        ]
        prose = squash(text_outside(html, "[data-widget]"))  # a card may repeat a sentence the lesson teaches: fine
        answers += [(page, a) for a in found if len(a) > 25 and a.rstrip(".") not in prose]
    assert len(answers) > 100  # the course has them: the check is not vacuous
    leaked = [(str(p.relative_to(built_site)), a) for p, a in answers if a in text]
    assert leaked == []
    assert "Right:" not in text and "Wrong:" not in text


def test_teaching_text_and_headings_are_indexed(built_site):
    page = fragments(built_site)["/transformers-and-llms/attention-mechanism/"]
    html = built(built_site / "transformers-and-llms/attention-mechanism/index.html")
    first = squash(html.select_one("#scaled-dot-product-attention").find_next("p", class_=False).get_text(" "))
    assert first[:60] in squash(content(page))
    assert sections(page)["scaled-dot-product-attention"] == "Scaled dot-product attention"


@pytest.mark.parametrize(
    "url, kind, where, track",
    [
        (
            "/transformers-and-llms/attention-mechanism/",
            "lesson",
            "Track 5 · Lesson 3 of 7",
            "Track 5: Transformers and LLMs",
        ),
        (
            "/transformers-and-llms/glossary/",
            "glossary",
            "Track 5: Transformers and LLMs",
            "Track 5: Transformers and LLMs",
        ),
        (
            "/deep-learning-survey/keypoints/",
            "keypoints",
            "Track 4: Deep learning, a survey",
            "Track 4: Deep learning, a survey",
        ),
        (
            "/deep-learning-survey/review/",
            "review",
            "Track 4: Deep learning, a survey",
            "Track 4: Deep learning, a survey",
        ),
        (
            "/transformers-and-llms/exercises/",
            "exercises",
            "Track 5: Transformers and LLMs",
            "Track 5: Transformers and LLMs",
        ),
        (
            "/deep-learning-survey/attention-and-transformers/overview/",
            "overview",
            "Track 4 · Lesson 3 of 10",
            "Track 4: Deep learning, a survey",
        ),
        (
            "/deep-learning-survey/convolutions/cheatsheet/",
            "cheatsheet",
            "Track 4 · Lesson 4 of 10",
            "Track 4: Deep learning, a survey",
        ),
        ("/transformers-and-llms/", "track", "Track 5 · 7 lessons", "Track 5: Transformers and LLMs"),
    ],
)
def test_each_result_knows_its_kind_track_and_place(built_site, url, kind, where, track):
    page = fragments(built_site)[url]
    assert page["meta"]["kind"] == kind and page["meta"]["where"] == where
    menus = filters(built_site)
    assert {(name, value) for name, values in menus.items() for value, urls in values.items() if url in urls} == {
        ("kind", kind),
        ("track", track),
    }
    title = built(built_site / url.strip("/") / "index.html").select_one("h1").get_text(" ", strip=True)
    if kind in ("lesson", "track"):
        assert page["meta"]["title"].endswith(title.removeprefix("Track 5: "))
    # the place in the track is shown by the page header too, and agrees
    header = built(built_site / url.strip("/") / "index.html").select_one(".ts-lesson-header__where")
    if kind not in ("track", "glossary", "keypoints", "review", "exercises"):
        assert where.split(" · ")[1] in squash(header.get_text(" "))


def test_a_glossary_term_leads_to_its_definition(built_site):
    """Issue 32.5: every term of a glossary is a section of the glossary's entry in the index,
    at the term's own anchor on the page, and its definition is in the entry's text."""
    for track in ("transformers-and-llms", "deep-learning-survey"):
        page = built(built_site / track / "glossary" / "index.html")
        entry = fragments(built_site)[f"/{track}/glossary/"]
        found = {anchor: squash(title) for anchor, title in sections(entry).items()}
        text = squash(content(entry))
        terms = page.select(".ts-glossary__entry")
        assert len(terms) > 10
        for term in terms:
            name = squash(term.select_one(".ts-glossary__term").get_text(" "))
            assert found.get(term["id"]) == name, (track, term["id"])
            assert squash(term.select_one(".ts-glossary__definition").get_text(" ")) in text
        # the lessons each term is taught and used in are navigation, not the entry's text
        assert "Taught in" not in text and "Used in" not in text


def test_track_pages_keep_answers_and_controls_out(built_site):
    """The review page's card backs and the exercise pack's solutions and quiz answers are
    answers: on the page, never in the index (issue 32.5 keeps issue 14.3)."""
    review = built(built_site / "deep-learning-survey" / "review" / "index.html")
    backs = [squash(a.get_text(" ")) for a in review.select(".ts-card__answer")]
    fronts = [squash(a.get_text(" ")) for a in review.select(".ts-card__term")]
    assert len(backs) > 10 and len(fronts) == len(backs)
    indexed = fragments(built_site)
    text = squash(content(indexed["/deep-learning-survey/review/"]))
    assert not [b for b in backs if b in text and b not in fronts]
    assert "Reviewing needs JavaScript" not in text
    pack = built(built_site / "transformers-and-llms" / "exercises" / "index.html")
    assert pack.select("[data-widget]")  # the pack's exercises and quizzes: out of the index whole
    text = squash(content(indexed["/transformers-and-llms/exercises/"]))
    assert "Right:" not in text and "Wrong:" not in text and "Lesson 1" in text


def test_chrome_and_widgets_stay_out(built_site):
    text = indexed_text(built_site)
    for chrome in (
        "Mark lesson complete",
        "Show solution",
        "Reset progress",
        "Go deeper",
        "Credits:",
        "Start with Lesson 1",
    ):
        assert chrome not in text, chrome


def test_every_word_file_the_entry_names_is_there(built_site):
    """The entry file names each word file a query may fetch, and the page count the ranking
    uses; every word leads to a group, every group lists pages that exist, each with a section of
    the page that its fragment files hold (a section's number: its file's times `PER_FILE` plus
    its place there)."""
    folder = built_site / "search-index"
    entry = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    sections = set()
    for p in (folder / "pages").glob("*.json"):
        page, n = map(int, p.stem.split("-"))
        held = json.loads(p.read_text(encoding="utf-8"))["sections"]
        sections |= {(page, n * stream.PER_FILE + place) for place in range(len(held))}
    pages = sorted({page for page, _ in sections})
    assert entry["pages"] == len(pages) and pages == list(range(len(pages)))
    named = {(folder / "words" / f"{key.encode().hex()}.json") for key in entry["shards"]}
    assert named == set((folder / "words").glob("*.json"))
    for path in named:
        shard = json.loads(path.read_text(encoding="utf-8"))
        assert set(shard["words"].values()) == set(range(len(shard["groups"])))
        for gaps, scores, where in shard["groups"]:
            assert len(gaps) == len(scores) == len(where) and all(g >= 1 for g in gaps)
            ids = [sum(gaps[: i + 1]) - 1 for i in range(len(gaps))]
            assert all((page, section) in sections for page, section in zip(ids, where)), path
    assert {p.name for p in folder.iterdir()} == {"index.json", "filters.json", "words", "pages"}


def test_code_blocks_weigh_half():
    html = '<div class="language-python highlight" id="ts-code-1"><pre>x</pre></div><div class="note">y</div>'
    out = search.weigh_code(html)
    assert out.count('data-search-weight="0.5"') == 1
    assert out.startswith('<div class="language-python highlight" data-search-weight="0.5" id="ts-code-1">')
    page = searchpage.read_page(f"<div data-search-body><p>softmax prose</p>{out}</div>", "/x/")
    assert page is not None and page.words["softmax"] == 1.0 and page.words["x"] == 0.5


def test_drafts_are_never_indexed(course, tmp_path):
    write(
        course,
        "lessons/alpha/a2/lesson.md",
        lesson_md(
            "Second lesson", status="draft", body="## Secret\n\nThe quokkaword is here. " + "Words to read. " * 40
        ),
    )
    out = tmp_path / "drafts-site"
    result = harness.tracksite("build", "--drafts", "--site-dir", str(out), cwd=course)
    assert result.returncode == 0, result.stderr
    assert "quokkaword" in (out / "alpha/a2/index.html").read_text(encoding="utf-8")  # built, for preview
    assert "/alpha/a2/" not in fragments(out) and "quokkaword" not in all_text(out)
    assert "/alpha/a1/" in fragments(out)


def test_instructor_build_indexes_guides_never_notes(course, tmp_path):
    body = f"## Teaching\n\nLearner text.\n\n/// instructor\n{NOTE}\n///\n\n" + "Words to read. " * 60
    write(course, "lessons/alpha/a1/lesson.md", lesson_md("First lesson", body=body))
    write(course, "docs/guide.md", "# A guide\n\nHow to write a grommetword lesson.\n")
    out = tmp_path / "instructor-site"
    result = harness.tracksite("build", "--instructor", "--site-dir", str(out), cwd=course)
    assert result.returncode == 0, result.stderr
    assert NOTE in (out / "alpha/a1/index.html").read_text(encoding="utf-8")
    assert "zanzibarian" not in all_text(out)
    guide = fragments(out)["/guide/"]
    assert "/guide/" in filters(out)["kind"]["page"] and "grommetword" in content(guide)
    # and the learner build of the same course keeps the guide out of its search
    assert run_mkdocs(course).returncode == 0
    assert "/guide/" not in fragments(course / "site") and "grommetword" not in all_text(course / "site")


def test_guides_sit_in_the_footer_not_the_learners_navigation(built_site):
    home = built(built_site / "index.html")
    nav_links = {a["href"] for a in home.select(".ts-nav a")}
    assert not any(h.rstrip("/").endswith(("authoring", "benchmarks", "security")) for h in nav_links), nav_links
    # the home page's footer reaches the guides through one link; a lesson's footer has none
    footer = [a["href"] for a in home.select("footer .ts-footer-guides a")]
    assert footer == ["architecture/"], footer
    lesson = built(built_site / "transformers-and-llms/attention-mechanism/index.html")
    assert not lesson.select("footer .ts-footer-guides a")
    guide = built(built_site / "authoring/index.html")  # on a guide page, the guides are listed
    assert "../benchmarks/" in {a["href"] for a in guide.select(".ts-nav a")}


def test_mkdocs_config_has_no_material_search():
    import yaml

    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python", "#"))
    plugins = [p if isinstance(p, str) else next(iter(p)) for p in config["plugins"]]
    assert "search" not in plugins and "tracksite" in plugins


def test_weight_of_a_page_with_materials_search_counts_its_index(tmp_path):
    """The benchmark's plain MkDocs site keeps Material's search: its worker and its whole index
    load with every page, so the first-visit weight counts them (issue 16)."""
    from tracksite.tools import bench
    from tracksite.tools.weight import first_visit_weight

    tracks = bench.plan_course(10)
    project = bench.write_plain_project(tmp_path / "plain", tracks)
    site = tmp_path / "site"
    result = harness.mkdocs(project, site=site, strict=False)  # as bench.mkdocs_build, in this process
    assert result.returncode == 0, result.stderr[-3000:]
    lesson = tracks[0].lessons[0]
    weight = first_visit_weight(site, f"{lesson.track}/{lesson.slug}/")
    urls = {r["url"]: r for r in weight["resources"]}
    assert "search/search_index.json" in urls and urls["search/search_index.json"]["kind"] == "search"
    assert any(u.startswith("assets/javascripts/workers/search.") for u in urls)
    assert weight["missing"] == [] and weight["by_kind"]["search"] > 1000


def test_search_benchmark_reports_each_target_met_or_missed(tmp_path):
    from tracksite.tools.bench import search as sb

    def size(n, one_bytes, ms, index_s, build_s):
        query = {"query": "q", "bytes": one_bytes, "files": 9, "ms": ms, "ms_all": [ms]}
        return {
            "lessons": n,
            "pages": 3 * n,
            "build_s": build_s,
            "index_s": index_s,
            "index_disk": 10_000,
            "build_cpu_s": build_s,
            "index_cpu_s": index_s * 2,
            "index_files": 5,
            "plain_build_s": 1.0,
            "material": {"index_bytes": 5, "index_gzip": 5, "visit_bytes": 9},
            "ours": {"one word": query, "three words": query},
            "material_browser": {"one word": query, "three words": query},
        }

    bundled = {
        "build_s": 2.0,
        "index_s": 0.2,
        "index_disk": 1,
        "index_files": 1,
        "build_cpu_s": 2.0,
        "index_cpu_s": 0.3,
        "ours": size(1, 100_000, 50, 0, 1)["ours"],
        "material": {"visit_bytes": 150_000},
    }
    data = {
        "date": "today",
        "repeat": 1,
        "machine": {},
        "bundled": bundled,
        "sizes": [size(10, 90_000, 80, 0.1, 2.0), size(1000, 160 * 1024, 350, 30.0, 100.0)],
    }
    text = "\n".join(sb.targets(data))
    assert (
        "one word query (`q`) at most 100 KB of search files, gzip as a host sends them: 160 KB, **missed** by 60 KB"
        in text
    )
    assert (
        "three words query (`q`) at most 120 KB of search files, gzip as a host sends them: 160 KB, **missed** by 40 KB"
        in text
    )
    assert "350 ms at worst, **missed** by 50 ms" in text
    assert "30% (30.0 s of 100.0 s), **missed**." in text
    assert "98 KB against 146 KB, met" in text
    page = tmp_path / "benchmarks.md"
    page.write_text("# Benchmarks\n\nThe main table.\n", encoding="utf-8")
    sb.write_markdown(page, sb.render(data, "cmd"))
    sb.write_markdown(page, sb.render(data, "cmd again"))  # replaced, not appended twice
    out = page.read_text(encoding="utf-8")
    assert out.startswith("# Benchmarks\n\nThe main table.\n") and out.count(sb.START) == 1 and "cmd again" in out


def test_the_main_benchmark_keeps_the_search_section(tmp_path):
    from tracksite.tools.bench import search as sb

    page = tmp_path / "benchmarks.md"
    page.write_text(f"# Old main part\n\n{sb.START}\nsearch figures\n{sb.END}\n", encoding="utf-8")
    out = sb.keep_section(page, "# New main part\n")
    assert out.startswith("# New main part\n") and f"{sb.START}\nsearch figures\n{sb.END}" in out
    assert "Old main part" not in out


def test_only_the_marked_element_is_read():
    page = (
        '<html lang="fr"><head><title>T</title></head><body><nav><div>menu words</div></nav>'
        '<div class="x" data-search-body><div><p>one</p></div><!-- <div> hidden words -->'
        '<script type="application/json">{"html": "</div></div> script words"}</script><div><p>two</p></div></div>'
        + searchpage.END_MARK
        + "<footer><div>footer words</div></footer></body></html>"
    )
    read = searchpage.read_page(page, "/x/")
    assert read is not None and set(read.words) == {"one", "two"}
    assert searchpage.read_page("<html><body><p>data-search-body</p></body></html>", "/y/") is None  # text


def test_sections_metadata_exclusions_and_formulas():
    """What `searchpage` makes of the HTML the templates write: a section at each heading with an
    id (a glossary entry's term is one), metadata read even where hidden and ignored, excluded
    parts out of the words and the text, a formula as it reads."""
    html = (
        '<div data-search-body data-search-weight="0.5"><div hidden data-search-ignore>'
        '<span data-search-meta="kind">Lesson</span><span data-search-filter="track">T 1</span></div>'
        '<p hidden data-search-meta="title" data-search-weight="7">Big &amp; small</p>'
        '<p>Intro text.</p><h2 id="one">First <a class="headerlink" href="#one">&para;</a></h2>'
        '<p>Body <span class="ts-term__tip">tooltip words</span> and <math><mi>s</mi><mi>o</mi>'
        '<mo>(</mo><mi>x</mi><mo>)</mo></math>.</p><h3>No id</h3><div data-widget="quiz">'
        '<h2 id="quiz">Quiz answer</h2><p>Right: secret</p></div>'
        '<div class="ts-glossary__entry" id="term-a"><dt>Alpha term</dt><dd>Defined here.</dd></div></div>'
    )
    page = searchpage.read_page(html, "/x/")
    assert page is not None
    assert page.meta == {"kind": "Lesson", "title": "Big & small"} and page.filters == {"track": "T 1"}
    assert page.weight == 0.5 and page.words["big"] == 7.0 and page.words["first"] == 6.0
    assert "tooltip" not in page.words and "secret" not in page.words and "quiz" not in page.words
    assert "so" in page.words  # the formula's letters, run together as on the page
    assert [(s.anchor, s.title) for s in page.sections] == [("", ""), ("one", "First"), ("term-a", "Alpha term")]
    files, numbers = stream.fragment_files(page.url, page.meta, page.section_texts())
    assert len(files) == 1 and numbers == [0, 1, 2]  # (short sections: one file)
    fragment = json.loads(files[0])
    assert [text for _, _, text in fragment["sections"]] == [
        "Intro text.",
        "Body and so ( x ) . No id",
        "Defined here.",
    ]
    assert fragment["url"] == "/x/" and fragment["sections"][1][0] == "one"
    # each word weighs in its own section: the heading's words in the section it starts
    assert page.section_words[1]["first"] == 6.0 and "first" not in page.section_words[0]
    assert "big" not in page.section_words[0]  # the title counts for the page, not its top


def test_a_pages_sections_are_packed_into_small_files(monkeypatch):
    """A result fetches the file holding its section: short sections share a file until it
    holds `FRAGMENT_BYTES`, a long one starts the next, and a section's number says its file
    and its place there, in page order (the browser takes the first of tied sections)."""
    long = "w " * int(stream.FRAGMENT_BYTES * 0.85 / 2)  # (short of a file alone, not of two)
    sections = [("a", "A", long), ("b", "B", "short"), ("c", "C", long), ("d", "D", "tail")]
    files, numbers = stream.fragment_files("/p/", {"title": "P"}, sections)
    parts = [json.loads(f) for f in files]
    assert len(files) == 2 and numbers == [0, 1, 2, stream.PER_FILE]
    assert [[s[0] for s in p["sections"]] for p in parts] == [["a", "b", "c"], ["d"]]
    assert all(p["url"] == "/p/" and p["meta"] == {"title": "P"} for p in parts)
    assert numbers == sorted(numbers)
    monkeypatch.setattr(stream, "FRAGMENT_BYTES", 100_000)  # (a file's places run out first)
    many = [(str(i), "", "") for i in range(stream.PER_FILE + 3)]
    files, numbers = stream.fragment_files("/q/", {}, many)
    assert len(files) == 2 and numbers[-4:] == [
        stream.PER_FILE - 1,
        stream.PER_FILE,
        stream.PER_FILE + 1,
        stream.PER_FILE + 2,
    ]
    assert [len(json.loads(f)["sections"]) for f in files] == [stream.PER_FILE, 3]


def test_the_templates_mark_where_the_indexed_element_ends(built_site):
    """Every indexed page carries the end mark right after its `data-search-body` element: the
    part the index reads is the element whole, as an HTML parser finds it."""
    marked = 0
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        span = searchpage.body_span(html)
        if span is None:
            continue
        marked += 1
        assert html.count(searchpage.END_MARK) == 1, page
        element = built(page).select_one("[data-search-body]")
        part = BeautifulSoup(html[span[0] : span[1]], "lxml").select_one("[data-search-body]")
        assert squash(part.get_text(" ")) == squash(element.get_text(" ")), page
    assert marked > 20


def test_results_lead_to_headings_only(built_site):
    """Each fragment's sections (where a result can lead) are headings of the page, or the terms
    of a glossary: the ids of tooltips, code blocks and quizzes are never a result's target."""
    for url, fragment in fragments(built_site).items():
        html = built(built_site / url.strip("/") / "index.html")
        for anchor in sections(fragment):
            target = html.find(id=anchor)
            assert target is not None and (
                target.name in ("h1", "h2", "h3", "h4", "h5", "h6") or "ts-glossary__entry" in target.get("class", [])
            ), (url, anchor)


def test_a_track_page_is_found_for_its_own_text_not_its_map(built_site):
    """The course map is navigation: its legend and its list of every lesson (of this track and
    the linked one) stay out of the track page's entry, its phases and summaries stay in."""
    track = fragments(built_site)["/deep-learning-survey/"]
    assert "dashed arrow" not in content(track) and "The map as a list" not in content(track)
    assert "Attention and transformers, in brief" in content(track)
    assert "Map of" not in json.dumps(sections(track))


def test_a_dirty_build_keeps_every_page_in_the_index(course):
    """`--dirty` in place (`atomic: false`) renders only the changed pages; the others are read
    back from the site, so the index still holds every page."""
    config = course / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - tracksite\n", "  - tracksite:\n      atomic: false\n"),
        encoding="utf-8",
    )
    result = run_mkdocs(course)
    assert result.returncode == 0, result.stderr[-3000:]
    before = set(fragments(course / "site"))
    write(
        course,
        "lessons/alpha/a2/lesson.md",
        lesson_md("Second lesson", body="## Fresh\n\nThe numbatword is new here. " + "Words to read. " * 40),
    )
    result = harness.mkdocs(course, "--dirty", strict=False)  # not --strict: MkDocs warns about every dirty build
    assert result.returncode == 0, result.stderr[-3000:]
    after = fragments(course / "site")
    assert set(after) == before and "numbatword" in all_text(course / "site")


def test_an_index_finishing_under_serve_is_written_or_stopped_quietly(tmp_path):
    """`mkdocs serve` finishes the index after the build returns (process.Background): left
    alone it writes a working index; stopped by the next build it reports nothing, because that
    build writes its own index."""
    page = (
        '<html lang="en"><body><main data-search-body><h1 id="w">Wombat</h1>'
        "<p>A wombat digs burrows.</p></main></body></html>"
    )
    for stop in (False, True):
        site = tmp_path / f"site-{stop}"
        site.mkdir()
        done, failed = [], []
        indexer = search.Indexer()
        indexer.add(page, "/wombat/")
        running = process.Background(indexer, str(site), [], done.append, failed.append)
        if stop:
            running.stop()
        else:
            running._thread.join(60)
            assert done == [indexer] and (site / "search-index" / "index.json").is_file()
            assert "wombat" in (site / "search-index" / "pages" / "0-0.json").read_text(encoding="utf-8")
        assert failed == []


def test_a_page_read_as_it_rendered_is_not_read_back_from_the_site(tmp_path, monkeypatch):
    """Under serve the first build reads every page as it renders. The next build's index takes
    the pages that build did not render from those readings, not from the site's files read
    back (at 1,000 lessons that made the first save's index a third of a second longer); a page
    file changed since is read again."""
    page = (
        '<html lang="en"><body><main data-search-body><h1 id="w">Wombat</h1>'
        "<p>A wombat digs burrows.</p></main></body></html>"
    )
    site, pages = tmp_path / "site", [("/w/", "w/index.html")]
    (site / "w").mkdir(parents=True)
    (site / "w" / "index.html").write_text(page, encoding="utf-8")
    first = search.Indexer()
    first.add(page, "/w/")
    first.finish(site, pages)
    read_back: list[str] = []
    add = search.Indexer.add
    monkeypatch.setattr(
        search.Indexer, "add", lambda self, html, url, *a: read_back.append(url) or add(self, html, url, *a)
    )
    search.Indexer().finish(site, pages)
    assert read_back == [] and "wombat" in (site / search.OUTPUT / "pages" / "0-0.json").read_text(encoding="utf-8")
    (site / "w" / "index.html").write_text(page.replace("wombat", "numbat"), encoding="utf-8")
    search.Indexer().finish(site, pages)
    assert read_back == ["/w/"] and "numbat" in (site / search.OUTPUT / "pages" / "0-0.json").read_text(
        encoding="utf-8"
    )


@pytest.fixture
def fresh_memory():
    """A memory of its own (core/memo.py): no index an earlier test wrote is this one's base."""
    with memo.using(memo.Memory()) as memory:
        yield memory


def test_an_index_made_anew_is_stopped_by_a_newer_build(fresh_memory):
    """Under serve the first index after a start is made anew (seconds at 10,000 lessons): a
    newer build stops it rather than wait, and the next index is made anew in its turn."""
    reads = [
        search._Read(searchpage.read_page(f'<div data-search-body><h2 id="s">P{i}</h2><p>word{i}</p></div>', f"/p{i}/"))
        for i in range(3)
    ]
    urls = [f"/p{i}/" for i in range(3)]
    assert search._next_index(urls, reads, stop=lambda: True) is None and search._held("last", list) == []
    made = search._next_index(urls, reads)
    assert made is not None and made[0] == search._Index(reads).files and search._held("last", list)[0][0] == urls


def test_an_index_made_by_difference_is_the_index_made_anew(monkeypatch):
    """Under serve the next index of the same pages is made from the last one (`_Index.update`):
    after edits that add, drop and move words, and that push a pair of letters past the size at
    which its word file is split, it holds exactly the files an index made anew holds."""
    monkeypatch.setattr(search, "SPLIT_AT", 3)

    def reads(texts: list[str]) -> list:
        pages = [
            searchpage.read_page(f'<div data-search-body><h2 id="s{i}">Part {i}</h2><p>{t}</p></div>', f"/p{i}/")
            for i, t in enumerate(texts)
        ]
        return [search._Read(p) for p in pages if p is not None]

    first = reads(["encoder decoder attention", "tokens and the encoder", "a cat", "dog days", "zebra"])
    index = search._Index(first)
    second = reads(["encoder encoders encoding entropy", "tokens and the encoder", "a cat", "dogs", "entry enters"])
    second[1], second[2] = first[1], first[2]  # unchanged pages keep their reading, as under serve
    index.update(second)
    assert index.files == search._Index(second).files
    assert any(len(k) == 3 for k in json.loads(index.files["index.json"])["shards"])  # "en" split by now
    third = reads(["cat", "tokens and the encoder", "a cat", "dogs", "zebra"])
    index.update(third)
    assert index.files == search._Index(third).files


def test_a_sentence_saved_makes_again_only_the_word_files_it_changes(monkeypatch):
    """Issue 76: an update by difference makes again the word files whose words, or whose stems'
    pages, scores or sections, the save changed, not every file holding one of the page's words
    (each lists the words' pages, which grows with the course); the index is the one made anew."""
    monkeypatch.setattr(search, "SPLIT_AT", 3)
    words = "encoder decoder attention tokens embedding layers softmax gradient learning batch"

    def reads(texts: list[str]) -> list:
        pages = [
            searchpage.read_page(f'<div data-search-body><h2 id="s{i}">Part {i}</h2><p>{t}</p></div>', f"/p{i}/")
            for i, t in enumerate(texts)
        ]
        return [search._Read(p) for p in pages if p is not None]

    first = reads([words, "tokens and the encoder", "a softmax layer"])
    index = search._Index(first)
    made: list[str] = []
    shards = index._shards
    monkeypatch.setattr(index, "_shards", lambda pair: made.append(pair) or shards(pair))
    second = reads([words + " zebra", "tokens and the encoder", "a softmax layer"])
    second[1:] = first[1:]
    assert index.update(second)
    assert index.files == search._Index(second).files
    assert "ze" in made and len(made) < len({w[:2] for w in second[0].keys}), made


def test_an_update_stopped_by_a_newer_build_is_finished_by_the_next(fresh_memory):
    """Issue 76: a newer build stops an index made by difference at once (before its next word
    file), not after the whole update; the next update makes the word files it left first, and
    the index is again exactly the one made anew."""

    def reads(texts: list[str]) -> list:
        pages = [
            searchpage.read_page(f'<div data-search-body><h2 id="s{i}">Part {i}</h2><p>{t}</p></div>', f"/p{i}/")
            for i, t in enumerate(texts)
        ]
        return [search._Read(p) for p in pages if p is not None]

    urls = [f"/p{i}/" for i in range(4)]
    first = reads(["encoder decoder attention", "tokens and the encoder", "a cat", "dog days"])
    assert search._next_index(urls, first) is not None
    second = reads(["zebra yak xylophone wombat", "tokens and the encoder", "a cat", "dog days"])
    second[1:] = first[1:]
    asked: list[int] = []
    assert search._next_index(urls, second, stop=lambda: asked.append(1) or len(asked) > 2) is None
    assert len(asked) == 3  # stopped before its third word file: the two made are not made again
    third = reads(["zebra yak xylophone wombat", "tokens and the encoder", "a cat", "dogs"])
    third[:3] = second[:3]
    made = search._next_index(urls, third)
    assert made is not None and made[0] == search._Index(third).files


def test_materials_search_plugin_beside_ours_keeps_its_own_index(course):
    """A course that also turns on Material's `search` plugin gets both indexes: Material's
    writes `search/`, ours `search-index/`, and neither removes the other's files."""
    config = course / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - tracksite\n" in text
    config.write_text(text.replace("  - tracksite\n", "  - search\n  - tracksite\n", 1), encoding="utf-8")
    result = run_mkdocs(course)
    assert result.returncode == 0, result.stderr[-3000:]
    site = course / "site"
    assert (site / "search" / "search_index.json").is_file()
    assert (site / "search-index" / "index.json").is_file() and "/alpha/a1/" in fragments(site)


def test_a_lessons_overview_and_cheatsheet_are_listed_as_part_of_it(built_site):
    """Issue 42: the entry file says which pages are part of the lesson before them, so the engine
    lists a lesson's pages together; only a lesson's own overview and cheatsheet are."""
    entry = json.loads((built_site / "search-index/index.json").read_text(encoding="utf-8"))
    ids, at = [], -1
    for gap in entry["family"]:
        at += gap
        ids.append(at)
    urls = {
        page["url"]: n
        for n, page in (
            (int(p.name.split("-")[0]), json.loads(p.read_text(encoding="utf-8")))
            for p in (built_site / "search-index/pages").glob("*-0.json")
        )
    }
    by_id = {n: url for url, n in urls.items()}
    parts = [by_id[i] for i in ids]
    assert parts and all(url.endswith(("/overview/", "/cheatsheet/")) for url in parts), parts
    assert "/transformers-and-llms/attention-mechanism/overview/" in parts
    for i in ids:  # the lesson sorts just before its parts
        head = by_id[max(j for j in range(i) if j not in ids)]
        assert by_id[i] in (head + "overview/", head + "cheatsheet/"), (by_id[i], head)
    assert search.lesson_parts(["/a/", "/a/cheatsheet/", "/a/overview/", "/b/overview/", "/c/"]) == [1, 2]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_builds_index_from_its_temporary_file_is_the_index_made_in_memory(tmp_path, monkeypatch):
    """`mkdocs build` keeps each page's reading in a temporary file, not in memory, and writes the
    index from it (search/stream.py); `mkdocs serve` keeps them in memory. Over pages added out of
    URL order, in two languages, with filters, sections, lesson parts, a page with nothing to index,
    a page read twice and a pair of letters split by its third letter, both write the same files."""
    monkeypatch.setattr(search, "SPLIT_AT", 3)

    def page(lang: str, track: str, *parts: str) -> str:
        body = "".join(f'<h2 id="s{i}">Part {i} {t}</h2><p>{t} {t}s</p>' for i, t in enumerate(parts))
        return (
            f'<html lang="{lang}"><body><div data-search-body><div hidden data-search-ignore><span '
            f'data-search-filter="track">{track}</span></div><p hidden data-search-meta="title">{parts[0]}</p>'
            f"<p>Intro about {parts[-1]}.</p>{body}</div></body></html>"
        )

    pages = [
        ("/t/b/", page("en", "T1", "encoder", "decoder attention")),
        ("/t/a/", page("en", "T1", "entropy encoding", "tables")),
        ("/t/a/overview/", page("en", "T1", "encoders entry", "enter")),
        ("/t/a/cheatsheet/", page("en", "T2", "cat", "encoders")),
        ("/fr/a/", page("fr", "T2", "entrée tables", "chats")),
        ("/none/", "<html><body><p>nothing marked</p></body></html>"),
        ("/t/b/", page("en", "T1", "encoder", "decoders again")),  # read again: the last reading counts
        *((f"/t/c{i}/", page("en", f"T{i % 3}", f"entry {i}", "tables " * i + "cats")) for i in range(9)),
    ]
    sites = []
    for name, indexer in (("memory", search.Indexer()), ("spilled", search.Indexer.streamed(str(tmp_path)))):
        for url, html in pages:
            indexer.add(html, url)
        assert indexer.record("/t/c8/") is not None  # (the whole-page cache's record of the page just read)
        site = tmp_path / name
        indexer.finish(site, [])
        assert indexer.indexed == 14  # (more than 10: ids sort as text in the files' names)
        sites.append(_files(site / search.OUTPUT))
    memory, spilled = sites
    assert any(len(k) == 3 for k in json.loads(memory["index.json"])["shards"])  # "en" split
    assert json.loads(memory["filters.json"])["track"].keys() == {"T0", "T1", "T2"}
    assert len(memory) > 15 and spilled == memory
    assert list(tmp_path.glob("tracksite-search-*")) == []  # the temporary file is anonymous
