"""`tracksite pdf` prints every bundled cheatsheet on ONE page, A4 and US Letter, and a booklet
per track; the Print button works with the site's CSP; a missing Chromium is explained."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from support.course import REPO, make_course
from support.pdfs import command, need_browser, pdf_command, pdf_text, published_bundled
from support.sites import run_mkdocs
from tracksite.commands import pdf
from tracksite.commands.pdf import cheatsheets, count_pages
from tracksite.errors import UserError
from tracksite.localserver import QuietHandler, serve_folder

pytestmark = pytest.mark.browser


@pytest.mark.slow
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_bundled_cheatsheet_prints_on_one_page(request, tmp_path_factory, tmp_path, chromium, paper):
    """A4: the PDFs `--publish` printed into the site; Letter: the plain build printed with
    --no-build into a folder of its own, the exercise packs left out (the A4 ones are read by
    tests/commands/test_pdf_answers.py). Both with --strict, which fails on a longer sheet."""
    need_browser()
    if paper == "a4":
        out = published_bundled(tmp_path_factory, chromium)
    else:
        built_site = request.getfixturevalue("built_site")
        out = tmp_path / "pdf"
        result = pdf_command(
            REPO,
            *("--site-dir", str(built_site), "--no-build", "--no-exercises", "--out", str(out)),
            *("--paper", paper, "--strict"),
            browser=chromium,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    sheets = cheatsheets(REPO)
    assert len(sheets) == 17
    for sheet in sheets:
        pdf = out / sheet.track / f"{sheet.lesson}.pdf"
        assert count_pages(pdf) == 1, f"{sheet.source} prints on {count_pages(pdf)} {paper} pages"
    for track in {s.track for s in sheets}:
        booklet = out / f"{track}.pdf"
        assert count_pages(booklet) == sum(s.track == track for s in sheets)
        # the fallback counter (no pypdf) reads Chromium's PDFs the same
        assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", booklet.read_bytes())) == count_pages(booklet)
        # a link into the site, made absolute for the booklet, does not print the server's address
        text = pdf_text(booklet)
        assert "127.0.0.1" not in text, f"{booklet.name} prints the local server's address of a link"
    size = (595, 842) if paper == "a4" else (612, 792)
    first = (out / sheets[0].track / f"{sheets[0].lesson}.pdf").read_bytes()
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", first)
    assert box and abs(float(box[1]) - size[0]) < 2 and abs(float(box[2]) - size[1]) < 2, box


@pytest.mark.slow
def test_pdf_builds_the_site_first_and_prints_one_track(tmp_path, chromium):
    """The first print starts Chromium as a user's command does; the second prints with the
    session's."""
    need_browser()
    root = make_course(tmp_path / "course")
    result = pdf_command(root, "beta")
    assert result.returncode == 0, result.stderr
    assert "building the site" in result.stderr
    assert (root / "site" / "index.html").is_file()
    assert count_pages(root / "pdf" / "beta" / "b1.pdf") == 1
    assert count_pages(root / "pdf" / "beta.pdf") == 2
    assert not (root / "pdf" / "alpha").exists()
    # an up-to-date site is not built again
    again = pdf_command(root, "beta", "--no-booklet", browser=chromium)
    assert again.returncode == 0 and "building" not in again.stderr


def test_missing_chromium_is_explained(tmp_path):
    root = make_course(tmp_path / "course")
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("")
    env = {"TRACKSITE_CHROMIUM": str(tmp_path / "no-such-chromium")}
    result = command(root, "pdf", "--no-build", process=True, env=env)
    assert result.returncode == 2  # what is missing is refused before any work, as a usage error
    assert "apt-get install chromium" in result.stderr and 'pip install "tracksite[pdf]"' in result.stderr


def test_unknown_track_is_explained(tmp_path):
    root = make_course(tmp_path / "course")
    result = command(root, "pdf", "gamma")
    assert result.returncode == 1 and "no track 'gamma' (tracks: alpha, beta)" in result.stderr


