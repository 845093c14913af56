"""tracksite's style sheets are published without their comments (core/site/sheets.py, issue 83:
a runnable lesson's first visit within 90 kB of assets), every rule kept as written."""

from __future__ import annotations

import gzip

import tinycss2

from support import harness
from support.course import make_course, write
from tracksite import theme as theme_files
from tracksite.core import widgetregistry as W
from tracksite.core.site import sheets


def tokens(text: str) -> list:
    """Every token of `text` as a browser reads it, blocks and functions opened, less whitespace
    and comments: two sheets with the same list have the same rules, selectors and values."""

    def flat(nodes) -> list:
        out: list = []
        for node in nodes:
            if node.type in ("whitespace", "comment"):
                continue
            if node.type == "function":
                out += [("function", node.lower_name), *flat(node.arguments), ")"]
            elif node.type in ("() block", "[] block", "{} block"):
                out += [node.type, *flat(node.content), "end"]
            else:
                out.append((node.type, node.serialize()))
        return out

    return flat(tinycss2.parse_component_value_list(text, skip_comments=True))


def package_sheets() -> list:
    return [(uri, path) for uri, path in [*theme_files.asset_files(), *W.home_asset_files()] if uri.endswith(".css")]


def test_every_sheet_keeps_its_rules_and_loses_its_comments():
    found = package_sheets()
    assert len(found) >= 6  # theme, widgets, learner, search, and the widgets' own
    for uri, path in found:
        text = path.read_text(encoding="utf-8")
        out = sheets.published(text)
        assert "/*" in text, uri  # the sources stay commented
        assert tokens(out) == tokens(text), uri
        assert not any(t.type == "comment" for t in tinycss2.parse_component_value_list(out)), uri
        assert len(gzip.compress(out.encode(), 9)) < len(gzip.compress(text.encode(), 9)), uri


def test_comment_like_text_in_strings_and_urls_stays_and_tokens_stay_apart():
    text = (
        '/* lead */\n.a::before { content: "/* not a comment */"; }\n\n\n'
        ".b { background: url(x/*y.png); }\n.c{margin:1px/**/2px}\n.d/**/.e{color:red}\n"
    )
    out = sheets.published(text)
    assert tokens(out) == tokens(text)
    assert '"/* not a comment */"' in out and "url(x/*y.png)" in out
    assert "lead" not in out and "\n\n" not in out
    # two tokens a comment kept apart are still two tokens (tinycss2 puts an empty comment between)
    assert [t for t in tokens(out) if t[0] == "dimension"] == [("dimension", "1px"), ("dimension", "2px")]
    assert ".d.e{" in out  # the same compound selector


def test_a_site_publishes_the_package_sheets_stripped_and_the_course_own_as_written(tmp_path):
    root = make_course(tmp_path / "course")
    own = "/* the course's own note */\n.mine { color: teal; }\n"
    write(root, "docs/assets/tracksite/widgets.css", own)  # a course's file at that address wins
    site = harness.build(root)
    theme = (site / "assets/tracksite/theme.css").read_text(encoding="utf-8")
    source = (theme_files.ASSETS / "tracksite/theme.css").read_text(encoding="utf-8")
    assert theme == sheets.published(source) and "/*" not in theme and tokens(theme) == tokens(source)
    assert (site / "assets/tracksite/widgets.css").read_text(encoding="utf-8") == own
