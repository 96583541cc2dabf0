"""The blotter and the tape fed by a real engine trading on the simulator over localhost."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Vertical

from lucy_tui.domain.model import OrderStatus, Side
from lucy_tui.engine import Engine, PlaceOrder
from lucy_tui.ui.tape_model import TapeFeed
from lucy_tui.ui.widgets.blotter import Blotter
from lucy_tui.ui.widgets.tape import FillTape

from support.engine import CODE, COUNTERPARTY, PRICE, kis_broker, make_sim, wait_for

NAMES = {CODE: "삼성전자"}


class Desk(App):
    def compose(self) -> ComposeResult:
        with Vertical():
            yield Blotter(NAMES)
            yield FillTape()


async def test_an_order_placed_filled_amended_and_cancelled_reaches_both_widgets(tmp_path):
    async with make_sim() as server:
        engine = Engine(journal_dir=tmp_path / "journal", journal_fsync=False)
        engine.add_broker(kis_broker(server, tmp_path))
        app = Desk()
        async with app.run_test(size=(170, 40)) as pilot:
            blotter, tape, feed = app.query_one(Blotter), app.query_one(FillTape), TapeFeed(NAMES)
            engine.subscribe(lambda event: (blotter.apply([event]), tape.append(feed.feed([event]))))
            await engine.start()
            try:
                account = engine.brokers["kis"].accounts[0]
                placed = await engine.place(PlaceOrder(CODE, Side.BUY, 10, PRICE, account=account))
                assert placed.ok, placed.message
                lid = placed.local_id
                server.exchange.submit(owner=COUNTERPARTY, code=CODE, side=Side.SELL, qty=4,
                                       price=PRICE)
                await wait_for(lambda: engine.order(lid).filled_qty == 4)
                assert not await engine.amend(lid, PRICE - 500)
                await wait_for(lambda: engine.order(lid).orig_order_no != "")
                assert not await engine.cancel(lid)
                await wait_for(lambda: engine.order(lid).status is OrderStatus.CANCELLED)
                await pilot.pause(0.3)
            finally:
                await engine.close()

            order = engine.order(lid)
            kinds = [e.kind for e in tape.entries if e.local_id == lid]
            assert kinds[:3] == ["info", "ack", "fill"]
            assert kinds.count("fill") == 1 and kinds.count("amend") == 1
            assert kinds[-1] == "cancel" and kinds.count("cancel") == 1
            fill = next(e for e in tape.entries if e.kind == "fill")
            assert (fill.qty, fill.price, fill.cum_qty, fill.order_qty) == (4, PRICE, 4, 10)
            assert fill.name == "삼성전자" and fill.account == str(account)

            assert blotter.row_count == 1
            cells = {str(c.value): str(v) for c, v in zip(blotter.columns, blotter.get_row(lid))}
            assert cells["order_no"] == f"{order.order_no.lstrip('0')}←{order.orig_order_no.lstrip('0')}"
            assert (cells["qty"], cells["filled"], cells["leaves"], cells["closed"]) == (
                "10", "4", "0", "6")
            assert cells["status"] == "취소" and cells["price"] == f"{PRICE - 500:,}"
