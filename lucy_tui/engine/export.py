"""CSV of the day's orders and fills per account, for the back office."""

from __future__ import annotations

import csv
import io

from ..domain.model import AccountRef, Fill, Order

ORDER_COLUMNS = ["local_id", "parent_id", "account", "order_no", "orig_order_no", "code", "side",
                 "type", "tif", "venue", "qty", "price", "filled_qty", "avg_price", "cancelled_qty",
                 "leaves_qty", "status", "external", "reject_reason", "created_at", "updated_at"]
FILL_COLUMNS = ["fill_id", "local_id", "account", "order_no", "code", "side", "qty", "price",
                "amount", "venue", "time"]


def orders_csv(orders: list[Order], account: AccountRef | None = None) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(ORDER_COLUMNS)
    for o in sorted(orders, key=lambda o: o.local_id):
        if account is not None and o.account.key != account.key:
            continue
        avg = o.avg_price
        w.writerow([o.local_id, o.parent_id, o.account.key, o.order_no, o.orig_order_no, o.code,
                    o.side.value, o.type.value, o.tif.value, o.venue.value, o.qty,
                    "" if o.price is None else o.price, o.filled_qty,
                    "" if avg is None else f"{avg:.2f}", o.cancelled_qty, o.leaves_qty,
                    o.status.value, int(o.external), o.reject_reason,
                    o.created_at.isoformat() if o.created_at else "",
                    o.updated_at.isoformat() if o.updated_at else ""])
    return out.getvalue()


def fills_csv(fills: list[Fill], account: AccountRef | None = None) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(FILL_COLUMNS)
    for f in fills:
        if account is not None and f.account.key != account.key:
            continue
        w.writerow([f.fill_id, f.local_id, f.account.key, f.order_no, f.code, f.side.value, f.qty,
                    f.price, f.amount, f.venue.value, f.time.isoformat()])
    return out.getvalue()
