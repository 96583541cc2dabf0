"""Fill tape benchmark: ``python tests/bench/tape.py [--seconds S]``.

Figures, one core, headless app via ``App.run_test`` at 160×50:

1. ``append_lines_per_s``: ``FillTape.append`` alone, bursts of 100 lines (the buffer cost).
2. ``feed_events_per_s``: ``TapeFeed.feed`` turning FillReceived/OrderUpdated pairs into lines
   (what the host pays per engine event).
3. ``render_lines_per_s`` / ``render_us_per_line``: ``render_line`` on lines never drawn
   before (strip cache misses), the cost of a frame that shows only new lines.
4. A paced stream at 5 000 lines/s for a few seconds, appended every 10 ms as the engine would
   (what is due by the clock, so the rate holds even when the loop wakes late):
   frames published, CPU ms per frame (process time over the run / frames), CPU share, and the
   event loop's worst lag (how late a 10 ms sleep woke up).
5. Saturation: 30 000 lines per frame tick for the same time; the same figures, showing that
   the tape keeps its frame rate when the feed is far above any real one.
6. The blotter: 2 000 rows loaded, a status filter rebuild, then 5 000 fills/s spread over 200
   rows: frames written, mean and worst flush time, cell writes, CPU share, loop lag.

The last line printed is one JSON object with every figure. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from textual.app import App, ComposeResult  # noqa: E402

from lucy_tui.clock import KST  # noqa: E402
from lucy_tui.domain.model import AccountRef, Fill, Order, OrderStatus, Side, Venue  # noqa: E402
from lucy_tui.engine.events import FillReceived, OrderUpdated  # noqa: E402
from lucy_tui.ui.tape_model import TapeEntry, TapeFeed  # noqa: E402
from lucy_tui.ui.widgets.blotter import Blotter  # noqa: E402
from lucy_tui.ui.widgets.tape import FillTape  # noqa: E402

SIZE = (160, 50)
T0 = datetime(2026, 12, 4, 9, 0, 0, tzinfo=KST)
ACCOUNT = AccountRef("kis", "50000001", "01", "fundA")
NAMES = {"005930": "삼성전자", "000660": "SK하이닉스"}


def entries(n: int, start: int = 0) -> list[TapeEntry]:
    return [TapeEntry(T0 + timedelta(microseconds=200 * i), "fill", "kis", "fundA",
                      Side.BUY if i & 1 else Side.SELL, "005930", "삼성전자", 1 + i % 50,
                      71_000 + (i % 9) * 100, i % 1000, 1000, None, "KRX", f"{i:010d}", f"L{i}")
            for i in range(start, start + n)]


class Host(App):
    def compose(self) -> ComposeResult:
        yield FillTape()


def bench_append(total: int = 1_000_000) -> float:
    tape = FillTape()
    batch = entries(100)
    started = time.perf_counter()
    for _ in range(total // 100):
        tape.append(batch)
    return total / (time.perf_counter() - started)


def bench_feed(orders: int = 2_000, fills_each: int = 10) -> float:
    feed = TapeFeed(NAMES)
    events = []
    for o in range(orders):
        order = Order(f"L{o}", ACCOUNT, "005930", Side.BUY, fills_each, 71_000,
                      status=OrderStatus.NEW, order_no=f"{o:010d}", created_at=T0, updated_at=T0)
        feed.entries(OrderUpdated(order))
        for f in range(fills_each):
            fill = Fill(f"{o}:{f}", order.order_no, ACCOUNT, "005930", Side.BUY, 1, 71_000,
                        T0, Venue.KRX, order.local_id)
            order = replace(order, filled_qty=f + 1, filled_amount=(f + 1) * 71_000)
            events += [FillReceived(fill, order), OrderUpdated(order)]
    started = time.perf_counter()
    lines = feed.feed(events)
    elapsed = time.perf_counter() - started
    assert len(lines) == orders * fills_each
    return len(events) / elapsed


async def bench_render() -> tuple[float, float]:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        tape = app.query_one(FillTape)
        tape.append(entries(50_000))
        await pilot.pause(0.2)
        height = tape.scrollable_content_region.height
        drawn, spent = 0, 0.0
        for screen in range(200):
            tape._strips.clear()                  # every frame shows lines never drawn before
            tape.scroll_to(y=screen * height, animate=False, immediate=True)
            started = time.perf_counter()
            for y in range(height):
                tape.render_line(y)
            spent += time.perf_counter() - started
            drawn += height
        return drawn / spent, spent / drawn * 1e6


async def bench_stream(lines_per_s: int, seconds: float, tick: float) -> dict:
    """Feed ``lines_per_s`` in bursts every ``tick`` seconds; measure frames, CPU, loop lag."""
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        tape = app.query_one(FillTape)
        await pilot.pause(0.2)
        chunk = max(1, round(lines_per_s * tick))
        pool = entries(chunk * 8)
        frames0, cpu0, wall0 = tape.frames, time.process_time(), time.perf_counter()
        worst_lag, sent, k = 0.0, 0, 0
        while (now := time.perf_counter()) - wall0 < seconds:
            # Append what is due by now, so a late wake-up sends a bigger burst, not fewer lines.
            due = round((now - wall0) * lines_per_s) - sent
            while due > 0:
                n = min(due, chunk)
                start = (k % 8) * chunk
                tape.append(pool[start:start + n])
                sent, due, k = sent + n, due - n, k + 1
            before = time.perf_counter()
            await asyncio.sleep(tick)
            worst_lag = max(worst_lag, time.perf_counter() - before - tick)
        wall = time.perf_counter() - wall0
        await pilot.pause(0.15)                   # the last frame publishes the last lines
        cpu = time.process_time() - cpu0
        frames = tape.frames - frames0
        assert tape.following and tape.scroll_y == tape.max_scroll_y
        return {
            "lines_per_s": round(sent / wall),
            "frames": frames,
            "frames_per_s": round(frames / wall, 1),
            "cpu_ms_per_frame": round(cpu / max(frames, 1) * 1000, 2),
            "cpu_share": round(cpu / wall, 3),
            "worst_loop_lag_ms": round(worst_lag * 1000, 1),
        }


class BlotterHost(App):
    def compose(self) -> ComposeResult:
        yield Blotter(NAMES)


async def bench_blotter(orders: int = 2_000, fills_per_s: int = 5_000,
                        seconds: float = 3.0) -> dict:
    """A day's blotter of ``orders`` rows taking fills on 200 of them at ``fills_per_s``."""
    flush_ms: list[float] = []
    original_flush = Blotter.flush

    def timed_flush(self, force: bool = False) -> bool:
        t = time.perf_counter()
        wrote = original_flush(self, force)
        if wrote:
            flush_ms.append((time.perf_counter() - t) * 1000)
        return wrote

    Blotter.flush = timed_flush                 # before mount: the frame timer binds it
    try:
        return await _bench_blotter(orders, fills_per_s, seconds, flush_ms)
    finally:
        Blotter.flush = original_flush


