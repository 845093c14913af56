"""Importers that turn other course formats into tracksite tracks (today: Carpentries Workbench)."""
