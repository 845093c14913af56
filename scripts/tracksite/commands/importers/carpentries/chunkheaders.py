"""R Markdown chunk headers as knitr reads them, and as authors write them.

knitr reads a chunk header (```` ```{r name, fig.cap="..."} ````) on one line only; RStudio's
wrapping and hand edits put it over two or more, and knitr then passes the chunk through as
text, swallowing what follows it, exercises included. `join_headers` joins such a header into
one line, keeping the line count; `malformed` names each header that still does not close.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# ```{r label, echo=FALSE, fig.alt="..."} (the engine, then the label and options)
CHUNK_OPEN = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,})\s*\{\s*(?P<engine>[A-Za-z][\w]*)\s*,?\s*(?P<rest>.*?)\}\s*$")
PIPE_OPTION = re.compile(r"^\s*#\|\s*(?P<key>[\w.-]+)\s*:\s*(?P<value>.*?)\s*$")  # knitr's `#| echo: false`
PLOT_CALL = re.compile(
    r"\b(?:ggplot|qplot|plot|hist|barplot|boxplot|pairs|image|curve|matplot|heatmap|pie|"
    r"dotchart|stripchart|mosaicplot|persp|contour|include_graphics)\s*\("
)

_HEADER_START = re.compile(r"^\s*`{3,}\s*\{\s*[A-Za-z]")


_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def _open_headers(lines: list[str]):
    """The index of each line, outside fenced blocks, that starts a chunk header and does not
    close it on the line. `lines` is read as the walk goes, so a caller may rewrite the lines
    after the one given (the fence that line opens is already noted)."""
    fence = ""
    for i, line in enumerate(lines):
        plain = _FENCE.match(line)
        if fence:
            fence = "" if plain and plain.group(1)[0] == fence[0] and not line.strip().strip(fence[0]) else fence
            continue
        if _HEADER_START.match(line) and not CHUNK_OPEN.match(line):
            yield i
        if plain:
            fence = plain.group(1)


def join_headers(text: str) -> tuple[str, list[int]]:
    """The text with each chunk header written over several lines (```{r name,` then
    `  fig.cap="..."}`, which RStudio's wrapping makes) joined into one line, as its author meant
    it: knitr reads a header on one line only. The joined header takes the header's last line
    and the lines before it are left blank, so the line count stays. Returns the text and the
    (1-based) lines where a joined header starts."""
    lines = text.splitlines()
    joined: list[int] = []
    for i in _open_headers(lines):
        for j in range(i + 1, min(i + 6, len(lines))):
            if _FENCE.match(lines[j]) or not lines[j].strip():
                break
            header = " ".join([lines[i].rstrip(), *(part.strip() for part in lines[i + 1 : j + 1])])
            if CHUNK_OPEN.match(header):
                lines[i : j + 1] = [""] * (j - i) + [header]
                joined.append(i + 1)
                break
    return ("\n".join(lines) + "\n" if joined else text), joined


def malformed(texts: dict[str, str]) -> list[str]:
    """ "episodes/NAME:LINE: ..." for each chunk header knitr would not read as one, even joined
    (join_headers): the chunk would swallow what follows it, exercises included."""
    found = []
    for name, text in texts.items():
        lines = text.splitlines()
        for i in _open_headers(lines):
            found.append(
                f"episodes/{name}:{i + 1}: the code chunk header `{lines[i].strip()[:60]}` does not close with "
                "`}` on its line (knitr reads a header on one line): join it into one line"
            )
    return found


@dataclass
class Chunk:
    """One code chunk of an R Markdown file: where it is, its engine and options."""

    start: int  # index of the opening fence line
    end: int  # index of the closing fence line (len(lines) - 1 if never closed)
    engine: str
    label: str
    options: dict[str, str]
    code: list[str]

    def value(self, name: str) -> str:
        """An option's value as written, without its quotes ("" when not given)."""
        return self.options.get(name, "").strip().strip("'\"")

    def flag(self, name: str, default: bool = True) -> bool:
        """An option as R would read a literal TRUE/FALSE (anything else: the default)."""
        value = self.value(name).lower()
        return {"false": False, "f": False, "true": True, "t": True}.get(value, default)

    @property
    def shown(self) -> bool:
        """Whether learners see this chunk's code: never with include=FALSE or echo=FALSE."""
        return self.flag("include") and self.flag("echo")

    @property
    def runs(self) -> bool:
        return self.flag("eval")

    @property
    def plots(self) -> bool:
        """Whether the chunk most likely draws a plot (a guess, for the message without R)."""
        return (
            self.runs
            and self.flag("include")
            and (any(k.startswith("fig.") for k in self.options) or any(PLOT_CALL.search(c) for c in self.code))
        )


def split_options(rest: str) -> list[str]:
    """Split `label, a=1, b="x, y", c=c(1, 2)` at the commas outside quotes and brackets."""
    parts, depth, quote, current = [], 0, "", ""
    for ch in rest:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        current += ch
    parts.append(current.strip())
    return [p for p in parts if p]


def parse_options(rest: str, code: list[str]) -> tuple[str, dict[str, str]]:
    """The chunk's label and options, from its header and its leading `#|` lines."""
    label, options = "", {}
    for part in split_options(rest):
        key, eq, value = part.partition("=")
        if eq:
            options[key.strip()] = value.strip()
        elif not label:
            label = part.strip().strip("'\"")
    piped = [line.split("#|", 1)[1] for line in code[: option_lines(code)]]
    if piped and not all(PIPE_OPTION.match("#|" + line) for line in piped if line.strip()):
        # knitr reads `#|` lines that are not YAML (`#| label = "a", eval = FALSE,`) as a header's
        # comma-separated options. Before, they were not read at all: `echo = FALSE` was shown.
        for part in split_options(" ".join(piped)):
            key, eq, value = part.partition("=")
            if eq:
                options[key.strip().replace("-", ".")] = value.strip()
        return label, options
    for line in piped:
        m = PIPE_OPTION.match("#|" + line)
        if m:
            options[m["key"].replace("-", ".")] = m["value"]
    return label, options


def option_lines(code: list[str]) -> int:
    """How many of the chunk's first lines are knitr's in-body options (`#| ...`): knitr reads
    them and leaves them out of the code it shows."""
    n = 0
    while n < len(code) and code[n].lstrip().startswith("#|"):
        n += 1
    return n


def chunks(lines: list[str]) -> list[Chunk]:
    """Every ```{engine ...} chunk; plain ``` fences are skipped whole (they are not run)."""
    found: list[Chunk] = []
    i = 0
    while i < len(lines):
        m = CHUNK_OPEN.match(lines[i])
        plain = re.match(r"^\s*(`{3,}|~{3,})", lines[i])
        if not m and not plain:
            i += 1
            continue
        fence = m["fence"] if m else plain.group(1) if plain else "```"
        j = i + 1
        while j < len(lines) and not re.match(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$", lines[j]):
            j += 1
        if m:
            code = lines[i + 1 : j]
            label, options = parse_options(m["rest"], code)
            found.append(Chunk(i, min(j, len(lines) - 1), m["engine"].lower(), label, options, code))
        i = j + 1
    return found
