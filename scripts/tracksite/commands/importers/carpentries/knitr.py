"""R Markdown episodes run with knitr, as the Carpentries Workbench runs them, before conversion.

A Workbench lesson's `.Rmd` episodes are executed at build time (sandpaper calls `knitr::knit`
in a fresh R process per episode, from the episodes folder): learners see each chunk's output
and plots. Here knitr runs with `error = TRUE`, so one failing chunk hides nothing after it, and
the errors are judged afterwards (rerrors.py: only chunks marked error=TRUE may publish one,
unless --allow-errors). The import does the same when asked
(`--execute`), in the sandbox (rsandbox.py: no files, no network, no other process, limits), on a
private copy of the lesson, so the converter reads ordinary Markdown whose plots sit in `fig/`,
and the source is never written to. Not asked, or where R or knitr is missing, the import still
completes: chunks hidden from learners (`include=FALSE`, `echo=FALSE`) are left out, the rest
are shown as code, and `Prepared.summary` says what is missing and how to get it.
"""

from __future__ import annotations

import difflib
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from tracksite.commands.importers.carpentries import rerrors, rpackages, rsandbox, unreachable
from tracksite.commands.importers.carpentries.chunkheaders import chunks, join_headers, malformed
from tracksite.commands.importers.carpentries.unknit import Unrun, child_reader, without_r
from tracksite.commands.importers.pipeline import confine
from tracksite.core import messages, sandbox
from tracksite.core.site.statics import MAX_FILE_BYTES
from tracksite.errors import USAGE, UserError

KNITTED_CLASS = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,})\s*\{\.(?P<cls>output|error|warning|message)\b[^}]*\}\s*$")
PACKAGE_CALL = re.compile(
    r"\b(?:library|require|requireNamespace)\s*\(\s*[\"']?(?P<a>[A-Za-z][\w.]*)|"
    r"\b(?P<b>[A-Za-z][\w.]*)::"
)
BASE_PACKAGES = {"base", "stats", "utils", "graphics", "grDevices", "methods", "datasets", "tools", "knitr"}
FALLBACK_ALT = "Plot drawn by the R code above"
FALLBACK_CHUNK = "chunk {label}"
NOT_ASKED = (
    "an import runs a lesson's R code only when asked (--execute, in a sandbox: no files, no network, "
    "limits), and it was not asked"
)

# The knitr set-up of sandpaper's episode build (class.* names the output fences), a plot hook
# that writes Workbench's own image syntax, `![caption](file){alt='...'}`, which the converter reads,
# and R's random numbers seeded with the episode's own seed (args[6], rsandbox.seed).
KNIT_R = r"""
args <- commandArgs(TRUE)
input <- args[1]; output <- args[2]; slug <- args[3]; fallback <- args[4]
one <- function(v, i) { v <- unlist(v); if (length(v) >= i) v[[i]] else if (length(v)) v[[1]] else "" }
flat <- function(s) gsub("[][]", "", gsub("[\r\n]+", " ", s))
links <- function(s) {  # a caption's Markdown links (a photo credit) kept; other brackets would end it
  s <- gsub("\\[([^][]*)\\]\\(([^()[:space:]]+)\\)", "\001\\1\002(\\2)", gsub("[\r\n]+", " ", s))
  chartr("\001\002", "[]", gsub("[][]", "", s))
}
knitr::render_markdown()  # Markdown's hooks first (fenced output); knit() keeps hooks set before it
knitr::knit_hooks$set(plot = function(x, options) {
  i <- if (is.null(options$fig.cur)) 1 else options$fig.cur
  cap <- links(one(options$fig.cap, i)); alt <- flat(one(options$fig.alt, i))
  if (!nzchar(alt)) alt <- if (nzchar(cap)) cap else sub("{label}", options$label, fallback, fixed = TRUE)
  paste0("\n\n![", cap, "](", x, "){alt='", gsub("'", "\u2019", alt), "'}\n\n")
})
knitr::opts_chunk$set(error = TRUE, comment = "", class.output = "output", class.error = "error",
  class.warning = "warning", class.message = "output",
  fig.path = file.path("fig", paste0(slug, "-rendered-")))
knitr::opts_knit$set(root.dir = getwd(), rmarkdown.pandoc.to = "markdown")
set.seed(as.integer(args[6]))
invisible(knitr::knit(input, output, envir = new.env(), quiet = TRUE, encoding = "UTF-8"))
"""