async def _bench_blotter(orders: int, fills_per_s: int, seconds: float,
                         flush_ms: list[float]) -> dict:
    app = BlotterHost()
    async with app.run_test(size=SIZE) as pilot:
        blotter = app.query_one(Blotter)
        book = [Order(f"L{o:05d}", ACCOUNT, "005930" if o & 1 else "000660",
                      Side.BUY if o & 1 else Side.SELL, 100_000, 71_000, status=OrderStatus.NEW,
                      order_no=f"{o:010d}", created_at=T0, updated_at=T0)
                for o in range(orders)]
        started = time.perf_counter()
        blotter.apply(OrderUpdated(o, created=True) for o in book)
        while blotter.loading_rows or blotter.row_count < orders:
            await pilot.pause(0.02)
        load_s = time.perf_counter() - started
        load_frames_max = max(flush_ms, default=0)
        flush_ms.clear()
        started = time.perf_counter()
        blotter.set_filter("working", Side.BUY)
        while blotter.loading_rows:
            await pilot.pause(0.02)
        rebuild_s = time.perf_counter() - started
        rebuild_frame_max = max(flush_ms, default=0)
        blotter.set_filter()
        while blotter.loading_rows:
            await pilot.pause(0.02)
        flush_ms.clear()
        writes0, cpu0, wall0 = blotter.writes, time.process_time(), time.perf_counter()
        sent, worst_lag = 0, 0.0
        while (now := time.perf_counter()) - wall0 < seconds:
            due = round((now - wall0) * fills_per_s) - sent
            events = []
            for i in range(sent, sent + due):
                o = i % 200
                order = book[o] = replace(book[o], filled_qty=book[o].filled_qty + 1,
                                          filled_amount=book[o].filled_amount + 71_000,
                                          status=OrderStatus.PARTIALLY_FILLED)
                events.append(OrderUpdated(order))
            blotter.apply(events)
            sent += due
            before = time.perf_counter()
            await asyncio.sleep(0.01)
            worst_lag = max(worst_lag, time.perf_counter() - before - 0.01)
        wall = time.perf_counter() - wall0
        await pilot.pause(0.15)
        cpu = time.process_time() - cpu0
        assert str(blotter.get_cell("L00000", "filled")) == f"{book[0].filled_qty:,}"
        return {
            "rows": orders,
            "load_s": round(load_s, 2),
            "load_worst_frame_ms": round(load_frames_max, 1),
            "filter_rebuild_s": round(rebuild_s, 2),
            "filter_rebuild_worst_frame_ms": round(rebuild_frame_max, 1),
            "fills_per_s": round(sent / wall),
            "frames": len(flush_ms),
            "flush_ms_mean": round(sum(flush_ms) / max(len(flush_ms), 1), 2),
            "flush_ms_max": round(max(flush_ms, default=0), 2),
            "cell_writes": blotter.writes - writes0,
            "cpu_share": round(cpu / wall, 3),
            "worst_loop_lag_ms": round(worst_lag * 1000, 1),
        }


async def main_async(seconds: float) -> dict:
    out: dict = {}
    out["append_lines_per_s"] = round(bench_append())
    print(f"append: {out['append_lines_per_s']:,} lines/s (buffer only)")
    out["feed_events_per_s"] = round(bench_feed())
    print(f"feed: {out['feed_events_per_s']:,} engine events/s → tape lines")
    per_s, us = await bench_render()
    out["render_lines_per_s"], out["render_us_per_line"] = round(per_s), round(us, 1)
    print(f"render_line (cache misses): {per_s:,.0f} lines/s, {us:.1f} µs a line")
    paced = await bench_stream(5_000, seconds, 0.01)
    out["paced_5000"] = paced
    print(f"5 000 lines/s paced: {paced}")
    flood = await bench_stream(30_000 * 15, seconds, 1 / 15)
    out["flood"] = flood
    print(f"flood (30 000 lines a frame tick): {flood}")
    blotter = await bench_blotter(seconds=seconds)
    out["blotter"] = blotter
    print(f"blotter, 2 000 rows, 5 000 fills/s on 200 of them: {blotter}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each stream run")
    args = parser.parse_args()
    result = asyncio.run(main_async(args.seconds))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