def test_page_counting_without_pypdf(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=595, height=842)
    path = tmp_path / "three.pdf"
    with path.open("wb") as f:
        writer.write(f)
    assert count_pages(path) == 3
    data = path.read_bytes()
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)) == 3


# -- the Print button ---------------------------------------------------------------------------
def wire_print_button(root: Path) -> None:
    """The theme the package ships includes the partial and its script on cheatsheet pages."""
    from tracksite import theme

    assert "print-button.html" in (theme.TEMPLATES / "main.html").read_text()
    assert "print.js" in (theme.TEMPLATES / "partials" / "print-button.html").read_text()


@pytest.mark.slow
def test_print_button_prints_cheatsheets_only(fixture_site, chromium, serve_site):
    """On the fixture course built once a run (conftest's `fixture_site`, built with --strict)."""
    wire_print_button(fixture_site.parent)
    base = serve_site(fixture_site)
    context = chromium.new_context()
    context.add_init_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "alpha/a1/cheatsheet/")
    button = page.get_by_role("button", name="Print this cheatsheet")
    button.wait_for(state="visible")
    button.click()
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    assert not button.is_visible()
    page.emulate_media(media="screen")
    for url in ("alpha/a1/", "alpha/a1/overview/", "alpha/"):
        page.goto(base + url)
        assert page.locator("[data-print]").count() == 0
    assert errors == []
    context.close()


def test_print_button_stays_hidden_without_javascript(tmp_path):
    html = (REPO / "scripts/tracksite/theme/templates/partials/print-button.html").read_text()
    # hidden until print.js shows it; its label is the catalogue's, in the page's language
    assert re.search(
        r'<button type="button" class="ts-print md-button" data-print hidden>\{\{ t\(\'printCheatsheet\'\) \}\}</button>',
        html,
    )
    catalogue = (REPO / "scripts/tracksite/theme/messages/en.yml").read_text()
    assert "printCheatsheet: Print this cheatsheet" in catalogue
    js = (REPO / "scripts/tracksite/theme/assets/tracksite/print.js").read_text()
    assert "window.print()" in js and len(js) < 2000


# -- contributor script does not run while printing (issue 39, case 1) ---------------------------


class _Recorder(QuietHandler):
    """A local service that notes every request it gets: the printer must make none."""

    seen: list[str] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        self.send_response(204)
        self.end_headers()


def test_handler_in_a_cheatsheet_fails_check_and_never_runs_while_printing(tmp_path, chromium):
    """An upper-case `ONERROR=` in a cheatsheet passed check, and `tracksite pdf` printed with the
    site's policy bypassed: the handler ran on the printing machine and reached a local service.
    Check refuses it at its line; and with the check skipped (the handler, an inline script and an
    image from the service put into the built page), printing still makes no request to it: not
    with the page's policy either taken out, the script then running while the page prints."""
    need_browser()
    root = make_course(tmp_path / "course")
    sheet = root / "cheatsheets/alpha/a1.md"
    with serve_folder(tmp_path, handler=_Recorder) as listener:
        payload = f'<img src="nope.png" ONERROR="fetch(\'{listener}handler\')">'
        sheet.write_text(sheet.read_text() + "\n" + payload + "\n", encoding="utf-8")
        check = command(root, "check")
        assert check.returncode == 1
        line = sheet.read_text().splitlines().index(payload) + 1
        column = payload.index("ONERROR") + 1
        assert f"cheatsheets/alpha/a1.md:{line}:{column}: [TS502]" in check.stdout + check.stderr, check.stdout
        assert "onerror=" in check.stdout + check.stderr

        clean = sheet.read_text().replace(payload, "")
        sheet.write_text(clean, encoding="utf-8")
        assert run_mkdocs(root).returncode == 0
        built = root / "site/alpha/a1/cheatsheet/index.html"
        html = built.read_text(encoding="utf-8")
        hostile = (
            payload
            + f"<script>fetch('{listener}script')</script>"
            + f'<img src="{listener}image.png" alt="">'
            + f'<svg><image href="x" onerror="fetch(\'{listener}svg\')"/></svg>'
        )
        built.write_text(html.replace("<h2", hostile + "<h2", 1), encoding="utf-8")
        _Recorder.seen.clear()
        out = str(tmp_path / "pdf")
        result = pdf_command(root, "alpha", "--no-build", "--no-exercises", "--out", out, browser=chromium)
        assert result.returncode == 0, result.stdout + result.stderr
        assert count_pages(tmp_path / "pdf/alpha/a1.pdf") >= 1
        assert count_pages(tmp_path / "pdf/alpha.pdf") >= 3  # the booklet's own script still runs
        time.sleep(1)  # a request already on its way arrives
        assert _Recorder.seen == []

        # the page's policy taken out too: its script runs, and the printing context's refusal of
        # every request off the site is what stops it (a print's own route let them through)
        policy = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>')
        html = built.read_text(encoding="utf-8")
        assert len(policy.findall(html)) == 1
        built.write_text(policy.sub("", html), encoding="utf-8")
        result = pdf_command(
            root, "alpha", "--no-build", "--no-exercises", "--no-booklet", "--out", out, browser=chromium
        )
        assert result.returncode == 0, result.stdout + result.stderr
        time.sleep(1)
        assert _Recorder.seen == []