def loads(texts: dict[str, str]) -> list[tuple[str, str]]:
    """(package, "episodes/NAME:LINE") for each package the evaluated R chunks load, first use."""
    found: dict[str, str] = {}
    for name, text in texts.items():
        for chunk in chunks(text.splitlines()):
            if chunk.engine != "r" or not chunk.runs:
                continue
            for n, line in enumerate(chunk.code, chunk.start + 2):
                code = line.split("#", 1)[0]
                for m in PACKAGE_CALL.finditer(code):
                    package = m["a"] or m["b"]
                    if package not in BASE_PACKAGES:
                        found.setdefault(package, f"episodes/{name}:{n}")
    return list(found.items())


def debian_names(names: list[str]) -> str:
    return " ".join(f"r-cran-{n.lower()}" for n in names)


def line_map(source: str, knitted: str) -> list[int]:
    """For each line of the knitted Markdown, the line of the `.Rmd` it comes from (1-based):
    prose is copied through by knitr, a chunk's output maps to the chunk."""
    a, b = source.splitlines(), knitted.splitlines()
    mapping = [0] * (len(b) + 1)
    last = 1
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    blocks = {j + k: i + k + 1 for i, j, n in matcher.get_matching_blocks() for k in range(n)}
    for j in range(len(b)):
        last = blocks.get(j, last)
        mapping[j + 1] = last
    return mapping


def tidy_knitted(text: str) -> str:
    """knitr's ```{.output} fences as the ```output fences Workbench Markdown lessons use."""
    out = []
    for line in text.splitlines():
        m = KNITTED_CLASS.match(line)
        cls = {"message": "output"}.get(m["cls"], m["cls"]) if m else ""
        out.append(f"{m['indent']}{m['fence']}{cls}" if m else line)
    return "\n".join(out) + "\n"


