"""Engine throughput: ``python tests/bench/engine_throughput.py [FILLS]``.

Fills per second through the broker sink (``Engine.on_broker_event``: matching by order number,
the state machine, fill de-dup, positions and cash, one listener, journal records queued) with
the journal on, counting until every record is durable on disk (fsync) — so the figure is what
the engine sustains end to end, not just the loop side. The last line is one JSON object."""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from lucy_tui.clock import KST  # noqa: E402
from lucy_tui.domain.model import AccountRef, Order, Side  # noqa: E402
from lucy_tui.domain.states import on_accepted  # noqa: E402
from lucy_tui.engine import Engine  # noqa: E402

from journal import make_fills  # noqa: E402  (tests/bench/journal.py)


async def run(directory: Path, n_orders: int, per_order: int) -> dict:
    engine = Engine(journal_dir=directory, journal_fsync=True)
    engine.journal.start()
    seen = [0]
    engine.subscribe(lambda e: seen.__setitem__(0, seen[0] + 1))
    account = AccountRef("kis", "50000001", "01")
    now = datetime.now(KST)
    for i in range(n_orders):
        order = Order(f"x-{i:05d}", account, "005930", Side.BUY, per_order, 70_000, created_at=now)
        engine._emit(engine.book.add(on_accepted(order, f"{i + 1:010d}", now)))
    await engine.journal.durable()
    events = make_fills(account, n_orders, per_order)
    sink = engine.on_broker_event
    start = time.perf_counter()
    for s in range(0, len(events), 500):
        for event in events[s:s + 500]:
            sink(event)
        await asyncio.sleep(0)
    fed = time.perf_counter()
    await engine.journal.durable()
    done = time.perf_counter()
    await engine.journal.close()
    return {"fills": len(events), "fed_s": fed - start, "durable_s": done - start,
            "events": seen[0]}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    per_order = 100
    with tempfile.TemporaryDirectory() as tmp:
        r = asyncio.run(run(Path(tmp) / "journal", max(n // per_order, 1), per_order))
    print(f"{r['fills']} fills: sink {r['fills'] / r['fed_s']:.0f}/s, durable "
          f"{r['fills'] / r['durable_s']:.0f}/s, {r['events']} engine events")
    print(json.dumps({"fills": r["fills"],
                      "fills_per_s": round(r["fills"] / r["durable_s"]),
                      "sink_fills_per_s": round(r["fills"] / r["fed_s"])}))


if __name__ == "__main__":
    main()
