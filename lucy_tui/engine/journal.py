"""The day's journal: an append-only JSON-lines log, folded into TinyDB segments off the loop.

TinyDB rewrites its whole file on every write (DESIGN.md, Storage), so nothing here calls it per
event or on the event loop. ``append`` only puts a record on a queue (no I/O, no encoding); a
writer thread encodes, appends to ``<day>.log``, fsyncs, and every ``fold_every`` records writes
them as a fresh TinyDB segment (``<day>-NNNN.json``, in TinyDB's file format, from the lines the
log already holds) and starts a new log, so the cost of any write is bounded by the segment
size, never by the day's history.
Recovery reads the segments, then the log (records are keyed by ``seq``; a torn last line from a
kill -9 is skipped).

Records: ``order`` (a full snapshot of the order, fill ids left out — they come from the fills),
``fill``, ``parent``. The last order snapshot of a local id wins."""

from __future__ import annotations

import asyncio
import json
import os
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..domain.model import AccountRef, Fill, Order, OrderStatus, OrderType, Side, TimeInForce, Venue
from .book import LegSlot, Parent

# ------------------------------------------------------------------ encoding


def _acct(a: AccountRef) -> list:
    return [a.broker, a.number, a.product, a.label]


def _dt(v: datetime | None) -> str | None:
    return v.isoformat() if v is not None else None


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
                 updated_at=_time(r["upd"]), fill_ids=fill_ids)


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


class Journal:
    def __init__(self, directory: Path, day: date, *, fold_every: int = 500,
                 fsync: bool = True):
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.day = day.strftime("%Y%m%d")
        self.fold_every = fold_every
        self.fsync = fsync
        self.seq = 0
        self._queue: deque[tuple[int, str, Any]] = deque()
        self._wake = threading.Event()
        self._stop = False
        self._written = 0                  # highest seq durable in the log
        self._waiters: list[tuple[int, asyncio.Future]] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._segment = 0
        self._unfolded: list[dict] = []
        self.errors: list[str] = []

    # -------------------------------------------------- paths

    @property
    def log_path(self) -> Path:
        return self.dir / f"{self.day}.log"

    def _segments(self) -> list[Path]:
        return sorted(self.dir.glob(f"{self.day}-*.json"))

    # -------------------------------------------------- loop side

    def start(self, after_seq: int = 0) -> None:
        self.seq = max(self.seq, after_seq)
        self._written = self.seq
        self._segment = len(self._segments())
        if self.log_path.exists():       # records of a previous run not folded yet stay there
            self._unfolded = [_dumps(r) for r in _read_log(self.log_path)]
        self._thread = threading.Thread(target=self._run, name="lucy-journal", daemon=True)
        self._thread.start()

    def append(self, kind: str, obj: Any) -> int:
        """Queue a record: no I/O and no encoding on the caller's thread."""
        self.seq += 1
        self._queue.append((self.seq, kind, obj))
        self._wake.set()
        return self.seq

    async def durable(self, seq: int | None = None) -> None:
        """Wait until record ``seq`` (default: everything appended so far) is on disk."""
        seq = self.seq if seq is None else seq
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._written >= seq:
                return
            fut = loop.create_future()
            self._waiters.append((seq, fut))
        self._wake.set()
        await fut

    async def close(self) -> None:
        if self._thread is None:
            return
        await self.durable()
        self._stop = True
        self._wake.set()
        await asyncio.to_thread(self._thread.join)
        self._thread = None

    # -------------------------------------------------- writer thread

    def _run(self) -> None:
        with open(self.log_path, "a", encoding="utf-8") as log:
            while True:
                self._wake.wait(0.05)
                self._wake.clear()
                batch = []
                while self._queue:
                    batch.append(self._queue.popleft())
                if batch:
                    try:
                        log = self._write(log, batch)
                    except Exception as exc:     # disk full, permissions: say so, keep going
                        self.errors.append(f"journal write failed: {exc}")
                elif self._stop:
                    return

    def _write(self, log, batch):
        # In slices that end where a segment ends, so no segment holds more than fold_every
        # records.
        # Only the last snapshot of an order counts on recovery: under a burst of fills, the
        # earlier ones in the same batch need not be encoded at all.
        later = {obj.local_id: seq for seq, kind, obj in batch if kind == "order"}
        i = 0
        while i < len(batch):
            room = self.fold_every - len(self._unfolded)
            part = batch[i:i + room]
            i += len(part)
            lines = []
            for seq, kind, obj in part:
                if kind == "order" and later.get(obj.local_id, seq) > seq:
                    continue         # a later snapshot of the same order is in this batch
                record = encode(kind, obj)
                record["seq"] = seq
                lines.append(_dumps(record))
            if lines:
                log.write("\n".join(lines) + "\n")
            self._unfolded.extend(lines)
            if len(self._unfolded) >= self.fold_every:
                self._sync(log)
                log = self._fold(log)
        self._sync(log)
        self._release(batch[-1][0])
        return log

    def _sync(self, log) -> None:
        log.flush()
        if self.fsync:
            os.fsync(log.fileno())

    def _release(self, seq: int) -> None:
        with self._lock:
            self._written = seq
            ready = [f for s, f in self._waiters if s <= seq]
            self._waiters = [(s, f) for s, f in self._waiters if s > seq]
        for fut in ready:
            fut.get_loop().call_soon_threadsafe(_resolve, fut)

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
        orders: dict[str, dict] = {}
        fill_ids: dict[str, set[str]] = {}
        for seq in sorted(by_seq):
            r = by_seq[seq]
            out.last_seq = seq
            if r["t"] == "order":
                orders[r["id"]] = r
            elif r["t"] == "fill":
                fill = decode_fill(r)
                out.fills.append(fill)
                fill_ids.setdefault(fill.local_id, set()).add(fill.fill_id)
            elif r["t"] == "parent":
                out.parents[r["id"]] = decode_parent(r)
        for local_id, r in orders.items():
            out.orders[local_id] = decode_order(r, frozenset(fill_ids.get(local_id, ())))
        return out


def _dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def _resolve(fut: asyncio.Future) -> None:
    if not fut.done():
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