@dataclass
class Prepared:
    """The lesson copy the import reads, and what running its R Markdown gave."""

    root: Path
    executed: list[str] = field(default_factory=list)  # episodes knitr ran
    unrun: dict[str, Unrun] = field(default_factory=dict)  # episodes imported without running
    plots: int = 0  # plots knitr drew
    missing_packages: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "episodes/x.Rmd: what went wrong"
    plot_alt: str = FALLBACK_ALT  # a plot's alt text where the chunk gives none, in the lesson's language
    plot_chunk: str = FALLBACK_CHUNK  # then the chunk's label, in brackets, in the same language
    why_not: str = ""  # why nothing ran, when nothing did
    line_maps: dict[str, list[int]] = field(default_factory=dict)  # knitted line -> .Rmd line
    joined: list[str] = field(default_factory=list)  # "episodes/x.Rmd:N: ..." chunk headers joined
    missing_children: list[str] = field(default_factory=list)  # "episodes/x.Rmd:N: ..." child= not there
    offline: dict[str, list[str]] = field(default_factory=dict)  # episode -> addresses it could not reach

    @property
    def fallback_alt(self) -> str:
        """The alt text knit.R gives a plot the chunk does not describe, `{label}` left for R to
        fill: all of it in the lesson's language, the brackets' word too (a learner's screen
        reader reads it)."""
        return f"{self.plot_alt} ({self.plot_chunk})"

    def source_line(self, note: str) -> str:
        """A note about a knitted episode, pointing at the `.Rmd` line instead of the knitted one."""
        m = re.match(r"^episodes/(?P<name>[^:]+):(?P<line>\d+):", note)
        lines = self.line_maps.get(m["name"]) if m else None
        if not m or not lines:
            return note
        line = lines[min(int(m["line"]), len(lines) - 1)]
        return f"episodes/{m['name']}:{line}:" + note[m.end() :]

    def summary(self, rerun: str) -> list[str]:
        """What the user reads after the import: what ran, what is missing, how to get it."""
        lines = list(self.joined)
        if self.executed:
            lines.append(
                f"ran the R code of {len(self.executed)} R Markdown episode(s) with knitr, as the "
                f"Workbench does, in the sandbox (no files, no network, limits): their output and "
                f"{self.plots} plot(s) are in the lessons"
            )
        lines.extend(self.problems)
        if self.missing_packages and self.executed:
            lines.append(
                f"the lesson loads R packages that are not installed: {', '.join(self.missing_packages)}; "
                "the chunks that need them show R's error instead of their output. Install them "
                f"(Debian: apt-get install {debian_names(self.missing_packages)}), then run {rerun}"
            )
        unrun = [u for n, u in self.unrun.items() if n not in self.offline]  # those: warnings()
        if unrun:
            lost = sum(u.chunks for u in unrun)
            plots = sum(u.plots for u in unrun)
            hidden = sum(u.hidden for u in unrun)
            needed = " ".join(["r-base-core", "r-cran-knitr", *debian_names(self.missing_packages).split()])
            # beside "ran the R code of N episodes", "R was not run" would contradict it: say which part did not
            why = self.why_not or (
                "R was not run" if not self.executed else "knitr could not run the rest (above: why)"
            )
            how = (
                f"run {rerun} (it needs R, knitr, the lesson's packages and bubblewrap)"
                if why == NOT_ASKED
                else f"install R, knitr and the lesson's packages (Debian: apt-get install {needed}), then run {rerun}"
            )
            lines.append(
                f"{why}, so the code of {len(unrun)} R Markdown episode(s) "
                f"was not run: the lessons show the code of {lost} chunk(s) without its output, and about "
                f"{plots} plot(s) are missing. The {hidden} chunk(s) hidden from learners (include=FALSE "
                f"or echo=FALSE) were left out. To add the output, {how}: your own edits are kept"
            )
        return lines

    def warnings(self, rerun: str) -> list[str]:
        """What the user must not miss: episodes imported without output because of the network,
        and child documents the lesson does not have."""
        return [*self.missing_children, *([unreachable.warning(self.offline, rerun)] if self.offline else [])]


def rscript() -> str | None:
    return shutil.which("Rscript")


def prepare(
    source: Path,
    episodes: list[str],
    work: Path,
    *,
    execute: bool = False,
    allow_errors: bool = False,
    lang: str = "en",
) -> Prepared | None:
    """A copy of the lesson in `work` whose `.Rmd` episodes hold Markdown: knitted in the sandbox
    when asked (`execute`) and R and knitr are there, else with hidden chunks left out. None: no
    R Markdown. Asked where no sandbox can be made, it stops (nothing is run unsandboxed).
    A chunk header over several lines is joined into one (join_headers) and noted; one that never
    closes stops the import (file:line), R or not. When R runs, a
    package the lesson's code loads and this machine lacks stops it before anything runs, and
    an R error a missing or older package causes stops it with the chunk's line, unless
    `allow_errors` (then R's errors are printed where the output would be); so does an error in
    a chunk that does not allow errors (rerrors.py). Errors the lesson teaches (error=TRUE) are output."""
    rmd = [e for e in episodes if e.lower().endswith(".rmd")]
    if not rmd:
        return None
    texts, joined = {}, []
    for name in rmd:
        texts[name], lines = join_headers(confine.read(source, source / "episodes" / name))
        joined += [f"episodes/{name}:{n}: a code chunk header over several lines was joined into one" for n in lines]
    broken = malformed(texts)
    if broken:
        raise UserError("\n".join(broken))
    copy = work / source.name
    confine.copy_lesson(source, copy, {".git", "site", "renv", ".Rproj.user", "*.knit.md"}, MAX_FILE_BYTES)
    folder = copy / "episodes"
    words = messages.catalogue(lang or "en")
    prepared = Prepared(copy, joined=joined, plot_alt=words.text("impPlotAlt"), plot_chunk=words.text("impPlotChunk"))
    for name in rmd:  # the copy knitr reads has the headers joined
        (folder / name).write_text(texts[name], encoding="utf-8")
    runner = None
    if execute:
        runner = _runner(work, rpackages.needs(source, loads(texts)), prepared, allow_errors)
    else:
        prepared.why_not = NOT_ASKED
    for name in rmd:
        if runner and _knit(runner, copy, name, prepared, allow_errors):
            continue
        placeholder = f"*({words.text('impNotRun')})*"
        text, missing = without_r(texts[name], child_reader(source, source / "episodes"), placeholder)
        (folder / name).write_text(text, encoding="utf-8")
        prepared.unrun[name] = missing
        _notes(prepared, name, missing)
        if missing.children or missing.sourced:
            prepared.line_maps[name] = line_map(texts[name], text)
    return prepared


