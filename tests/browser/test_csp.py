"""The Content-Security-Policy every page ships, checked in the built files and in Chromium.

Static checks (no browser): each page carries one CSP `<meta>` before its first script, the
policy allows no 'unsafe-inline' or 'unsafe-eval' scripts, every inline script the page runs is
listed by hash, and none of our own files (templates, scripts) holds an inline script, an
inline event handler or eval. Browser checks: every page type of the bundled course loads and is
used (search, palette, every widget's buttons) with no CSP violation, reported either as a
console message or as a `securitypolicyviolation` event (collected by an init script); and an
injected inline script is blocked, which shows the listener and the policy both work.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, SoupStrainer

from support.course import REPO, hold_python, make_course, override, write
from support.sites import run_mkdocs
from tracksite.adapter.pages import csp

LESSON = "transformers-and-llms/attention-mechanism/"  # formulas, a diagram, every widget
PAGES = {
    "home": "",
    "track": "transformers-and-llms/",
    "overview": LESSON + "overview/",
    "lesson": LESSON,
    "cheatsheet": LESSON + "cheatsheet/",
    "other-track-lesson": "deep-learning-survey/attention-and-transformers/",
    "other-track-overview": "deep-learning-survey/attention-and-transformers/overview/",
    "not-found": "404.html",
}


def guide_page(site: Path) -> str | None:
    """A page of docs/ (a guide, not a track): a top-level folder with no lesson in it."""
    for index in sorted(site.glob("*/index.html")):
        folder = index.parent
        if folder.name not in ("assets", "search", "search-index") and not any(folder.glob("*/overview/index.html")):
            return folder.name + "/"
    return None


def policy_of(soup: BeautifulSoup) -> dict[str, list[str]]:
    metas = soup.find_all("meta", attrs={"http-equiv": re.compile("^content-security-policy$", re.I)})
    assert len(metas) == 1, f"{len(metas)} CSP meta tags"
    out = {}
    for part in metas[0]["content"].split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


# -- static: the built files ----------------------------------------------------------------------


def test_every_page_ships_an_exact_policy(built_site):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 40
    wrong = []
    for path in pages:
        html = path.read_text(encoding="utf-8")
        rel = path.relative_to(built_site).as_posix()
        # the <meta> elements alone, wherever they are (the policy's count included): a whole
        # tree of each page cost most of this test's 4.2 processor seconds
        policy = policy_of(BeautifulSoup(html, "lxml", parse_only=SoupStrainer("meta")))
        scripts = policy.get("script-src", [])
        assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, rel
        runs_python = 'data-widget="runnable"' in html or 'data-runnable="true"' in html
        assert ("'wasm-unsafe-eval'" in scripts) == runs_python, rel  # WebAssembly only where Python runs
        if 'http-equiv="refresh"' in html and "<script" not in html:
            # a renamed lesson's old address (redirects.yml): a page of links that allows nothing
            assert policy == {"default-src": ["'none'"]}, rel
            continue
        assert html.index('http-equiv="Content-Security-Policy"') < html.index("<script"), (
            f"{rel}: a script comes before the policy, which does not apply to it"
        )
        if policy.get("object-src") != ["'none'"] or policy.get("base-uri") != ["'self'"]:
            wrong.append(f"{rel}: not the full policy (the placeholder was not replaced): {policy}")
        missing = [h for h in csp.inline_script_hashes(html) if h not in scripts]
        if missing:
            wrong.append(f"{rel}: inline scripts not allowed by its policy: {missing}")
    assert wrong == [], "\n".join(wrong)


def test_policy_allows_only_the_templates_scripts():
    """Only inline scripts a template's source wrote are hashed: a script that got into a page
    from its content (through a bug in escaping), anywhere in the page, stays blocked, and a
    content author cannot forge the templates' mark because its token never leaves the build."""
    theme = csp.mark("<script>var theme=1</script>")
    page = (
        '<html><head><meta http-equiv="Content-Security-Policy" content="x">'
        + theme
        + "<title><script>alert(0)</script></title></head><body><header><script>alert(1)</script></header>"
        '<article><script data-tracksite-theme="0123456789abcdef0123456789abcdef">alert(2)</script>'
        "</article></body></html>"
    )
    out = csp.apply(page)
    policy = policy_of(BeautifulSoup(out, "lxml"))["script-src"]
    assert csp.inline_script_hashes("<script>var theme=1</script>")[0] in policy
    for n in range(3):
        assert csp.inline_script_hashes(f"<script>alert({n})</script>")[0] not in policy, n
    assert "data-tracksite-theme" not in out.replace('data-tracksite-theme="0123456789abcdef', ""), (
        "the build's token was written to the page"
    )


