"""The day's orders and fills as CSV files per account, for the back office."""

from __future__ import annotations

import asyncio
from pathlib import Path

from ..engine.export import fills_csv, orders_csv


async def export_day(engine, out_dir: Path, day: str) -> list[Path]:
    """Two files per account (``orders-<day>-<account>.csv``, ``fills-…``). The book is copied
    on the loop, where it changes; the files are written off it."""
    orders = list(engine.book.orders.values())
    fills = list(engine.book.fills)
    accounts = {a.key: a for a in (*engine.book.accounts.values(),
                                   *(acc for b in engine.brokers.values() for acc in b.accounts))}

    def write() -> list[Path]:
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for key, account in sorted(accounts.items()):
            stem = key.replace(":", "-")
            for kind, text in (("orders", orders_csv(orders, account)),
                               ("fills", fills_csv(fills, account))):
                path = out_dir / f"{kind}-{day}-{stem}.csv"
                path.write_text(text, encoding="utf-8")
                written.append(path)
        return written

    return await asyncio.to_thread(write)
