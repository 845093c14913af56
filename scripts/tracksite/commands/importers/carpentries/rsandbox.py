"""A lesson's R code run in the sandbox: knitr over one R Markdown episode, in bubblewrap.

The project's rule for code inside a lesson: never run unless asked (`import --execute`), and
then only in a sandbox. This is the exercises' sandbox (core/sandbox.py: an empty read-only root,
no network, no other process, limits) around R itself (`R_HOME/bin/exec/R`, not the `R` shell
script, which starts other programs):

- **read-only**: R's installation and its library folders (`.libPaths()` as R says here, so
  packages installed for the user are found), R's configuration under /etc, the fonts and
  the alternatives' links the libraries go through; nothing else of the machine;
- **the lesson**: the import's private copy, read-only at `/lesson`; R copies it into the
  sandbox's /tmp (a tmpfs of the lesson's size plus `SCRATCH`), knits the episode there, and
  hands back the knitted Markdown and its figures as a tar on a descriptor of this process,
  whose size the file-size limit bounds. Nothing it writes reaches the disk otherwise;
- **no network**: a chunk that downloads fails, and the import says so (unreachable.py);
- **no other program**: `system()` and `system2()` are replaced before any package loads by a
  function that warns and returns 127 (R's `Sys.which()` calls `which` through them); the
  seccomp filter refuses the rest;
- **limits**: `SECONDS` of processor and wall time, `MEMORY` of address space, per episode.

`TZ` is set, so R never asks `timedatectl` for the time zone (whose warning was published once).

Two knits of an episode give the same bytes (an `--update` of the same release then finds nothing
changed): R's random numbers are seeded (`seed`), and `tempdir()` and `tempfile()` name their
folder and files from that seed and a count instead of the clock, in R's own shapes
(`/tmp/RtmpXXXXXX/file<pid><hex>`); R's own session folder becomes a link to that one, so a file
R itself makes there is found under the name the lesson printed; the memory addresses R prints
(`<environment: 0x55d2...>`) are replaced by a series of the episode's own (`stable_addresses`).
What still differs between runs is what the lesson asks of the clock (`Sys.time()`,
`system.time()`).
"""

from __future__ import annotations

import os
import re
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from tracksite.core import sandbox
from tracksite.core.site.statics import MAX_FILE_BYTES

SECONDS = 900  # processor and wall time of one episode
MEMORY = 4 * 2**30  # address space: R with GDAL, PROJ and a raster or two
SCRATCH = 512 * 2**20  # what the episode may write besides its copy of the lesson
OUTPUT = 64 * 2**20  # the knitted episode and its figures, and any one file written
LESSON = "/lesson"  # where the copy is seen inside

# Where R is, as R says it (run here with this script only: no code of the lesson).
PATHS_R = r"""
cat(R.home(), R.home("share"), R.home("include"), R.home("doc"), Sys.getenv("LD_LIBRARY_PATH"), sep = "\n")
cat(.libPaths(), sep = "\n")
"""

# Read before any package loads (R_PROFILE): no other program, said where a lesson tries one;
# temporary names the same at every run (above).
PROFILE_R = r"""
local({
  refused <- function(command, ...) {
    warning("the sandbox runs no other program (", command[1], ")", call. = FALSE)
    args <- list(...)
    if (isTRUE(args$intern) || isTRUE(args$stdout)) structure(character(), status = 127L) else invisible(127L)
  }
  for (name in c("system", "system2")) {
    unlockBinding(name, baseenv()); assign(name, refused, envir = baseenv()); lockBinding(name, baseenv())
  }
})
local({  # temporary names from the episode's seed (args[6]) and a count, not from the clock
  seed <- as.numeric(commandArgs(TRUE)[6]); pid <- Sys.getpid(); count <- 0
  chars <- c(letters, LETTERS, 0:9)
  session <- tempdir()  # R's own, named at random: it becomes a link to one named from the seed
  stable <- file.path(dirname(session), paste0("Rtmp", paste(chars[(seed %/% 62^(0:5)) %% 62 + 1], collapse = "")))
  if (dir.create(stable) && unlink(session, recursive = TRUE) == 0) file.symlink(stable, session)
  else stable <- session
  tempdir <- function(check = FALSE) {
    if (isTRUE(check) && !dir.exists(stable)) dir.create(stable)
    stable
  }
  tempfile <- function(pattern = "file", tmpdir = tempdir(), fileext = "") {
    if (!is.character(pattern) || !length(pattern)) stop("no 'pattern'")
    if (!is.character(tmpdir) || !length(tmpdir)) stop("no 'tempdir'")
    if (!is.character(fileext) || !length(fileext)) stop("no 'fileext'")
    n <- max(length(pattern), length(tmpdir), length(fileext))
    pattern <- rep_len(pattern, n); tmpdir <- rep_len(tmpdir, n); fileext <- rep_len(fileext, n)
    vapply(seq_len(n), function(i) repeat {
      count <<- count + 1
      path <- file.path(tmpdir[i], sprintf("%s%x%x%s", pattern[i], pid, as.integer((count * 2654435761) %% 2^31), fileext[i]))
      if (!file.exists(path)) return(path)
    }, "")
  }
  for (name in c("tempdir", "tempfile")) {
    unlockBinding(name, baseenv()); assign(name, get(name), envir = baseenv()); lockBinding(name, baseenv())
  }
})
"""

