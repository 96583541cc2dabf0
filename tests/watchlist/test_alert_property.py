"""The once-per-crossing rule against any price path (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lucy_tui.domain import krx
from lucy_tui.watchlist import AlertKind, AlertWatcher, Entry

LEVEL_BELOW, LEVEL_ABOVE = 60_000, 64_000          # tick 100 between 50,000 and 200,000
REARM = 2

prices = st.lists(st.integers(min_value=580, max_value=660).map(lambda n: n * 100),
                  min_size=1, max_size=200)


@settings(max_examples=200, deadline=None)
@given(prices)
def test_alerts_fire_exactly_on_crossings_after_clearing(path):
    watcher = AlertWatcher(rearm_ticks=REARM)
    watcher.watch([Entry("000001", buy_below=LEVEL_BELOW, sell_above=LEVEL_ABOVE)])
    clear_below = krx.tick_up(LEVEL_BELOW, n=REARM)
    clear_above = krx.tick_down(LEVEL_ABOVE, n=REARM)
    # The rule, stated plainly: armed once seen on the near side; fires on reaching the level
    # while armed; re-arms only past the clearing price.
    armed_b = path[0] > LEVEL_BELOW
    armed_a = path[0] < LEVEL_ABOVE
    expected = []
    for i, p in enumerate(path[1:], 1):
        if armed_b and p <= LEVEL_BELOW:
            expected.append((i, AlertKind.BUY_BELOW))
            armed_b = False
        elif not armed_b and p >= clear_below:
            armed_b = True
        if armed_a and p >= LEVEL_ABOVE:
            expected.append((i, AlertKind.SELL_ABOVE))
            armed_a = False
        elif not armed_a and p <= clear_above:
            armed_a = True
    got = [(i, a.kind) for i, p in enumerate(path) for a in watcher.on_price("000001", p)]
    assert got == expected
