"""The catalogue of problem codes: every problem tracksite reports carries one.

A code (`TS101`) names a kind of problem independently of its wording, which may improve from
release to release: an instructor can look it up in the authoring guide, a script can filter
`tracksite check --format json` on it, an editor shows it beside the diagnostic. The first digit
is the area (YAML and files, values, course structure, links, widgets, page content, glossary,
static files, the built site, the engine). Every code is defined here and only here; the
places that report problems name their code as a literal, and `tests/architecture/test_problem_codes.py`
fails on a code used but not listed, or listed but never used. A code is never reused for
another kind of problem once released: retire it instead.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    summary: str


AREAS = {
    "0": "Reading source files and YAML",
    "1": "Values: front-matter, track.yml, glossary.yml and widget data against their schema",
    "2": "Course structure: tracks, lessons, cheatsheets, addresses",
    "3": "Links and images in pages",
    "4": "Widget and `///` blocks",
    "5": "Page content",
    "6": "Glossary",
    "7": "Static files and symbolic links",
    "8": "The built site (`tracksite linkcheck`)",
    "9": "Engine configuration",
}

CATALOGUE = (
    Code("TS001", "unreadable-file", "a source file cannot be read: missing, not a regular file, unreadable"),
    Code("TS002", "file-too-large", "a source file is larger than course files may be"),
    Code("TS003", "not-utf8", "a source file is not UTF-8 text (invalid bytes, NUL bytes)"),
    Code("TS004", "link-outside-project", "a symbolic link leads out of the project"),
    Code(
        "TS005", "interrupted-change", "an interrupted `tracksite new`, `move` or `rename` left the course half-changed"
    ),
    Code("TS006", "empty-file", "a YAML file or front-matter holds nothing"),
    Code("TS010", "yaml-syntax", "YAML that does not parse"),
    Code("TS011", "yaml-tab", "a tab used for indentation in YAML"),
    Code("TS012", "yaml-character", "a character YAML does not allow"),
    Code("TS013", "yaml-not-plain", "YAML anchors, aliases, merge keys, tags or non-text keys"),
    Code("TS014", "yaml-duplicate-key", "a key written twice in one mapping"),
    Code("TS015", "yaml-too-large", "YAML nested too deeply or with too many values"),
    Code("TS016", "yaml-list-continuation", "a list item indented deeper than the one above it"),
    Code("TS020", "front-matter-unclosed", "front-matter opened with `---` and never closed"),
    Code("TS021", "front-matter-missing", "lesson.md does not start with front-matter"),
    Code("TS022", "front-matter-not-mapping", "front-matter that is not `key: value` lines"),
    Code("TS101", "unknown-key", "a key the schema does not know (often a misspelling)"),
    Code("TS102", "missing-key", "a required key is missing or has no value"),
    Code("TS103", "wrong-type", "a value of the wrong type: text, number, list or mapping"),
    Code("TS104", "invalid-value", "a value of the right type that is not allowed: empty, too long, not a choice"),
    Code("TS105", "list-length", "a list with too few or too many items"),
    Code("TS106", "duplicate-item", "the same value on two items of a list"),
    Code("TS107", "exactly-one-of", "a mapping that needs exactly one of two keys"),
    Code("TS201", "no-lessons-folder", "the project has no lessons/ folder"),
    Code("TS202", "track-folder-name", "a track folder whose name is not a slug"),
    Code("TS203", "track-without-file", "a track folder without track.yml"),
    Code("TS204", "listed-lesson-missing", "track.yml lists a lesson whose folder does not exist"),
    Code("TS205", "lesson-not-listed", "a lesson folder that track.yml does not list"),
    Code("TS206", "lesson-listed-twice", "track.yml lists a lesson twice"),
    Code("TS207", "lesson-without-page", "a lesson folder without lesson.md"),
    Code("TS208", "missing-companion", "a published lesson without its overview or cheatsheet"),
    Code("TS209", "track-number-taken", "two tracks with the same number"),
    Code("TS210", "slug-taken", "a lesson slug the track's own pages use"),
    Code("TS211", "stray-cheatsheet", "a cheatsheet for no track or no lesson"),
    Code("TS212", "not-published", "a file in a lesson folder the site leaves out"),
    Code("TS213", "address-taken", "two sources published at one address"),
    Code(
        "TS214",
        "bad-prerequisite",
        "a prerequisite that is not a lesson of the course, the lesson itself, or a `link:` to no page",
    ),
    Code("TS215", "prerequisite-cycle", "prerequisites that form a cycle"),
    Code("TS216", "bad-deep-dive", "a deep dive that is not a lesson of another track"),
    Code("TS217", "bad-redirect", "a redirect that hides a lesson or points at no lesson"),
    Code("TS218", "unknown-template", "a docs page naming a template the theme does not have"),
    Code("TS219", "track-file-uneditable", "a track.yml a command could not edit safely (nothing was written)"),
    # issue 44 (the instructors' checks): TS220, TS420, TS421, TS521, TS620
    Code("TS220", "prerequisite-unknown-track", "a prerequisite's text naming a track the course does not have"),
    Code(
        "TS221", "template-loop", "a template of the course that extends or includes itself, directly or through others"
    ),
    Code("TS222", "template-syntax", "a template of the course that Jinja cannot read"),
    Code("TS301", "broken-link", "a course link (`lesson:...`) or relative link that leads nowhere"),
    Code("TS302", "broken-anchor", "a link to a heading the target page does not have"),
    Code("TS303", "image-missing", "an image that is not found, or not published"),
    Code("TS304", "image-outside-lesson", "an image path that leaves the lesson folder"),
    Code("TS305", "remote-image", "an image from another host, which the site's policy blocks"),
    Code("TS306", "image-no-alt", "an image without alt text"),
    Code("TS307", "vague-link-text", "link text that does not say where it goes"),
    # issue 38 (an imported lesson's own broken links): TS308
    Code(
        "TS308",
        "imported-broken-anchor",
        "a link in an imported track to a heading the target page does not have: the lesson's own, a warning",
    ),
    Code("TS401", "block-syntax", "`///` lines that open, close or nest blocks wrongly"),
    Code("TS402", "unknown-block", "a `///` block name no extension defines"),
    Code("TS403", "block-options", "indented block options that are not allowed"),
    Code("TS404", "empty-block", "a block, exercise or solution with nothing in it"),
    Code("TS405", "exercise-shape", "a solution outside an exercise, an exercise without solution"),
    Code("TS406", "widget-data", "a widget's data that does not fit: its answers, tokens or shapes"),
    Code("TS407", "widget-data-file", "a widget's data file that is missing or does not parse"),
    Code(
        "TS420",
        "quiz-length-cue",
        "quiz answers whose length rank (shortest, middle, longest) predicts them in a track",
    ),
    Code("TS421", "quiz-nearly-all-correct", "a choose-all question with all options, or all but one, correct"),
    # issue 56: TS422; issue 71: TS422 also when the count follows the option count, and TS423
    Code(
        "TS422",
        "quiz-choose-all-same-count",
        "a track whose choose-all questions all have the same number right, or as many as their option count gives",
    ),
    Code("TS423", "quiz-punctuation-cue", "a quiz question whose right options alone end with other punctuation"),
    # issue 55 (runnable code): the browser's Python and the exercises checked at check time
    Code("TS430", "runnable-import", "a runnable block that imports a module the browser's Python does not have"),
    Code("TS431", "runnable-solution-fails", "a runnable exercise whose solution fails its own tests in CPython"),
    Code("TS432", "runnable-checks-nothing", "a runnable exercise whose starting code already passes its tests"),
    Code("TS433", "runnable-syntax", "a runnable exercise whose solution or tests are not valid Python"),
    Code(
        "TS434",
        "runnable-no-sandbox",
        "exercises asked to run where no sandbox can run them (bubblewrap missing, no user namespace)",
    ),
    Code("TS435", "run-code-in-file", "`run_code: true` in mkdocs.yml, which runs nothing: TRACKSITE_RUN_CODE=1 does"),
    # issue 85: an author's known mistakes, each proved caught with its feedback
    Code(
        "TS436", "runnable-mistake-missed", "a listed mistake that passes the checks, or fails them with other feedback"
    ),
    Code("TS437", "runnable-mistake-unchecked", "a runnable block that lists mistakes but has no tests or output"),
    Code("TS438", "runnable-solution-unreachable", "a runnable block whose solution policy no learner can ever meet"),
    Code(
        "TS443", "known-failures-file", "the course's known-failures file is missing, outside the project or not a list"
    ),
    Code("TS444", "known-failure-fixed", "a known failure whose exercise no longer fails: the list only shrinks"),
    Code("TS445", "known-failure-unknown", "a known failure that names no exercise of the course"),
    Code("TS446", "known-failure", "an exercise whose check fails as the course's known-failures list says"),
    Code("TS501", "active-content", "a script-like HTML element in a page"),
    Code("TS502", "event-handler", "an `on...=` event handler in a page"),
    Code("TS503", "unsafe-url", "a javascript:, vbscript:, data: or file: link"),
    Code("TS504", "remote-resource", "a page or style sheet that loads a file from another host"),
    Code("TS505", "pandoc-div", "a pandoc `:::` fenced div, which renders as text"),
    Code("TS506", "second-title", "a `# ` heading in a page whose title is in the front-matter"),
    Code("TS507", "fence-in-list", "a code block that ends the list it is meant to sit in"),
    Code("TS508", "math-level", "a `math:` level the lesson's formulas contradict"),
    Code("TS509", "reading-time", "a read time far from the estimate from the prose"),
    Code("TS510", "empty-table-header", "a table column without a name"),
    Code("TS511", "objective-unpractised", "objectives no quiz, exercise or flashcard practises"),
    Code("TS512", "page-too-complex", "a page too large or too nested to build"),
    Code("TS513", "bad-tex", "a formula the build cannot turn into MathML"),
    # issue 39 (hostile material): marks and resources only tracksite may write or spend
    Code("TS520", "search-mark", "a `data-search-*` mark of tracksite's templates written in a page"),
    # issue 44 (teaching checks)
    Code(
        "TS521",
        "dated-phrase",
        "a phrase that dates (`as of 2026`, `currently the largest`) outside the dated-facts page",
    ),
    Code("TS601", "term-defined-twice", "a glossary term or alias defined twice in a track"),
    Code("TS602", "term-unknown-lesson", "a term's lesson or introduction that is not a lesson of the course"),
    Code("TS603", "term-introduced-late", "a term introduced after the lesson that teaches it"),
    Code("TS604", "term-conflict", "a term defined differently in two tracks"),
    Code("TS605", "term-unused", "a term no page uses, or its teaching lesson does not"),
    Code("TS606", "term-used-early", "a term used before the lesson that teaches it"),
    Code("TS607", "course-id-invalid", "mkdocs.yml's `course_id:` is not a short slug"),
    Code(
        "TS608",
        "course-id-missing",
        "the course declares no `course_id:`: renaming or moving it loses learners' progress",
    ),
    Code("TS620", "term-taught-elsewhere", "a term taught in another track, used before any prerequisite leads there"),
    Code("TS701", "bad-symbolic-link", "a symbolic link that loops, leads nowhere or out of the project"),
    Code("TS702", "markdown-suffix", "a Markdown page not ending in .md"),
    Code("TS703", "static-unreadable", "a static file or folder that cannot be read"),
    Code("TS704", "static-too-large", "a static file larger than the limit for its kind"),
    Code("TS705", "refused-file-type", "a file type the site does not publish (not on its allow-list)"),
    Code("TS706", "html-active", "an HTML file with scripts, handlers or elements not plain text"),
    Code("TS707", "svg-active", "an SVG that is not a plain drawing"),
    Code("TS708", "svg-editor-data", "an SVG holding drawing programs' data the build strips"),
    Code("TS709", "static-remote", "a static file that loads a file from another host"),
    Code("TS710", "remote-file-unused", "a file remote-files.yml lists that nothing the site publishes names"),
    Code("TS711", "remote-file-download", "a listed remote file the build could not download"),
    Code("TS712", "remote-file-refused", "a downloaded remote file the site will not publish (a script, too large)"),
    Code("TS713", "stale-run-output", "an imported lesson's code block whose output its run did not make"),
    Code("TS714", "import-image-undescribed", "an imported lesson's image with neither alt text nor a caption"),
    Code("TS801", "site-missing-target", "a built page links to a file that is not in the site"),
    Code("TS802", "site-link-escapes", "a built page links outside the site's base path"),
    Code("TS803", "site-missing-fragment", "a built page links to an id the target does not have"),
    Code("TS804", "site-local-file", "a built page links to someone's disk"),
    Code("TS805", "site-search-index", "the search index points at missing pages or anchors"),
    Code("TS806", "external-link", "an external link that fails or redirects"),
    Code("TS901", "engine-config", "a site configuration (mkdocs.yml, -f, INHERIT) the engine refuses"),
    Code("TS902", "engine-config-warning", "a setting the engine warns about: a strict build stops on it"),
    # issue 39 (hostile material)
    Code("TS903", "config-runs-code", "a tag in mkdocs.yml that MkDocs' loader runs as Python code"),
)

CODES: dict[str, Code] = {c.code: c for c in CATALOGUE}


def table() -> str:
    """The reference table of docs/authoring.md, one row per code, by area."""
    rows = ["| code | name | what it means |", "| --- | --- | --- |"]
    area = None
    for c in CATALOGUE:
        if c.code[2] != area:
            area = c.code[2]
            rows.append(f"| **TS{area}xx** | | **{AREAS[area]}** |")
        rows.append(f"| `{c.code}` | {c.name} | {c.summary} |")
    return "\n".join(rows)
