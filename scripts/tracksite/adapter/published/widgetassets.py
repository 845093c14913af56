"""A widget's own scripts and style sheets, linked only from the pages that show it.

Every page links the shared files (`theme.STYLESHEETS`, `theme.SCRIPTS`: what the widgets share,
and the exercise's few rules). A widget's own files, such as the 13 KB script of the
attention widgets or the quiz's and the flashcards', would cost every other page bytes for nothing, so the build links them where
the rendered page holds the widget's root class (the registry's `css_class`): in the page, which
also catches the widgets gathered on a track's exercise pack or an instructor's schedule. Style
sheets go before `</head>`, scripts, deferred, before `</body>` after the shared ones: deferred
scripts run in document order, and the widgets' scripts use widgets.js's `window.tracksite`.
A widget whose entry has `on_intent` (the runnable editor) has its `intent_assets` named by a
`<meta name="tracksite-on-intent">` each in the head instead, which intent.js (one of its linked
files) loads (style sheets, then scripts) when a learner shows intent on one of its roots (issue 83: a lesson only
read downloads no editor).
"""

from __future__ import annotations

import html as markup
import re

from mkdocs.utils import get_relative_url

from tracksite.core import widgetregistry

_USES = tuple(
    (w.css_class, widgetregistry.widget_assets(w))
    for w in widgetregistry.WIDGETS
    if w.css_class and widgetregistry.widget_assets(w)
)
#: The scripts loaded on intent, and the selector of the roots whose intent loads each.
_ON_INTENT = {f"assets/{a}": w.on_intent for w in widgetregistry.WIDGETS if w.on_intent for a in w.intent_assets}
#: A class name as the pages' class values hold them (a widget's class is one such run whole).
_NAME = re.compile(r"[\w-]+")
#: Any widget's class anywhere in a page's text, as a class or not (one pattern: a search of the
#: text for each name was slower than gathering the class values).
_ANY = re.compile("|".join(re.escape(name) for name, _ in _USES))
#: Every `class="` of the page and the run of text after it up to a quote.
_CLASS_VALUE = re.compile(r'class="([^"]*)')


def needed(html: str) -> list[str]:
    """The own files of the widgets a rendered page shows, each once, in the registry's order.
    The page's class values are gathered in one pass, each between quotes as on the page, and
    each widget's class is looked up among the names they hold: one pattern per widget over the
    whole page cost more than the rest of the page's HTML passes. Most pages show no such widget:
    a page whose text holds none of the classes anywhere (one search, a third of the time of
    gathering its class values) needs none of their files."""
    if _ANY.search(html) is None:
        return []
    runs = _CLASS_VALUE.findall(html)
    if any(run.endswith("class=") for run in runs):  # a `class="` that starts inside the last run
        runs = [m.group(1) for m in re.finditer(r'(?=class="([^"]*))', html)]
    names = set(_NAME.findall('"'.join(runs)))
    found: dict[str, None] = {}
    for name, files in _USES:
        if name in names:
            found.update(dict.fromkeys(files))
    return list(found)


def link(html: str, page_url: str) -> str:
    """The page with links to the own files of the widgets it shows (the page's address, as
    MkDocs' `page.url`, makes them relative, as the theme links the shared ones)."""
    files = needed(html)
    if not files:
        return html
    urls = [(f, get_relative_url(f, page_url)) for f in files]
    css = "".join(f'<link rel="stylesheet" href="{u}">' for f, u in urls if f.endswith(".css") and f not in _ON_INTENT)
    css += "".join(
        f'<meta name="tracksite-on-intent" content="{markup.escape(_ON_INTENT[f])}" data-src="{u}">'
        for f, u in urls
        if f in _ON_INTENT
    )
    js = "".join(f'<script src="{u}" defer></script>' for f, u in urls if f.endswith(".js") and f not in _ON_INTENT)
    if css and "</head>" in html:
        html = html.replace("</head>", css + "</head>", 1)
    if js and "</body>" in html:
        at = html.rindex("</body>")
        html = html[:at] + js + html[at:]
    return html
