"""Command history: navigation with the draft kept, de-duplication, persistence."""

import json

import pytest

from lucy_tui.orderentry import History


def test_up_down_keeps_the_draft():
    h = History(None)
    for line in ("b 005930 1 @71000", "s 005930 1 mkt", "q 카카오"):
        h.add(line)
    assert h.up("b 삼") == "q 카카오"
    assert h.up() == "s 005930 1 mkt"
    assert h.up() == "b 005930 1 @71000"
    assert h.up() == "b 005930 1 @71000"          # stays at the oldest
    assert h.down() == "s 005930 1 mkt"
    assert h.down() == "q 카카오"
    assert h.down() == "b 삼"                      # back to what was being typed
    assert not h.navigating
    assert h.down() == "b 삼"


def test_empty_history_gives_the_line_back():
    h = History(None)
    assert h.up("draft") == "draft" and h.down() == ""


def test_consecutive_duplicates_and_blanks_are_dropped():
    h = History(None)
    assert h.add("c all") and not h.add("c all") and not h.add("  ") and h.add("q 005930")
    assert h.add("c all")
    assert h.entries == ("c all", "q 005930", "c all")


def test_add_resets_navigation_and_size_is_kept():
    h = History(None, size=3)
    for i in range(5):
        h.add(f"q {i}")
    assert h.entries == ("q 2", "q 3", "q 4")
    h.up("x")
    h.add("q 5")
    assert not h.navigating and h.up() == "q 5"


def test_persisted_and_reloaded(tmp_path):
    path = tmp_path / "sub" / "history.jsonl"
    h = History(path)
    h.add("b 삼성전자 100 @71,000")
    h.add('q "quoted" \\ ₩')
    again = History(path)
    assert again.entries == ("b 삼성전자 100 @71,000", 'q "quoted" \\ ₩')
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(x) for x in lines] == list(again.entries)


def test_file_is_trimmed_at_load(tmp_path):
    path = tmp_path / "h.jsonl"
    h = History(path, size=5)
    for i in range(20):
        h.add(f"q {i}")
    assert len(path.read_text().splitlines()) == 20     # appends only while running
    again = History(path, size=5)
    assert again.entries == tuple(f"q {i}" for i in range(15, 20))
    assert len(path.read_text().splitlines()) == 5


def test_corrupt_lines_are_skipped(tmp_path):
    path = tmp_path / "h.jsonl"
    path.write_text('"q 1"\nnot json\n{"a": 1}\n"q 1"\n""\n"q 2"\n', encoding="utf-8")
    h = History(path)
    assert h.entries == ("q 1", "q 2")


def test_unwritable_path_does_not_raise(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    h = History(blocker / "history.jsonl")       # a file where a directory should be
    assert h.add("q 1") and h.entries == ("q 1",)
    assert "history not saved" in h.last_error


def test_size_must_be_positive():
    with pytest.raises(ValueError):
        History(None, size=0)
