"""The day's journal: an append-only JSON-lines log, folded into TinyDB segments off the loop.

TinyDB rewrites its whole file on every write (DESIGN.md, Storage), so nothing here calls it per
event or on the event loop. ``append`` encodes the record into one JSON line (a few microseconds,
no I/O) and queues it; a writer thread appends the lines to ``<day>.log``, fsyncs, and every
``fold_every`` records writes them as a fresh TinyDB segment (``<day>-NNNN.json``, in TinyDB's
file format, from the lines the log already holds) and starts a new log, so the cost of any
write is bounded by the segment size, never by the day's history.

Why the loop encodes and the thread only writes: a thread that runs Python code competes with
the loop for the GIL, and each time it holds the GIL the loop waits up to the switch interval
(5 ms) for it back. With the writer encoding 200 000 records of a 100 000-fill burst, that
contention added 5-20 ms to the loop's worst stall (tests/bench/journal.py); encoding on the
loop costs it about 2.5 µs per fill, and the writer's remaining work (joining lines, the
syscalls, which release the GIL) leaves the loop alone.
Recovery reads the segments, then the log (records are keyed by ``seq``; a torn last line from a
kill -9 is skipped).

Records: ``order`` (a full snapshot of the order, fill ids left out — they come from the fills),
``fill``, ``parent``. The last order snapshot of a local id wins, and the fills journaled after
it are applied to it through the state machine: the engine does not journal the snapshot a fill
causes (the fill record says all of it), which halves the records of a burst of fills."""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from collections import deque
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

from ..domain import states
from ..domain.model import (
    AccountRef, Fill, FillIds, Order, OrderStatus, OrderType, Side, TimeInForce, Venue,
)
from .book import LegSlot, Parent

# ------------------------------------------------------------------ encoding


def _acct(a: AccountRef) -> list:
    return [a.broker, a.number, a.product, a.label]


def _dt(v: datetime | None) -> str | None:
    return v.isoformat() if v is not None else None


_SAFE_CACHE: dict[AccountRef, str] = {}


def _str(v: str) -> str:
    """A JSON string; the common case (codes, numbers, ids) without json.dumps."""
    if v.isascii() and v.isprintable() and '"' not in v and "\\" not in v:
        return '"' + v + '"'
    return json.dumps(v, ensure_ascii=False)


def _acct_json(a: AccountRef) -> str:
    text = _SAFE_CACHE.get(a)
    if text is None:
        text = _SAFE_CACHE[a] = _dumps(_acct(a))
    return text


def fill_line(f: Fill, seq: int) -> str:
    """The fill record as one JSON line: the same document as ``encode("fill", f)`` plus
    ``seq``, written by hand because fills are the one record a burst brings by the thousand."""
    time = f'"{f.time.isoformat()}"' if f.time is not None else "null"
    return (f'{{"t":"fill","fid":{_str(f.fill_id)},"no":{_str(f.order_no)},'
            f'"acct":{_acct_json(f.account)},"code":{_str(f.code)},"side":"{f.side.value}",'
            f'"qty":{int(f.qty)},"price":{int(f.price)},"time":{time},'
            f'"venue":"{f.venue.value}","id":{_str(f.local_id)},"seq":{seq}}}')


def line(kind: str, obj: Any, seq: int) -> str:
    if kind == "fill":
        return fill_line(obj, seq)
    record = encode(kind, obj)
    record["seq"] = seq
    return _dumps(record)


