"""Journal benchmark: ``python tests/bench/journal.py [FILLS]``.

100 000 fills (1 000 orders × 100 fills) go through ``Engine.on_broker_event`` — the broker sink —
with the journal on (fsync per batch), in slices of 100 fills per loop turn, as a websocket
reader would deliver them. A monitor task measures how late the loop wakes it (``max_stall_ms``).
``per_fill_ms`` is the loop-side cost per fill; ``drain_ms`` is how long the writer thread took
after the last fill to make everything durable. Side by side, in the same run: plain TinyDB
``insert`` per document into a fresh file (the approach DESIGN.md rules out), measured over the
first 2 000 documents only (its cost grows with the table; 100 000 would take hours).

``floor_max_stall_ms`` is the same feed with no journal at all: the loop's worst stall from the
slices themselves and from the machine (2 shared cores; other processes' load shows here, and
``load_avg`` is the 1-minute load when the run started). The journal's own share of a stall is
the difference: read the two figures together.

The last line printed is one JSON object. Not collected by pytest.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from lucy_tui.brokers.base import FillEvent  # noqa: E402
from lucy_tui.clock import KST  # noqa: E402
from lucy_tui.domain.model import AccountRef, Fill, Order, Side  # noqa: E402
from lucy_tui.domain.states import on_accepted  # noqa: E402
from lucy_tui.engine import Engine  # noqa: E402

ORDERS, PER_ORDER, SLICE = 1000, 100, 100


def make_fills(account: AccountRef, n_orders: int, per_order: int) -> list[FillEvent]:
    now = datetime.now(KST)
    events = []
    for k in range(per_order):
        for i in range(n_orders):
            no = f"{i + 1:010d}"
            events.append(FillEvent(Fill(f"{no}:{k + 1}", no, account, "005930", Side.BUY, 1,
                                         70_000 + (k % 5) * 100, now), cum_qty=k + 1))
    return events


async def run_engine(directory: Path | None, n_orders: int, per_order: int,
                     fsync: bool = True) -> dict:
    engine = Engine(journal_dir=directory, journal_fsync=fsync)
    journal = engine.journal
    if journal is not None:
        journal.start()
    account = AccountRef("kis", "50000001", "01")
    now = datetime.now(KST)
    for i in range(n_orders):
        order = Order(f"x-{i:05d}", account, "005930", Side.BUY, per_order, 70_000,
                      created_at=now)
        engine._emit(engine.book.add(on_accepted(order, f"{i + 1:010d}", now)))
    if journal is not None:
        await journal.durable()
    events = make_fills(account, n_orders, per_order)

    stalls: list[float] = []
    running = True

    async def monitor():
        loop = asyncio.get_running_loop()
        while running:
            t = loop.time()
            await asyncio.sleep(0.001)
            stalls.append(loop.time() - t - 0.001)

    mon = asyncio.ensure_future(monitor())
    await asyncio.sleep(0.01)
    sink = engine.on_broker_event
    busy = 0.0
    start = time.perf_counter()
    for s in range(0, len(events), SLICE):
        t0 = time.perf_counter()
        for event in events[s:s + SLICE]:
            sink(event)
        busy += time.perf_counter() - t0
        await asyncio.sleep(0)
    fed = time.perf_counter()
    if journal is not None:
        await journal.durable()
    done = time.perf_counter()
    running = False
    await mon
    filled = sum(o.filled_qty for o in engine.book.orders.values())
    assert filled == len(events), (filled, len(events))
    if journal is None:
        return {"max_stall_ms": max(stalls) * 1000}
    await journal.close()
    rec = journal.recover()
    assert len(rec.fills) == len(events)
    assert sum(o.filled_qty for o in rec.orders.values()) == len(events)
    return {"fills": len(events), "busy_s": busy, "feed_s": fed - start, "total_s": done - start,
            "drain_ms": (done - fed) * 1000, "max_stall_ms": max(stalls) * 1000,
            "segments": len(list(directory.glob("*.json")))}


def tinydb_inserts(path: Path, n: int = 2000) -> dict:
    from tinydb import TinyDB

    db = TinyDB(path)
    doc = {"t": "fill", "fid": "0000000001:1", "no": "0000000001", "qty": 1, "price": 70_000}
    start = time.perf_counter()
    last = start
    for i in range(n):
        db.insert(dict(doc, seq=i))
        if i == n - 101:
            last = time.perf_counter()
    end = time.perf_counter()
    db.close()
    return {"per_insert_ms": (end - start) / n * 1000, "last100_ms": (end - last) / 100 * 1000,
            "n": n}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else ORDERS * PER_ORDER
    per_order = PER_ORDER
    n_orders = max(n // per_order, 1)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        floor = asyncio.run(run_engine(None, n_orders, per_order))
        result = asyncio.run(run_engine(Path(tmp) / "journal", n_orders, per_order))
        plain = tinydb_inserts(Path(tmp) / "plain.json")
    per_fill = result["busy_s"] / result["fills"] * 1000
    print(f"engine+journal: {result['fills']} fills, loop-side {per_fill:.4f} ms/fill, "
          f"feed {result['feed_s']:.2f} s, drain {result['drain_ms']:.0f} ms, "
          f"max stall {result['max_stall_ms']:.2f} ms (same feed without a journal: "
          f"{floor['max_stall_ms']:.2f} ms; load {load:.2f}), {result['segments']} TinyDB segments")
    print(f"plain TinyDB insert: {plain['per_insert_ms']:.3f} ms mean over {plain['n']} docs, "
          f"{plain['last100_ms']:.3f} ms each for the last 100")
    print(json.dumps({
        "fills": result["fills"],
        "per_fill_ms": round(per_fill, 4),
        "per_fill_wall_ms": round(result["total_s"] / result["fills"] * 1000, 4),
        "max_stall_ms": round(result["max_stall_ms"], 2),
        "floor_max_stall_ms": round(floor["max_stall_ms"], 2),
        "load_avg": round(load, 2),
        "drain_ms": round(result["drain_ms"], 1),
        "tinydb_per_insert_ms": round(plain["per_insert_ms"], 3),
        "tinydb_last100_per_insert_ms": round(plain["last100_ms"], 3),
        "tinydb_docs": plain["n"],
    }))


if __name__ == "__main__":
    main()
