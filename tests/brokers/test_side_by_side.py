"""KIS and LS side by side under one simulator, driven only through the broker contract.

The engine will hold brokers as ``base.Broker`` and nothing else; this is the same walk through
both: connect, place, partial fill pushed by the exchange, today's orders, cancel, balance.
"""

from __future__ import annotations

import pytest

from lucy_tui.brokers.base import (
    Broker, FillEvent, OrderAcked, OrderCancelled, OrderRequest, Placed,
)
from lucy_tui.brokers.kis import KisBroker, KisSettings
from lucy_tui.brokers.ls import LsBroker, LsSettings
from lucy_tui.domain.model import Side
from lucy_tui.sim.server import SimServer
from support.brokers import Events

CODE = "005930"


def kis_broker(server: SimServer, tmp_path) -> KisBroker:
    cred = server.credentials["kis"]["mock"]
    return KisBroker(KisSettings(
        app_key=cred["app_key"], app_secret=cred["app_secret"], hts_id=cred["hts_id"],
        accounts=(KisSettings.make_account(cred["accounts"][0], label="fundA"),),
        env="mock", rest_url=server.urls["kis"]["rest"], ws_url=server.urls["kis"]["ws"],
        token_dir=tmp_path / "tokens", rate_limit=50))


def ls_broker(server: SimServer, tmp_path) -> LsBroker:
    cred = server.credentials["ls"]["mock"]
    return LsBroker(LsSettings(
        app_key=cred["app_key"], app_secret=cred["app_secret"],
        accounts=(LsSettings.make_account(cred["account"], "fundB"),), env="mock",
        rest_url=server.urls["ls"]["rest"], ws_url=server.urls["ls"]["ws"],
        token_dir=tmp_path / "tokens"))


@pytest.fixture
async def server():
    from lucy_tui.brokers.kis.codes import Domain
    from lucy_tui.brokers.ls import codes as ls_codes
    from lucy_tui.sim.kis.front import KisOptions
    from lucy_tui.sim.ls import LsOptions

    async with SimServer(
        seed=3, market=False,
        kis_options=KisOptions(rate_limits={Domain.MOCK: 50, Domain.REAL: 50}),
        ls_options=LsOptions(rate_limits={tr: 50 for tr in ls_codes.TR_PATH}),
    ) as sim:
        yield sim


async def walk(broker: Broker, server: SimServer) -> None:
    events = Events()
    broker.set_sink(events.append)
    await broker.connect()
    try:
        account = broker.accounts[0]
        price = server.exchange.quote(CODE).base
        placed = await broker.place(OrderRequest(account, CODE, Side.BUY, 10, price))
        assert isinstance(placed, Placed) and placed.order_no
        ack = await events.wait(lambda e: isinstance(e, OrderAcked) and e.order_no == placed.order_no)
        assert (ack.account, ack.code, ack.qty, ack.price) == (account, CODE, 10, price)

        # Another participant sells 4 into the resting bid: a partial fill reaches the sink.
        server.exchange.submit(owner="sim:other", code=CODE, side=Side.SELL, qty=4, price=price)
        fill = await events.wait(lambda e: isinstance(e, FillEvent))
        assert (fill.fill.order_no, fill.fill.qty, fill.fill.price) == (placed.order_no, 4, price)
        assert fill.fill.account == account and fill.fill.fill_id

        reports = {r.order_no: r for r in await broker.orders_today(account)}
        mine = reports[placed.order_no]
        assert (mine.qty, mine.filled_qty, mine.leaves_qty) == (10, 4, 6)

        await broker.cancel(account, placed.order_no)
        cancelled = await events.wait(lambda e: isinstance(e, OrderCancelled))
        assert (cancelled.order_no, cancelled.qty) == (placed.order_no, 6)

        _, positions = await broker.balance(account)
        held = {p.code: p for p in positions}
        assert held[CODE].qty >= 4
    finally:
        await broker.close()


async def test_both_brokers_walk_the_same_contract_on_one_simulator(server, tmp_path):
    brokers = [kis_broker(server, tmp_path / "kis"), ls_broker(server, tmp_path / "ls")]
    for broker in brokers:
        assert isinstance(broker, Broker)
    assert {b.name for b in brokers} == {"kis", "ls"}
    for broker in brokers:
        await walk(broker, server)
