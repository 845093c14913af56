"""`tracksite import --help` is worded for every format it reads (issue 87): its description and
its arguments say what each registered source is, in the source's own words, and nothing that
holds for one format only stands as if it held for all."""

from __future__ import annotations

import argparse

from tracksite.commands.importers import command, sources


class Plain:
    """A format with only what the help reads of a source: its name and what it is."""

    name = "plain"
    label = "a folder of plain Markdown files"
    execution = None


def import_help(monkeypatch, registered: dict) -> str:
    monkeypatch.setattr(command, "SOURCES", registered)
    parser = argparse.ArgumentParser(prog="tracksite")
    command.register(parser.add_subparsers())
    return " ".join(parser._subparsers._group_actions[0].choices["import"].format_help().split())


def test_the_help_names_each_format_in_its_own_words(monkeypatch):
    shown = import_help(monkeypatch, {**sources.SOURCES, "plain": Plain()})
    for name, source in {**sources.SOURCES, "plain": Plain()}.items():
        assert f"{name}, {' '.join(source.label.split())}" in shown, name


def test_a_format_alone_is_not_described_as_another(monkeypatch):
    """With only a format that is not Carpentries' registered, the description, the format and
    the folder read as that format's: nothing says a lesson is config.yaml and episodes/."""
    shown = import_help(monkeypatch, {"plain": Plain()})
    assert "plain, a folder of plain Markdown files" in shown
    before_options = shown.split("options:")[0]
    assert "config.yaml" not in before_options and "Turn a Carpentries" not in before_options, before_options