def test_policy_directives_can_be_extended(monkeypatch):
    # (the search adds this very source when tracksite.search is imported: set, not append)
    monkeypatch.setitem(csp.DIRECTIVES, "script-src", ["'self'", "'wasm-unsafe-eval'"])
    assert csp.policy(["'sha256-x'"]).startswith("default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-x';")


# -- static: our own files never need 'unsafe-inline' or 'unsafe-eval' ----------------------------

OWN_FILES = sorted(
    [
        *REPO.glob("scripts/tracksite/theme/templates/**/*.html"),
        *REPO.glob("scripts/tracksite/theme/assets/tracksite/*.js"),
        *REPO.glob("scripts/tracksite/core/widgets/*/*.js"),  # a widget's own script, in its home
    ]
)
FORBIDDEN_JS = {
    "eval(": re.compile(r"(?<![\w.$])eval\s*\("),
    "new Function": re.compile(r"\bnew\s+Function\s*\("),
    "Function(...)": re.compile(r"(?<![\w.$])Function\s*\(\s*['\"`]"),
    "setTimeout with a string": re.compile(r"\bset(?:Timeout|Interval)\s*\(\s*['\"`]"),
    "document.write": re.compile(r"\bdocument\.write(?:ln)?\s*\("),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "inline handler in markup": re.compile(r"""<[a-z][^>]*\son[a-z]+\s*=\s*['"\\]""", re.I),
    "handler attribute set from script": re.compile(r"""setAttribute\(\s*['"]on[a-z]+['"]""", re.I),
}
FORBIDDEN_HTML = {
    "inline event handler": re.compile(r"""<[a-z][^>]*?\son[a-z]+\s*=""", re.S | re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "eval(": re.compile(r"(?<![\w.$])eval\s*\("),
}


def without_comments(text: str, suffix: str) -> str:
    if suffix == ".js":
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        return re.sub(r"(?m)(^|[^:\\])//.*$", r"\1", text)
    return re.sub(r"\{#.*?#\}", "", re.sub(r"<!--.*?-->", "", text, flags=re.S), flags=re.S)


def test_own_files_exist():
    assert any(p.suffix == ".js" for p in OWN_FILES) and any(p.suffix == ".html" for p in OWN_FILES)


@pytest.mark.parametrize("path", OWN_FILES, ids=[p.relative_to(REPO).as_posix() for p in OWN_FILES])
def test_own_files_have_no_inline_script_or_eval(path):
    text = without_comments(path.read_text(encoding="utf-8"), path.suffix)
    rules = FORBIDDEN_JS if path.suffix == ".js" else FORBIDDEN_HTML
    found = [
        f"{name}: line {text.count(chr(10), 0, m.start()) + 1}" for name, rx in rules.items() for m in rx.finditer(text)
    ]
    if path.suffix == ".html":
        for m in re.finditer(r"<script\b([^>]*)>(.*?)</script>", text, re.S):
            if "src=" not in m.group(1) and m.group(2).strip():
                found.append(f"inline <script>: line {text.count(chr(10), 0, m.start()) + 1}")
    assert found == [], f"{path.relative_to(REPO)}: {found}"


# -- in Chromium ---------------------------------------------------------------------------------

COLLECT = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} in ${e.sourceFile}:${e.lineNumber} ${e.sample || ''}`);
}, true);
"""


def watch(page) -> list[str]:
    messages: list[str] = []
    page.add_init_script(COLLECT)
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    return messages


def violations(page, messages: list[str]) -> list[str]:
    return page.evaluate("window.__cspViolations || []") + messages


def use_the_page(page) -> None:
    """Run the page's scripts beyond loading: search, the palette switch, widget buttons."""
    search = page.locator("[data-ts-search] .ts-search__open:visible")
    if search.count():  # the search: its engine and index files, from this site only
        page.keyboard.press("/")
        page.keyboard.type("attention")
        page.wait_for_selector(".ts-search__hit", timeout=60_000)
        page.keyboard.press("Escape")
    toggle = page.locator("button[data-ts-palette]:visible").first
    if toggle.count():
        toggle.click()
    runnable = page.locator('[data-widget="runnable"]')
    if runnable.count():  # its script loads on intent (issue 83): first, so no button moves under a click
        runnable.first.hover()
        page.locator(".ts-run__actions").first.wait_for()
    buttons = page.locator("[data-widget] button:visible")
    for i in range(min(buttons.count(), 25)):
        button = buttons.nth(i)
        if button.is_visible() and button.is_enabled():
            button.click(timeout=2000)
    tokens = page.locator("[data-widget=attention] button:visible")
    if tokens.count():
        tokens.first.focus()
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)


@pytest.mark.browser
@pytest.mark.parametrize("name", [*PAGES, "guide"])
def test_no_csp_violation(browser_page, built_site, name):
    url = PAGES.get(name) if name != "guide" else guide_page(built_site)
    if url is None:
        pytest.skip("the site has no guide pages")
    page = browser_page
    messages = watch(page)
    if name == "other-track-lesson":
        # Python's start under the policy (its worker, WebAssembly, the sandbox frame) is the
        # lesson's case: this lesson starts the same files under the same policy (each page's is
        # checked above), and a second start cost 6 of this test's 7.7 processor seconds
        hold_python(page)
    page.goto(page.base_url + url, wait_until="networkidle")
    use_the_page(page)
    found = violations(page, messages)
    assert found == [], f"{name} ({url}): " + "\n".join(found)


@pytest.mark.browser
def test_injected_inline_script_is_blocked(browser_page):
    """The policy is in force and the listener hears it: a script added at run time is refused."""
    page = browser_page
    messages = watch(page)
    page.goto(page.base_url + LESSON, wait_until="networkidle")
    page.evaluate("""() => {
        const s = document.createElement('script');
        s.textContent = 'window.__pwned = true';
        document.body.appendChild(s);
        const img = document.createElement('img');
        img.setAttribute('src', 'https://example.invalid/x.png');
        document.body.appendChild(img);
    }""")
    page.wait_for_function(
        "() => ['script-src', 'img-src'].every(d => (window.__cspViolations || []).some(v => v.startsWith(d)))"
    )
    assert page.evaluate("window.__pwned === undefined")
    found = violations(page, messages)
    assert any("script-src" in v for v in found), found
    assert any("img-src" in v for v in found), found


# -- issue 13, case 1: a script in a docs page's title ------------------------------------------

TITLE = "G<script>alert(document.domain)</script>"


def visit(chromium, url: str) -> tuple[list[str], list[str], object]:
    """Open `url`; the dialogs it opened, its CSP violations, and the page (still open)."""
    context = chromium.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    messages = watch(page)
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(300)
    return dialogs, violations(page, messages), page


@pytest.fixture(scope="module")
def title_course(tmp_path_factory):
    root = make_course(tmp_path_factory.mktemp("docs-title") / "course")
    write(root, "docs/guide.md", f'---\ntitle: "{TITLE}"\n---\n## H\n')
    return root


@pytest.mark.browser
def test_docs_page_title_script_never_runs(title_course, chromium, serve_site):
    """As reported: the title is shown as text in the header, the tab title and the nav, and no
    alert opens."""
    result = run_mkdocs(title_course)
    assert result.returncode == 0, result.stderr[-3000:]
    dialogs, found, page = visit(chromium, serve_site(title_course / "site") + "guide/")
    assert dialogs == []
    assert page.title() == f"{TITLE} - Fixture course"
    assert page.locator("[data-md-component=header-topic]").inner_text().strip() == TITLE
    # the course search holds no guide (issue 14.4): searching its title does not find it and runs
    # nothing; a title with markup in a search result is tests/browser/test_search_browser.py's
    page.keyboard.press("/")
    page.keyboard.type("alert")
    page.wait_for_function("() => document.querySelector('.ts-search__status')?.textContent.includes('alert')")
    hrefs = page.eval_on_selector_all(".ts-search__hit a", "as => as.map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if "/guide/" in h], hrefs
    assert dialogs == [] and found == [], found
    page.context.close()


@pytest.mark.browser
def test_script_that_escapes_escaping_is_blocked_and_reported(title_course, chromium, serve_site, tmp_path):
    """Defence in depth: a template that unescapes the title (as Material's own `<title>` block
    does with `striptags`) puts the script in the page, outside the article; the policy has no
    hash for it, so it does not run and the browser reports the violation."""
    header = override(title_course, "partials/header.html")
    original = header.read_text(encoding="utf-8")
    header.write_text(
        original.replace("{{ page.meta.title | e }}", "{{ page.meta.title | striptags }}"), encoding="utf-8"
    )
    try:
        result = run_mkdocs(title_course, site=tmp_path / "site")
    finally:
        header.write_text(original, encoding="utf-8")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "<script>alert(document.domain)</script>" in (tmp_path / "site/guide/index.html").read_text(encoding="utf-8")
    dialogs, found, page = visit(chromium, serve_site(tmp_path / "site") + "guide/")
    page.context.close()
    assert dialogs == []
    assert any("script-src" in v for v in found), found
