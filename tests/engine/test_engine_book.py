"""The book's hot path against the domain model."""

from __future__ import annotations


def test_the_book_rebuilds_fills_and_positions_from_every_field_of_the_model():
    from dataclasses import fields

    from lucy_tui.domain.model import Fill, Position
    from lucy_tui.engine.book import FILL_FIELDS, POSITION_FIELDS

    assert tuple(f.name for f in fields(Fill)) == FILL_FIELDS
    assert tuple(f.name for f in fields(Position)) == POSITION_FIELDS
