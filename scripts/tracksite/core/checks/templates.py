"""The course's own templates (`overrides/`, the theme's `custom_dir`): read as Jinja reads them,
before the build renders a page with them.

The course's folder comes first among the theme's folders, so `{% extends "main.html" %}` in
`overrides/main.html` names the file itself, not tracksite's or Material's `main.html`: the
build recursed until Python stopped it (a RecursionError reported as a bug in tracksite) while
check said 0 errors. A template that extends, includes or imports itself, directly or through
other templates of the course, and a template Jinja cannot parse, are located problems here, so
check and the build stop on them alike, at the file and line.
"""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
from jinja2 import nodes

from tracksite import theme as theme_files
from tracksite.core.checks.common import problems_of

#: Material's own name for what it extends: the one a course's `main.html` should extend.
BASE = "base.html"


def override_templates(project) -> list:
    """TS221 for a template that reaches itself, TS222 for one Jinja cannot parse."""
    out = problems_of(project)
    if project.site is None:
        return out.items
    dirs = list(project.site.config.theme_dirs)
    ours = dirs[: dirs.index(theme_files.TEMPLATES)] if theme_files.TEMPLATES in dirs else []
    env = jinja2.Environment()
    names: dict[str, list[tuple[str, int]]] = {}  # template -> (template it names, line)
    files: dict[str, Path] = {}
    for folder in ours:
        for name, path in _templates(folder):
            if name in files:
                continue  # an earlier folder's file of the same name wins, as the loader's does
            files[name] = path
            try:
                tree = env.parse(path.read_text(encoding="utf-8", errors="replace"))
            except jinja2.TemplateSyntaxError as e:
                out.add(
                    path,
                    e.lineno,
                    f"the template cannot be read: {e.message}",
                    hint="fix the Jinja syntax (every {% if %} needs its {% endif %}, every {{ its }})",
                    code="TS222",
                )
                continue
            names[name] = list(_named(tree))
    for name, path in files.items():
        line = _loop_line(name, names)
        if line is not None:
            first = names[name][0][0] if names.get(name) else name
            out.add(
                path,
                line,
                f"{name} reaches itself through {{% extends/include/import %}} of {first!r}: the course's "
                "overrides come first, so the name means this file again and the build never ends",
                hint=f"extend \"{BASE}\" (Material's page, which tracksite's main.html extends too) and "
                "override its blocks, or give the partial another name",
                code="TS221",
            )
    return out.items


def _templates(folder: Path):
    """(name as a template names it, path) of every .html file under `folder`, links not followed."""
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for filename in sorted(filenames):
            if filename.endswith(".html"):
                path = Path(dirpath) / filename
                yield path.relative_to(folder).as_posix(), path


def _named(tree: nodes.Template):
    """(template name, line) of every `extends`, `include`, `import` and `from` with a fixed name."""
    for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        target = getattr(node, "template", None)  # each of the four kinds has one
        if isinstance(target, nodes.Const) and isinstance(target.value, str):
            yield target.value, node.lineno
        elif isinstance(target, (nodes.List, nodes.Tuple)):  # {% include ["a.html", "b.html"] %}
            for item in target.items:
                if isinstance(item, nodes.Const) and isinstance(item.value, str):
                    yield item.value, node.lineno


def _loop_line(start: str, names: dict[str, list[tuple[str, int]]]) -> int | None:
    """The line of `start` whose name leads back to `start` through the course's templates (only
    they can loop: a name the course does not have is the theme's, which never names the
    course's files back by a loop of its own)."""
    for first, line in names.get(start, []):
        seen, todo = set(), [first]
        while todo:
            name = todo.pop()
            if name == start:
                return line
            if name in seen or name not in names:
                continue
            seen.add(name)
            todo.extend(n for n, _ in names[name])
    return None
