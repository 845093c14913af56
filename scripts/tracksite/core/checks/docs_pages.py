"""The front-matter of docs/ pages: known keys only (with "did you mean"), and a `template`
the theme or overrides/ really has; a missing one would end the build in a template error."""

from __future__ import annotations

from tracksite.core.checks.common import near, problems_of
from tracksite.core.schema import specs as schema


def front_matter(project) -> list:
    out = problems_of(project)
    templates = project.site.config.templates if project.site is not None else frozenset()
    for doc in project.documents:
        if doc.kind != "page":
            continue
        for f in schema.findings(schema.DOCS_PAGE, doc.meta):
            out.add(doc.path, f.line, f.message, field=f.field, hint=f.hint, code=f.code, column=f.column)
        template = doc.meta.value.get("template") if isinstance(doc.meta.value, dict) else None
        if isinstance(template, str) and template.strip() and templates and template not in templates:
            shown = sorted(t for t in templates if "/" not in t)
            out.add(
                doc.path,
                doc.meta.line("template"),
                f"no template {template!r} in the theme or overrides/",
                field="template",
                hint=near(template, templates) or f"page templates: {', '.join(shown)}",
                code="TS218",
            )
    return out.items
