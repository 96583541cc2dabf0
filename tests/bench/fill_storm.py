"""Fill storm: ``python tests/bench/fill_storm.py [RATE] [SECONDS]``.

The broker simulator runs in a child process (its own core, as a broker is elsewhere); the
console runs here headless at 160×45, logged in to the demo profile over real sockets. One
resting buy of 한화생명 takes 1-share sells from a counterparty that the child submits at RATE a
second (default 5 000) for SECONDS (default 10): every fill is an AES-encrypted KIS execution
notice on the websocket, decrypted by the KIS client, applied by the engine (journal on), and
drawn on the fill tape.

Measured:
- ``notices_per_s``: fills the client received per second over the storm;
- ``max_tape_lag_s``: the longest time from a fill's arrival at the client (its event reaching
  the session) to the tape frame that first shows it (fills matched in arrival order);
- ``keypress_p99_ms``: every 50 ms a key is posted to the command line; latency runs from the
  post to the first screen refresh after the line's value changed (seen by a watcher on it).
The last line is one JSON object with those keys and the counts behind them."""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

CODE, PRICE = "088350", 3120
COUNTERPARTY = "bench:counterparty"


# ---------------------------------------------------------------- the simulator child

async def sim_child() -> None:
    from lucy_tui.brokers.kis.codes import Domain
    from lucy_tui.domain.model import Side
    from lucy_tui.sim.kis.front import KisOptions
    from lucy_tui.sim.server import SimServer

    server = SimServer(seed=5, market=False, session="always",
                       kis_options=KisOptions(rate_limits={Domain.MOCK: 20, Domain.REAL: 20}))
    await server.start()
    print(json.dumps({"urls": server.urls, "credentials": server.credentials}), flush=True)
    loop = asyncio.get_running_loop()
    line = await loop.run_in_executor(None, sys.stdin.readline)      # "RATE SECONDS"
    rate, seconds = (float(x) for x in line.split())
    batch, step = max(1, int(rate / 100)), 0.01
    start = time.monotonic()
    sent = 0
    while (elapsed := time.monotonic() - start) < seconds:
        due = int(elapsed * rate) + batch
        while sent < due:
            server.exchange.submit(owner=COUNTERPARTY, code=CODE, side=Side.SELL, qty=1,
                                   price=PRICE)
            sent += 1
        await asyncio.sleep(step)
    print(json.dumps({"sent": sent}), flush=True)
    await loop.run_in_executor(None, sys.stdin.readline)             # until told to stop
    await server.stop()


class RemoteSim:
    """What the demo profile needs of a simulator, for one running in another process."""

    exchange = None

    def __init__(self, described: dict):
        self.urls, self.credentials = described["urls"], described["credentials"]

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass


# ---------------------------------------------------------------- the console