def encode(kind: str, obj: Any) -> dict:
    if kind == "order":
        o: Order = obj
        return {"t": "order", "id": o.local_id, "acct": _acct(o.account), "code": o.code,
                "side": o.side.value, "qty": o.qty, "price": o.price, "type": o.type.value,
                "tif": o.tif.value, "venue": o.venue.value, "stop": o.stop_price,
                "status": o.status.value, "fq": o.filled_qty, "fa": o.filled_amount,
                "cq": o.cancelled_qty, "no": o.order_no, "orig": o.orig_order_no,
                "parent": o.parent_id, "ext": o.external, "why": o.reject_reason,
                "at": _dt(o.created_at), "upd": _dt(o.updated_at)}
    if kind == "fill":
        f: Fill = obj
        return {"t": "fill", "fid": f.fill_id, "no": f.order_no, "acct": _acct(f.account),
                "code": f.code, "side": f.side.value, "qty": f.qty, "price": f.price,
                "time": _dt(f.time), "venue": f.venue.value, "id": f.local_id}
    if kind == "parent":
        p: Parent = obj
        return {"t": "parent", "id": p.parent_id, "plan": p.plan, "code": p.code,
                "side": p.side.value, "qty": p.qty, "price": p.price, "at": _dt(p.created_at),
                "legs": [[_acct(leg.account), leg.qty, leg.child_id, leg.reason] for leg in p.legs]}
    raise ValueError(kind)


def _account(v: list) -> AccountRef:
    return AccountRef(*v)


def _time(v: str | None) -> datetime | None:
    return datetime.fromisoformat(v) if v else None


def decode_order(r: dict, fill_ids: frozenset[str]) -> Order:
    return Order(local_id=r["id"], account=_account(r["acct"]), code=r["code"], side=Side(r["side"]),
                 qty=r["qty"], price=r["price"], type=OrderType(r["type"]), tif=TimeInForce(r["tif"]),
                 venue=Venue(r["venue"]), stop_price=r["stop"], status=OrderStatus(r["status"]),
                 filled_qty=r["fq"], filled_amount=r["fa"], cancelled_qty=r["cq"],
                 order_no=r["no"], orig_order_no=r["orig"], parent_id=r["parent"],
                 external=r["ext"], reject_reason=r["why"], created_at=_time(r["at"]),
                 updated_at=_time(r["upd"]), fill_ids=FillIds(fill_ids))


def decode_fill(r: dict) -> Fill:
    return Fill(fill_id=r["fid"], order_no=r["no"], account=_account(r["acct"]), code=r["code"],
                side=Side(r["side"]), qty=r["qty"], price=r["price"], time=_time(r["time"]),
                venue=Venue(r["venue"]), local_id=r["id"])


def decode_parent(r: dict) -> Parent:
    return Parent(r["id"], r["plan"], r["code"], Side(r["side"]), r["qty"], r["price"],
                  [LegSlot(_account(a), q, c, why) for a, q, c, why in r["legs"]],
                  _time(r["at"]))


@dataclass
class Recovered:
    orders: dict[str, Order] = field(default_factory=dict)
    parents: dict[str, Parent] = field(default_factory=dict)
    fills: list[Fill] = field(default_factory=list)
    last_seq: int = 0


# ------------------------------------------------------------------ the writer

#: Records the writer takes off the queue at a time (see ``_run``).
CHUNK = 500
#: Seconds the writer lets records gather before writing them, unless someone waits for them
#: to be durable (an order about to be sent): see ``_run``.
GATHER = 0.01
#: Seconds between two reports of the same write failure.
REPORT_EVERY = 5.0


class JournalError(Exception):
    """Records could not be written: what waited for them to be durable is told so."""