# Before knitr: the lesson copied into the scratch folder (but the files too large to publish,
# which the copy holds as sparse files of their size only: confine.copy_lesson), the episodes
# folder the working one.
PROLOGUE_R = r"""
local({
  files <- list.files("/lesson", recursive = TRUE, all.files = TRUE, no.. = TRUE)
  for (d in list.dirs("/lesson", full.names = FALSE)) dir.create(file.path("/tmp/lesson", d), recursive = TRUE, showWarnings = FALSE)
  small <- files[file.size(file.path("/lesson", files)) <= LIMIT]
  invisible(file.copy(file.path("/lesson", small), file.path("/tmp/lesson", small)))
})
setwd("/tmp/lesson/episodes")
""".replace("LIMIT", str(MAX_FILE_BYTES))

# After knitr: the knitted episode and its figures, handed back as a tar (args[5]).
EPILOGUE_R = r"""
figures <- list.files("fig", full.names = TRUE)
figures <- figures[startsWith(basename(figures), paste0(slug, "-rendered-"))]
utils::tar(args[5], files = c(output, figures), compression = "none", tar = "internal")
"""


def seed(name: str) -> int:
    """The seed of R's random numbers for the episode file `name`: a CRC-32 of the name, within
    R's integers. sandpaper does not seed: each episode's R starts with numbers of its own (time
    and process), and a Workbench site stays the same only because it knits again just the
    episodes whose source changed. The import knits every episode at every run (an `--update`
    of the same release compares what it makes with what it made), so a `rnorm()`, `sample()` or
    `jitter()` would change the page at every run: seeded, two knits of an episode give the same
    text and plots. From the name, so each episode draws its own numbers, as in the Workbench,
    and a lesson's `set.seed()` replaces it from its chunk on."""
    return zlib.crc32(name.encode("utf-8")) & 0x7FFFFFFF


# What R prints of a memory address (printing an environment, a compiled function, a pointer)
ADDRESS = re.compile(r"<(?P<what>environment|bytecode|pointer): 0x(?P<hex>[0-9a-f]+)>")
OUTPUT_FENCE = re.compile(r"^\s*(`{3,})(output|error|warning)\s*$")


def stable_addresses(knitted: str, name: str) -> str:
    """The knitted episode with the addresses R printed in its output (`<environment: 0x55d2...>`,
    `<bytecode: ...>`, `<pointer: ...>`) replaced by addresses that are the same at every knit.
    R's differ at every run (the system places memory at random), so an episode that prints a
    function such as `ls` would be "taken from upstream" at every `--update`. An address means
    nothing to a learner beyond its shape and whether two are the same: the n-th distinct one of
    the episode becomes the n-th of the episode's own series, so equal ones stay equal. Prose is
    left as written: only output, error and warning blocks are R's."""
    seen: dict[str, str] = {}

    def stable(m: re.Match) -> str:
        if m["hex"] not in seen:
            seen[m["hex"]] = f"55d5{zlib.crc32(f'{name}:{len(seen)}'.encode()):08x}"
        return f"<{m['what']}: 0x{seen[m['hex']]}>"

    lines, fence = knitted.split("\n"), ""
    for i, line in enumerate(lines):
        if fence:
            if line.strip() == fence:
                fence = ""
            else:
                lines[i] = ADDRESS.sub(stable, line)
        elif m := OUTPUT_FENCE.match(line):
            fence = m.group(1)
    return "\n".join(lines)


@dataclass
class Runner:
    """R as this machine has it, and how the sandbox shows it."""

    program: str  # R's own executable
    readonly: list[Path]
    env: dict[str, str]
    script: Path  # the knitting program (PROLOGUE_R, knitr's set-up, EPILOGUE_R)
    profile: Path

    def knit(self, copy: Path, name: str, output: str, slug: str, fallback: str) -> tuple[sandbox.Result, list[str]]:
        """Knit `episodes/NAME` of the lesson copy into `episodes/OUTPUT`, R's random numbers
        seeded with the episode's `seed`; and what it wrote as a figure that is not an image
        (left out: _unpack)."""
        sizes = (f.stat().st_size for f in copy.rglob("*") if f.is_file() and not f.is_symlink())
        size = sum(n for n in sizes if n <= MAX_FILE_BYTES)  # (larger ones are not copied in: PROLOGUE_R)
        limits = sandbox.Limits(seconds=SECONDS, memory=MEMORY, scratch=size + SCRATCH, file_size=OUTPUT)
        argv = [self.program, "--no-echo", "--no-restore", "--no-save", "--no-init-file", "--file=/tracksite/knit.R"]
        with tempfile.TemporaryFile() as tar:
            fd = tar.fileno()
            args = [name, output, slug, fallback, f"/proc/self/fd/{fd}", str(seed(name))]
            result = sandbox.run_program(
                [*argv, "--args", *args],
                readonly=self.readonly,
                files={"/tracksite/knit.R": self.script, "/tracksite/profile.R": self.profile, LESSON: copy},
                env=self.env,
                limits=limits,
                output=fd,
            )
            tar.seek(0)
            _, refused = _unpack(tar, copy / "episodes", output, f"{slug}-rendered-")
        return result, refused