async def storm(rate: float, seconds: float) -> dict:
    from textual import events

    from lucy_tui.brokers.base import FillEvent
    from lucy_tui.config import Config
    from lucy_tui.domain.model import OrderStatus
    from lucy_tui.ui.app import LucyApp
    from lucy_tui.ui.widgets.command_line import CommandLine
    from lucy_tui.ui.widgets.tape import FillTape

    child = subprocess.Popen([sys.executable, __file__, "--sim"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True, cwd=ROOT)
    described = json.loads(await asyncio.to_thread(child.stdout.readline))
    tape_flush = FillTape.flush
    arrivals: list[float] = []
    shown: list[float] = []
    keys: list[float] = []
    published = [0]

    def flush(self) -> bool:
        """The tape's frame: the fills it publishes are on screen from now."""
        done = tape_flush(self)
        if done:
            now = time.monotonic()
            upto = self._published_first + self._published_count
            new = upto - published[0]
            if new:
                for entry in list(self.entries)[-new:]:
                    if entry.kind == "fill":
                        shown.append(now)
            published[0] = upto
        return done

    FillTape.flush = flush
    try:
        app = LucyApp(Config(), sim_factory=lambda: RemoteSim(described))
        async with app.run_test(size=(160, 45)) as pilot:
            while type(app.screen).__name__ != "TradeScreen" or not app.screen.query(FillTape):
                await pilot.pause(0.05)
            await pilot.pause(0.3)
            session = app.session
            inner = session._sink

            def timed(event) -> None:
                if type(event) is FillEvent:
                    arrivals.append(time.monotonic())
                inner(event)

            for broker in session.engine.brokers.values():
                broker.set_sink(timed)
            qty = int(rate * seconds) + 100
            app.screen.entry.submit(f"b {CODE} {qty} @{PRICE}")
            engine = session.engine
            while not (engine.orders and engine.orders[0].status is OrderStatus.NEW):
                await pilot.pause(0.05)
            line = app.screen.query_one(CommandLine)
            line.focus()
            child.stdin.write(f"{rate} {seconds}\n")
            child.stdin.flush()
            start = time.monotonic()
            loop = asyncio.get_running_loop()
            waiting: list[asyncio.Future] = []

            def on_value(_old=None, _new=None) -> None:
                # The line changed (its watcher runs inside the key's handling): the key is on
                # screen with the first refresh after this. Watching, not polling the value,
                # keeps the measuring out of the loop it measures.
                if waiting:
                    done = waiting.pop()
                    app.call_after_refresh(
                        lambda: done.done() or done.set_result(time.monotonic()))

            app.watch(line, "value", on_value, init=False)
            while time.monotonic() - start < seconds + 1.0:
                t0 = time.monotonic()
                done = loop.create_future()
                waiting.append(done)
                char = "x" if len(line.value) < 30 else "backspace"
                # Through the app, as the terminal driver delivers keys: bindings (backspace)
                # are looked up on the way to the focused command line.
                app.post_message(events.Key(char, "x" if char == "x" else None))
                keys.append(await done - t0)
                await asyncio.sleep(0.05)
            expected = json.loads(await asyncio.to_thread(child.stdout.readline))["sent"]
            deadline = time.monotonic() + 10
            while len(shown) < len(arrivals) and time.monotonic() < deadline:
                await pilot.pause(0.1)
            order = engine.orders[0]
    finally:
        FillTape.flush = tape_flush
        child.stdin.write("stop\n")
        child.stdin.flush()
        child.wait(timeout=10)
    span = (arrivals[-1] - arrivals[0]) if len(arrivals) > 1 else 0.0
    # A fill that never reached the tape before the deadline has no lag to report: the figure
    # is then None, and fills_on_tape < fills_received says so.
    lags = [s - a for a, s in zip(arrivals, shown)] if len(shown) >= len(arrivals) else []
    keys_ms = sorted(k * 1000 for k in keys)
    return {
        "notices_per_s": round(len(arrivals) / span, 1) if span else 0.0,
        "max_tape_lag_s": round(max(lags), 3) if lags else None,
        "keypress_p99_ms": round(keys_ms[int(0.99 * (len(keys_ms) - 1))], 1) if keys_ms else None,
        "keypress_median_ms": round(statistics.median(keys_ms), 1) if keys_ms else None,
        "fills_received": len(arrivals), "fills_on_tape": len(shown),
        "order_filled_qty": order.filled_qty, "keypresses": len(keys),
        "rate_asked": rate, "seconds": seconds, "expected": expected,
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["--sim"]:
        asyncio.run(sim_child())
        sys.exit(0)
    rate = float(sys.argv[1]) if len(sys.argv) > 1 else 5000
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 10
    with tempfile.TemporaryDirectory() as tmp:
        import os

        for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
            os.environ[var] = tmp
        result = asyncio.run(storm(rate, seconds))
    print(f"{result['fills_received']} notices at {result['notices_per_s']}/s, "
          f"{result['fills_on_tape']} on the tape, longest tape lag {result['max_tape_lag_s']} s, "
          f"keypress p99 {result['keypress_p99_ms']} ms (median {result['keypress_median_ms']})")
    print(json.dumps(result))