class Journal:
    """``on_error(message)`` is called on the loop that started the journal whenever a write
    fails (the engine publishes it as an :class:`EngineError`)."""

    def __init__(self, directory: Path, day: date, *, fold_every: int = 500,
                 fsync: bool = True, on_error: Callable[[str], None] | None = None):
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.day = day.strftime("%Y%m%d")
        self.fold_every = fold_every
        self.fsync = fsync
        self.seq = 0
        self._queue: deque[tuple[int, str]] = deque()     # (seq, encoded line)
        self._wake = threading.Event()
        self._urgent = threading.Event()
        self._stop = False
        self._written = 0                  # highest seq durable in the log
        self._handled = 0                  # highest seq written or failed
        self._waiters: list[tuple[int, asyncio.Future]] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._segment = 0
        self._unfolded: list[str] = []
        self.errors: list[str] = []
        self._reported, self._reported_message = 0.0, ""
        self.on_error = on_error
        self._loop: asyncio.AbstractEventLoop | None = None

    # -------------------------------------------------- paths

    @property
    def log_path(self) -> Path:
        return self.dir / f"{self.day}.log"

    def _segments(self) -> list[Path]:
        return sorted(self.dir.glob(f"{self.day}-*.json"))

    # -------------------------------------------------- loop side

    def start(self, after_seq: int = 0) -> None:
        self.seq = max(self.seq, after_seq)
        self._written = self._handled = self.seq
        self._segment = len(self._segments())
        try:
            self._loop = asyncio.get_running_loop()
        except RuntimeError:             # started outside a loop: errors stay in ``errors``
            self._loop = None
        if self.log_path.exists():       # records of a previous run not folded yet stay there
            self._unfolded = [_dumps(r) for r in _read_log(self.log_path)]
        self._thread = threading.Thread(target=self._run, name="lucy-journal", daemon=True)
        self._thread.start()

    def append(self, kind: str, obj: Any) -> int:
        """Encode a record and queue it for the writer: no I/O on the caller's thread."""
        self.seq += 1
        self._queue.append((self.seq, line(kind, obj, self.seq)))
        if not self._wake.is_set():
            self._wake.set()
        return self.seq

    async def durable(self, seq: int | None = None) -> None:
        """Wait until record ``seq`` (default: everything appended so far) is on disk; raises
        :class:`JournalError` if the write that held it failed."""
        seq = self.seq if seq is None else seq
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._written >= seq:
                return
            if self._handled >= seq:          # its write failed, and nothing later succeeded
                raise JournalError(self.errors[-1] if self.errors else "journal write failed")
            fut = loop.create_future()
            self._waiters.append((seq, fut))
        self._urgent.set()
        self._wake.set()
        await fut

    async def close(self) -> None:
        if self._thread is None:
            return
        try:
            await self.durable()
        except JournalError:             # already reported through on_error
            pass
        self._stop = True
        self._urgent.set()
        self._wake.set()
        await asyncio.to_thread(self._thread.join)
        self._thread = None

    # -------------------------------------------------- writer thread

    def _run(self) -> None:
        with open(self.log_path, "a", encoding="utf-8") as log:
            while True:
                self._wake.wait(0.05)
                self._wake.clear()
                if not self._queue:
                    if self._stop:
                        return
                    continue
                # Every time this thread takes the GIL back (after a wait, a write, an fsync)
                # the loop may lose it for a moment — on a busy machine, for as long as the OS
                # takes to give the loop's thread a core again. Records that only need to be
                # kept (fills, acks: the broker has them too) gather for GATHER seconds into
                # one write; a durable() waiter (an order about to be sent) cuts that short.
                if not self._urgent.is_set() and len(self._queue) < CHUNK:
                    self._urgent.wait(GATHER)
                self._urgent.clear()
                # In chunks, never the whole backlog at once, so that what this thread holds
                # the GIL for (popping, joining, and freeing what it dropped — a C-level
                # cascade without a thread switch) stays small: freeing a backlog of 50 000
                # queued records in one go once stalled the loop by 70-90 ms.
                while self._queue:
                    pop = self._queue.popleft
                    chunk = [pop() for _ in range(min(CHUNK, len(self._queue)))]
                    try:
                        log = self._write(log, chunk)
                    except Exception as exc:     # disk full, permissions: say so, keep going
                        self._failed(f"journal write failed: {exc}", chunk[-1][0])
                        log = self._reopened(log)
                    del chunk

    def _write(self, log, chunk: list[tuple[int, str]]):
        # In slices that end where a segment ends, so no segment holds more than fold_every
        # records.
        i = 0
        while i < len(chunk):
            room = self.fold_every - len(self._unfolded)
            lines = [text for _, text in chunk[i:i + room]]
            i += len(lines)
            log.write("\n".join(lines) + "\n")
            self._unfolded.extend(lines)
            if len(self._unfolded) >= self.fold_every:
                self._sync(log)
                log = self._fold(log)
        self._sync(log)
        self._release(chunk[-1][0])
        return log

    def _sync(self, log) -> None:
        log.flush()
        if self.fsync:
            os.fsync(log.fileno())

    def _release(self, seq: int, error: str = "") -> None:
        with self._lock:
            self._handled = seq
            if not error:
                self._written = seq
            ready = [f for s, f in self._waiters if s <= seq]
            self._waiters = [(s, f) for s, f in self._waiters if s > seq]
        for fut in ready:
            fut.get_loop().call_soon_threadsafe(_resolve, fut, error)

    def _failed(self, message: str, last_seq: int) -> None:
        if not self.errors or self.errors[-1] != message:
            self.errors = [*self.errors[-99:], message]
        self._release(last_seq, message)
        # A full disk fails every write: the user hears of it again only when the message
        # changes or every REPORT_EVERY seconds, not once per chunk.
        now = time.monotonic()
        if message == self._reported_message and now - self._reported < REPORT_EVERY:
            return
        self._reported, self._reported_message = now, message
        loop, report = self._loop, self.on_error
        if loop is not None and report is not None and not loop.is_closed():
            loop.call_soon_threadsafe(report, message)

    def _reopened(self, log):
        """The log to write next after a failure (a fold may have closed it)."""
        if not log.closed:
            return log
        try:
            return open(self.log_path, "a", encoding="utf-8")
        except OSError:
            return log

    def _fold(self, log):
        self._segment += 1
        path = self.dir / f"{self.day}-{self._segment:04d}.json"
        tmp = path.with_suffix(".tmp")
        # The segment is written in TinyDB's own file format (what ``insert_multiple`` into a
        # fresh JSONStorage file writes: the default table, documents keyed by id from 1) from
        # the lines already encoded for the log. Letting TinyDB do it re-encodes every record in
        # one json.dumps call, which holds the GIL all along and stalled the loop by 10-30 ms
        # per segment (tests/bench/journal.py); joining strings costs microseconds.
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write('{"_default":{')
            fh.write(",".join(f'"{i}":{line}' for i, line in enumerate(self._unfolded, 1)))
            fh.write("}}")
        os.replace(tmp, path)               # a segment is whole or absent
        log.close()
        # Crash between the two: the records are in both; recovery keys them by seq.
        os.replace(self.log_path, self.log_path.with_suffix(".log.old"))
        os.unlink(self.log_path.with_suffix(".log.old"))
        self._unfolded = []
        return open(self.log_path, "a", encoding="utf-8")

    # -------------------------------------------------- recovery

    def recover(self) -> Recovered:
        """Read today's segments and log (call before ``start``)."""
        from tinydb import TinyDB

        by_seq: dict[int, dict] = {}
        for path in self._segments():
            db = TinyDB(path, ensure_ascii=False)
            for r in db.all():
                by_seq[r["seq"]] = dict(r)
            db.close()
        if self.log_path.exists():
            for r in _read_log(self.log_path):
                by_seq[r["seq"]] = r
        out = Recovered()
        orders: dict[str, tuple[int, dict]] = {}
        fills: dict[str, list[tuple[int, Fill]]] = {}
        for seq in sorted(by_seq):
            r = by_seq[seq]
            out.last_seq = seq
            if r["t"] == "order":
                orders[r["id"]] = (seq, r)
            elif r["t"] == "fill":
                fill = decode_fill(r)
                out.fills.append(fill)
                fills.setdefault(fill.local_id, []).append((seq, fill))
            elif r["t"] == "parent":
                out.parents[r["id"]] = decode_parent(r)
        for local_id, (at, r) in orders.items():
            mine = fills.get(local_id, ())
            order = decode_order(r, frozenset(f.fill_id for s, f in mine if s < at))
            for s, fill in mine:
                if s > at:
                    try:
                        order = states.on_fill(order, fill)
                    except states.IllegalTransition:
                        # The engine refused this fill for the order when it came (it counted
                        # the fill for reconciliation only); so does recovery.
                        order = replace(order, fill_ids=order.fill_ids | {fill.fill_id})
            out.orders[local_id] = order
        return out


def _dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def _resolve(fut: asyncio.Future, error: str = "") -> None:
    if fut.done():
        return
    if error:
        fut.set_exception(JournalError(error))
    else:
        fut.set_result(None)


def _read_log(path: Path) -> list[dict]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            try:
                out.append(json.loads(line))
            except ValueError:            # the torn tail of a killed process
                continue
    return out
