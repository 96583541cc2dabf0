"""The watchlist store (TinyDB per profile) and the alert watcher's once-per-crossing rule."""

from __future__ import annotations

import json

import pytest

from lucy_tui.watchlist import AlertKind, AlertWatcher, Entry, WatchlistError, WatchlistStore
from lucy_tui.watchlist.store import default_path


def test_default_lists_and_a_profile_file_under_the_data_dir(tmp_path):
    path = default_path("fund A/1")
    assert path.name == "watchlists.json" and "fund_A_1" in str(path)
    store = WatchlistStore(tmp_path / "w.json")
    assert store.names == ["보유", "관심"]


def test_add_remove_levels_tags_survive_a_reopen(tmp_path):
    path = tmp_path / "w.json"
    store = WatchlistStore(path)
    store.add("관심", "005930")
    store.add("관심", "000660", tags=("반도체",))
    store.set_levels("관심", "005930", buy_below=250_000, sell_above=300_000)
    store.set_tags("관심", "005930", ("대형주", " ", "대형주", "반도체"))
    store.create("테마")
    store.add("테마", "035420")
    store.remove("관심", "000660")
    store.move("관심", "005930", -1)
    store.close()

    again = WatchlistStore(path)
    assert again.names == ["보유", "관심", "테마"]
    entry = again.get("관심").entry("005930")
    assert entry == Entry("005930", ("대형주", "반도체"), 250_000, 300_000)
    assert again.get("관심").codes == ["005930"]
    assert again.lists_with("035420") == ["테마"]
    # The file is TinyDB's JSON with one document per list.
    docs = json.loads(path.read_text(encoding="utf-8"))["watchlists"]
    assert {d["name"] for d in docs.values()} == {"보유", "관심", "테마"}


def test_refusals_are_worded_for_the_user(tmp_path):
    store = WatchlistStore(tmp_path / "w.json")
    store.add("관심", "005930")
    with pytest.raises(WatchlistError, match="already in"):
        store.add("관심", "005930")
    with pytest.raises(WatchlistError, match="6-character"):
        store.add("관심", "5930")
    with pytest.raises(WatchlistError, match="must be under"):
        store.set_levels("관심", "005930", buy_below=300_000, sell_above=250_000)
    with pytest.raises(WatchlistError, match="positive"):
        store.set_levels("관심", "005930", buy_below=-5, sell_above=None)
    with pytest.raises(WatchlistError, match="standard list"):
        store.delete("관심")
    with pytest.raises(WatchlistError, match="no watchlist"):
        store.add("없는목록", "005930")
    with pytest.raises(WatchlistError, match="already exists"):
        store.create("보유")


def test_a_crossing_alerts_once_until_the_price_clears_the_level():
    watcher = AlertWatcher(rearm_ticks=2)
    watcher.watch([Entry("005930", buy_below=260_000, sell_above=280_000)])
    assert watcher.on_price("005930", 265_000) == []          # first sight: arms both
    alerts = watcher.on_price("005930", 260_000)
    assert [(a.kind, a.level, a.price) for a in alerts] == [(AlertKind.BUY_BELOW, 260_000, 260_000)]
    # Wobbling around the level does not repeat it (tick 500: re-arm at 261,000).
    for price in (259_500, 260_500, 259_000, 260_500, 260_000):
        assert watcher.on_price("005930", price) == []
    assert watcher.on_price("005930", 261_000) == []          # cleared: armed again
    assert len(watcher.on_price("005930", 259_500)) == 1      # the next crossing alerts
    sell = watcher.on_price("005930", 281_000)
    assert [a.kind for a in sell] == [AlertKind.SELL_ABOVE]
    assert "매도 기준가 도달" in sell[0].describe("삼성전자")


def test_a_level_already_crossed_when_set_does_not_fire():
    watcher = AlertWatcher()
    watcher.watch([Entry("000660", buy_below=600_000)])
    assert watcher.on_price("000660", 590_000) == []
    assert watcher.on_price("000660", 589_000) == []
    assert watcher.on_price("000660", 602_000) == []          # two ticks (1,000) above: armed
    assert len(watcher.on_price("000660", 600_000)) == 1
    # Changing the level starts over; removing it stops alerts.
    watcher.watch([Entry("000660", buy_below=610_000)])
    assert watcher.on_price("000660", 605_000) == []
    watcher.watch([])
    assert watcher.on_price("000660", 1) == []