class _Dropping(QuietHandler):
    """The site's files, except that a request for `path_to_drop` gets its connection closed
    without an answer while `dropping` holds (what Chromium meets when the local server is too
    busy to answer)."""

    path_to_drop = "/alpha/a2/cheatsheet/"
    dropping = False

    def do_GET(self) -> None:
        if self.path == self.path_to_drop and type(self).dropping:
            self.close_connection = True
            return
        super().do_GET()


@pytest.mark.parametrize("failed_loads", [1, 2])
def test_a_sheet_that_fails_to_load_is_tried_again_then_named_in_chromiums_words(
    fixture_site, tmp_path, chromium, monkeypatch, failed_loads
):
    """A CI run printed a1's sheet, then a2's failed to load, and the command said a2 "left its
    address" for a1's: the one page every print shares still showed a1. Where the page is is now
    compared with where it was before the load too; a load that fails is tried once more, and a
    second failure is named as it is. (The server drops a2 for the first `failed_loads` loads,
    counted where the command loads a page: Chromium itself asks once or twice in a load.)"""
    need_browser()
    loads: list[str] = []
    monkeypatch.setattr(pdf, "serve_folder", lambda folder: serve_folder(folder, handler=_Dropping))
    once = pdf._print_once

    def counted(page, url, *rest):
        loads.append(url)
        dropping = url.endswith(_Dropping.path_to_drop) and loads.count(url) <= failed_loads
        monkeypatch.setattr(_Dropping, "dropping", dropping)
        return once(page, url, *rest)

    monkeypatch.setattr(pdf, "_print_once", counted)
    sheets = [s for s in cheatsheets(fixture_site.parent) if s.track == "alpha"]
    assert [s.url for s in sheets][:2] == ["alpha/a1/cheatsheet/", "alpha/a2/cheatsheet/"]
    out = tmp_path / "pdf"
    if failed_loads == 1:
        written, _ = pdf.print_pdfs(fixture_site, sheets, out, booklets=False, browser=chromium)
        assert [count_pages(path) for path, _, _ in written] == [1] * len(sheets)
        shown = [u.rsplit("/alpha/", 1)[1] for u in loads][:3]
        assert shown == ["a1/cheatsheet/", "a2/cheatsheet/", "a2/cheatsheet/"], loads
        return
    with pytest.raises(UserError) as raised:
        pdf.print_pdfs(fixture_site, sheets, out, booklets=False, browser=chromium)
    said = str(raised.value)
    assert "alpha/a2/cheatsheet/ could not be printed: Page.goto: " in said, said
    assert "left its address" not in said
    assert not (out / "alpha/a2.pdf").exists() and (out / "alpha/a1.pdf").is_file()