def _notes(prepared: Prepared, name: str, missing: Unrun) -> None:
    """What importing an episode without R noted: child documents and code files read or missing,
    and hidden output chunks a placeholder stands for (warnings, with the chunk's line)."""
    for line, child, found in missing.children:
        what = "its text put in the chunk's place, as knitr does" if found else "not in the lesson: left out"
        (prepared.joined if found else prepared.missing_children).append(
            f"episodes/{name}:{line}: child document {child}: {what}"
        )
    for line, path, found in missing.sourced:
        what = "its code read from there, as knitr does" if found else "not in the lesson: the chunk is left out"
        (prepared.joined if found else prepared.missing_children).append(
            f"episodes/{name}:{line}: code chunk's file {path}: {what}"
        )
    prepared.missing_children.extend(
        f"episodes/{name}:{line}: this hidden chunk (echo=FALSE) is all its block holds, and its output "
        "appears only when the lesson's code is run (--execute, with R and knitr): a note stands in its place"
        for line in missing.placeholders
    )


def _runner(work: Path, needs: rpackages.Needs, prepared: Prepared, allow_errors: bool) -> rsandbox.Runner | None:
    """R in the sandbox, ready to knit one episode, or None (with the reason) when R or knitr is
    missing. No sandbox here stops the import: asked to run, nothing runs outside one."""
    rs = rscript()
    loaded = [name for name in needs.wanted if name in needs.loaded]
    if rs is None:
        prepared.why_not = "R is not installed (no Rscript on the PATH)"
        prepared.missing_packages = loaded
        return None
    needs.want("knitr", "", "the import (it runs R Markdown with knitr)")
    short = rpackages.check(rs, needs, work)
    if short.failed:
        prepared.why_not = f"R could not be started ({short.failed})"
        return None
    if any(name == "knitr" for name, _ in short.missing):
        prepared.why_not = "the R package knitr is not installed"
        prepared.missing_packages = [name for name, _ in short.blocking(needs) if name != "knitr"]
        return None
    reason = sandbox.unavailable()
    if reason:
        raise UserError(  # as `check --run-code`: a tool the option needs is missing (README: exit 2)
            f"--execute runs the lesson's R code only in a sandbox, and none can be made here: {reason}. "
            "Install bubblewrap (Debian: apt-get install bubblewrap), or import without --execute: the code is "
            "then shown without its output. Nothing was written",
            exit_code=USAGE,
        )
    prepared.missing_packages = [name for name, _ in short.blocking(needs)]
    prepared.problems.extend(short.lines(needs))
    if prepared.missing_packages and not allow_errors:
        raise UserError(
            "the lesson's R code loads packages this machine does not have, so its chunks would print R's "
            "errors instead of their output:\n"
            + "\n".join(f"{where}: {name}" for name, where in short.blocking(needs))
            + f"\ninstall them (Debian: apt-get install {debian_names(prepared.missing_packages)}) and run the "
            "import again; or import with --allow-errors to publish R's errors, or without --execute to run nothing. "
            "Nothing was written"
        )
    runner = rsandbox.runner(rs, work, KNIT_R)
    if isinstance(runner, str):
        prepared.why_not = runner
        return None
    return runner