def runner(rscript: str, work: Path, knit_r: str) -> Runner | str:
    """The sandbox's R, or why it cannot be had (R could not say where it is)."""
    script = work / "r-paths.R"
    script.write_text(PATHS_R, encoding="utf-8")
    try:
        run = subprocess.run(
            [rscript, "--no-init-file", str(script)], capture_output=True, text=True, timeout=120, cwd=work
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        return str(e)
    lines = run.stdout.splitlines()
    if run.returncode or len(lines) < 6:
        return f"R could not say where it is installed ({' '.join(run.stderr.split())[:200]})"
    home, share, include, doc, ld_path, *libraries = lines
    program = Path(home, "bin", "exec", "R")
    if not program.is_file():
        return f"R's own program is not at {program}"
    etc = Path(home, "etc")  # Debian links R_HOME/etc's files to /etc/R
    configuration = {Path(os.path.realpath(f)).parent for f in etc.iterdir()} if etc.is_dir() else set()
    readonly = [Path(home), Path(share), Path(include), Path(doc), *map(Path, libraries), *sorted(configuration)]
    readonly += [Path(p) for p in ("/etc/alternatives", "/etc/fonts", "/var/cache/fontconfig")]
    env = {
        "R_HOME": home,
        "R_SHARE_DIR": share,
        "R_INCLUDE_DIR": include,
        "R_DOC_DIR": doc,
        "R_LIBS": ":".join(libraries),
        "R_PROFILE": "/tracksite/profile.R",
        "LD_LIBRARY_PATH": ld_path or str(Path(home, "lib")),
        "HOME": "/tmp",
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "TZ": "UTC",
    }
    knit, profile = work / "knit.R", work / "profile.R"
    knit.write_text(PROLOGUE_R + knit_r + EPILOGUE_R, encoding="utf-8")
    profile.write_text(PROFILE_R, encoding="utf-8")
    return Runner(str(program), list(dict.fromkeys(readonly)), env, knit, profile)


def _unpack(tar, folder: Path, output: str, figure_prefix: str) -> tuple[list[str], list[str]]:
    """The tar's regular files that are the knitted episode or its figures, written into
    `folder` (the copy's episodes folder, made by the import, which holds no link:
    confine.copy_lesson); any other member (a link, a path elsewhere, what the lesson's code added,
    a "figure" that is not an image by its name and its bytes) is left. Each is written as a new
    file that follows no link, inside a folder that is no link."""
    written: list[str] = []
    refused: list[str] = []
    try:
        archive = tarfile.open(fileobj=tar, mode="r:")
    except tarfile.TarError:
        return written, refused
    with archive:
        for member in archive:
            name = member.name
            figure = name.startswith("fig/") and name[4:].startswith(figure_prefix)
            wanted = name == output or (figure and re.fullmatch(r"[\w.+-]+", name[4:]) is not None)
            source = archive.extractfile(member) if member.isfile() and wanted else None
            if source is None:
                continue
            data = source.read()
            if figure and image_kind(name, data) is None:
                refused.append(name)
                continue
            _write_new(folder, name, data)
            written.append(name)
    return written, refused


# What a figure may be: its name's ending, and the bytes such a file starts with
IMAGES = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".svg": (b"<?xml", b"<svg"),
}


def image_kind(name: str, data: bytes) -> str | None:
    """The image type of a figure R wrote, by its name and its first bytes; None for anything
    else (a `.pth`, a script, a PNG name on text): knitr's devices write these kinds only."""
    suffix = Path(name).suffix.lower()
    head = data[:512].lstrip() if suffix == ".svg" else data
    if suffix == ".webp" and data[8:12] != b"WEBP":
        return None
    if any(head.startswith(magic) for magic in IMAGES.get(suffix, ())):
        return suffix
    return None


def _write_new(folder: Path, name: str, data: bytes) -> None:
    """`folder/name` written as a file of its own: the folders on the way made here or real
    folders (no link), the file opened without following a link."""
    target = folder / name
    for parent in (folder, target.parent):
        if parent.is_symlink():
            raise OSError(f"{parent} is a symbolic link; the import writes through none")
    target.parent.mkdir(exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(target, flags, 0o644)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
