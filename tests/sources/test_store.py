from datetime import date, datetime
from decimal import Decimal

from lucy_tui.clock import KST
from lucy_tui.sources.models import IpoRecord, Theme, ThemeSnapshot, ThemeStock
from lucy_tui.sources.store import IpoData, IpoStore, ThemeStore, diff


def snap(day, themes):
    return ThemeSnapshot(day=day, themes=tuple(Theme(i, n, change_pct=Decimal("1.5")) for i, n, _ in themes),
                         stocks={i: tuple(ThemeStock(c, c + "name") for c in codes)
                                 for i, _, codes in themes})


def test_theme_store_one_file_per_day_round_trip_and_retention(tmp_path):
    store = ThemeStore(tmp_path, keep_days=2)
    days = [date(2026, 12, d) for d in (1, 2, 3)]
    for d in days:
        store.save(snap(d, [(1, "제약", ["000100"])]))
    assert store.days() == days[1:]                       # the oldest went
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-12-02.json", "2026-12-03.json"]
    loaded = store.load(days[2])
    assert loaded == snap(days[2], [(1, "제약", ["000100"])])
    assert store.latest().day == days[2]
    assert store.load(date(2020, 1, 1)) is None


def test_damaged_snapshot_is_skipped(tmp_path):
    store = ThemeStore(tmp_path)
    store.save(snap(date(2026, 12, 1), [(1, "a", ["000001"])]))
    (tmp_path / "2026-12-02.json").write_text("{broken")
    assert store.latest().day == date(2026, 12, 1)


def test_diff_themes_added_removed_and_stocks_moved():
    old = snap(date(2026, 12, 1), [(1, "제약", ["A", "B"]), (2, "여행", ["C"])])
    new = snap(date(2026, 12, 2), [(1, "제약", ["A"]), (3, "바이오", ["B"])])
    d = diff(old, new)
    assert [t.name for t in d.added] == ["바이오"] and [t.name for t in d.removed] == ["여행"]
    moves = {m.code: (m.joined, m.left) for m in d.moves}
    assert moves == {"B": (("바이오",), ("제약",)), "C": ((), ("여행",))}
    assert diff(new, new).empty


def test_ipo_store_round_trip(tmp_path):
    store = IpoStore(tmp_path / "ipo.json")
    rec = IpoRecord(name="더본코리아", no=2103, subscription_start=date(2024, 10, 28),
                    lockup_ratio=Decimal("4.51"), underwriters=("한국투자증권",), sources=("38",))
    store.save(IpoData(records=[rec], updated=datetime(2026, 12, 1, 7, 30, tzinfo=KST)))
    again = IpoStore(tmp_path / "ipo.json").load()
    assert again.records == [rec] and again.updated == datetime(2026, 12, 1, 7, 30, tzinfo=KST)


def test_ipo_store_missing_or_damaged_file_gives_empty_data(tmp_path):
    assert IpoStore(tmp_path / "none.json").load().records == []
    (tmp_path / "bad.json").write_text("[")
    assert IpoStore(tmp_path / "bad.json").load().records == []