_QUITTING = re.compile(r"Quitting from lines (\d+)(?:-\d+)?")


def _knit(runner: rsandbox.Runner, copy: Path, name: str, prepared: Prepared, allow_errors: bool) -> bool:
    """Knit one episode in its own R process in the sandbox, from the episodes folder, as sandpaper does."""
    slug, folder = re.sub(r"\.[Rr]md$", "", name), copy / "episodes"
    out = folder / f"{slug}.knit.md"
    try:
        run, refused = runner.knit(copy, name, out.name, slug, prepared.fallback_alt)
        prepared.problems.extend(
            f"episodes/{name}: R wrote {figure} as a figure, and it is not an image (PNG, JPEG, GIF, WebP or SVG "
            "by its name and its bytes): left out"
            for figure in refused
        )
        if run.returncode is None:
            failed = f"knitr did not finish within {rsandbox.SECONDS // 60} minutes, the sandbox's limit"
        else:
            failed = "" if run.returncode == 0 and out.is_file() else _last(run.stderr) or "knitr wrote nothing"
        quitting, stderr = _QUITTING.search(run.stderr), run.stderr
    except OSError as e:
        failed, quitting, stderr = str(e), None, ""
    unreached = unreachable.network_failure(stderr) if failed else None
    if unreached:  # the sandbox has no network: imported as without --execute (Prepared.warnings)
        prepared.offline[name] = unreached
        return False
    if failed and not allow_errors:
        raise UserError(
            f"episodes/{name}:{quitting.group(1) if quitting else 1}: knitr could not run the episode: {failed}\n"
            "fix the lesson or this machine's R, or import with --allow-errors to import it without its "
            "output, or without --execute to run nothing. Nothing was written"
        )
    if failed:
        prepared.problems.append(
            f"episodes/{name}: knitr could not run the episode ({failed}); it is imported without its output"
        )
        return False
    text = rsandbox.stable_addresses(tidy_knitted(out.read_text(encoding="utf-8", errors="replace")), name)
    out.unlink()
    prepared.line_maps[name] = line_map((folder / name).read_text(encoding="utf-8", errors="replace"), text)
    environment = rerrors.environment_errors(text, name, prepared.line_maps[name])
    if environment and not allow_errors:
        raise UserError(
            "R's errors here come from this machine, not from the lesson:\n"
            + "\n".join(environment)
            + "\ninstall or update those packages and run the import again, or import with --allow-errors to "
            "publish R's errors, or without --execute to run nothing. Nothing was written"
        )
    prepared.problems.extend(f"{e} (published, --allow-errors)" for e in environment)
    source = (folder / name).read_text(encoding="utf-8", errors="replace")
    unallowed = rerrors.unallowed(source, chunks(source.splitlines()), text, name, prepared.line_maps[name])
    if unallowed and not allow_errors:
        raise UserError(rerrors.STOPPED.format(errors="\n".join(unallowed)))
    prepared.problems.extend(f"{e} (published, --allow-errors)" for e in unallowed)
    (folder / name).write_text(text, encoding="utf-8")
    prepared.executed.append(name)
    unnamed = text.count(f"{{alt='{prepared.fallback_alt.split('{label}')[0].replace(chr(39), chr(0x2019))}")
    if unnamed:
        prepared.problems.append(
            f"episodes/{name}: {unnamed} plot(s) have neither fig.alt nor fig.cap in the source; "
            f'their alt text says "{prepared.plot_alt}": describe them in the lesson'
        )
    prepared.plots += len(re.findall(rf"\]\(fig/{re.escape(slug)}-rendered-", text))
    return True


def _last(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return " ".join(lines[-3:])[:400]
