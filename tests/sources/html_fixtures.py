"""Paths of the real page captures (tests/fixtures/html, catalogue in its SOURCES.md)."""

from pathlib import Path

HTML = Path(__file__).resolve().parents[1] / "fixtures" / "html"


def read(name: str) -> str:
    return (HTML / name).read_text(encoding="utf-8")


def wrap_table(summary: str, rows: str) -> str:
    """The captured rows were cut out of their table; put them back into one."""
    return f'<table summary="{summary}"><tbody>{rows}</tbody></table>'
