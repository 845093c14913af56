"""Names of files in the project's own text stay true (issue 52: the pre-commit hook watched
`core/schema.py` after it became a folder, and `core/messages.py` named a test file that did not
exist). Every test file and package path that the code, the docs, the workflows and the hooks
name exists, and every file pattern of a pre-commit hook matches a file of the repository."""

from __future__ import annotations

import re
import subprocess

import yaml

from support.course import REPO

TEXTS = ("scripts", "docs", ".github", "README.md", "CONTRIBUTING.md", ".pre-commit-config.yaml", "CHANGELOG.md")
NAMED = re.compile(r"(?<![\w/.-])((?:tests|scripts/tracksite)/[A-Za-z0-9_./-]*[A-Za-z0-9_/])")


def _project_files() -> set[str]:
    """The project's files as git sees them, new ones included and ignored ones left out: an
    installed package's `*.egg-info` or a cache names paths of another day."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(listed.stdout.split("\0"))


def _texts():
    project = _project_files()
    for name in TEXTS:
        path = REPO / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for f in files:
            if str(f.relative_to(REPO)) not in project:
                continue
            if f.suffix in {".py", ".md", ".yml", ".yaml", ".txt", ".html", ".js", ".css", ".toml"}:
                text = f.read_text(encoding="utf-8", errors="replace")
                # a hook's file pattern escapes its dots (`tables\\.py`): read it as the path it names
                yield f, text.replace("\\.", ".") if f.suffix in {".yml", ".yaml"} else text


def test_every_named_test_file_and_package_path_exists():
    missing = set()
    for path, text in _texts():
        if path.name == "CHANGELOG.md":
            continue  # the changelog tells history: it names files that were since renamed
        for name in NAMED.findall(text):
            if "*" in name or "..." in name or name.endswith("/RUN"):
                continue
            if not (REPO / name).exists() and not (REPO / name.rstrip(".")).exists():
                missing.add(f"{path.relative_to(REPO)}: {name}")
    assert not missing, sorted(missing)


def _alternatives(pattern: str) -> list[str]:
    """`^(a|b)/|^c$` -> ["^(?:a)/", "^(?:b)/", "^c$"]: each path a pattern names, alone."""
    out = []
    for top in _split(pattern):
        m = re.fullmatch(r"\^\((.*)\)(.*)", top)
        inner = _split(m.group(1)) if m else []
        out += [f"^(?:{alt}){m.group(2)}" for alt in inner] if m and len(inner) > 1 else [top]
    return out


def _split(pattern: str) -> list[str]:
    """A pattern cut at its top-level `|`s."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(pattern):
        if c == "\\":
            continue
        depth += (c == "(") - (c == ")")
        if c == "|" and depth == 0 and (i == 0 or pattern[i - 1] != "\\"):
            parts.append(pattern[start:i])
            start = i + 1
    return [*parts, pattern[start:]]


def test_every_pre_commit_file_pattern_matches_a_file():
    tracked = "\n".join(sorted(_project_files()))
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"] if "files" in hook]
    assert hooks
    for hook in hooks:
        for alternative in _alternatives(hook["files"]):
            assert any(re.search(alternative, f) for f in tracked.splitlines()), (hook["id"], alternative)
    assert _alternatives(r"^(a\.py|b/)|^c$") == [r"^(?:a\.py)", "^(?:b/)", "^c$"]
