"""Raw-wire helpers for the LS simulator tests: httpx and websockets only, never Lucy's LS client,
so the simulator is held to the spec (../shared/specs/ls.md) and not to our own reading of it.
Paths, TR codes, limits and field names here are typed from the spec, not imported from
``lucy_tui.brokers.ls.codes``, so a wrong table there shows up as a failing test.

The server runs on an ephemeral port, with the synthetic market off, a fixed seed and a manual
clock (Tuesday 2026-11-24 10:00 KST, regular session). The per-TR limits are the spec's; the
helpers respect them by moving the clock forward by one budget slot before each call, as a
well-behaved client paces itself.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import datetime

import httpx

from lucy_tui.clock import KST, ManualClock
from lucy_tui.domain.instruments import Universe, load_default
from lucy_tui.domain.model import Side
from lucy_tui.sim.server import SimServer

START = datetime(2026, 11, 24, 10, 0, tzinfo=KST)
SEED = 13

ORDER = "/stock/order"
ACCNO = "/stock/accno"
MARKET = "/stock/market-data"
ETC = "/stock/etc"

#: ls.md §6.1, individual accounts.
LIMITS = {"CSPAT00601": 10, "CSPAT00701": 3, "CSPAT00801": 3, "t0425": 2, "t0424": 2,
          "t1102": 10, "t8436": 2, "CSPAQ12200": 1, "CSPAQ13700": 1}

#: 000040 is made a halted stock for the rejection tests.
HALTED = "000040"


def test_universe() -> Universe:
    return Universe(replace(i, halted=True) if i.code == HALTED else i for i in load_default())


def make_server(**kwargs) -> SimServer:
    return SimServer(seed=SEED, market=False, clock=kwargs.pop("clock", None) or ManualClock(START),
                     instruments=test_universe(), **kwargs)


def base_price(sim: SimServer, code: str) -> int:
    return sim.exchange.quote(code).base


def street(sim: SimServer, side: Side, code: str, qty: int, price: int) -> None:
    """An order from someone outside the broker, straight on the exchange."""
    result = sim.exchange.submit(owner="street", code=code, side=side, qty=qty, price=price)
    assert not result.rejected, result


class Wire:
    """A hand-written LS REST caller for one app key ("real", "mock", "real_b", "mock_b")."""

    def __init__(self, sim: SimServer, name: str, http: httpx.AsyncClient):
        self.sim = sim
        self.name = name
        self.cred = sim.credentials["ls"][name]
        self.http = http
        self.token: str | None = None
        self.mock = name.startswith("mock")

    def form(self, **extra: str) -> dict[str, str]:
        data = {"grant_type": "client_credentials", "appkey": self.cred["app_key"],
                "appsecretkey": self.cred["app_secret"], "scope": "oob"}
        data.update(extra)
        return data

    async def issue_token(self, **extra: str) -> httpx.Response:
        return await self.http.post("/oauth2/token", data=self.form(**extra))

    async def login(self) -> Wire:
        resp = await self.issue_token()
        assert resp.status_code == 200, resp.text
        self.token = resp.json()["access_token"]
        return self

    def headers(self, tr_cd: str, tr_cont: str = "N", tr_cont_key: str = "",
                token: str | None = None) -> dict[str, str]:
        return {"content-type": "application/json; charset=utf-8",
                "authorization": f"Bearer {token or self.token}", "tr_cd": tr_cd,
                "tr_cont": tr_cont, "tr_cont_key": tr_cont_key, "mac_address": ""}

    def pace(self, tr_cd: str) -> None:
        self.sim.clock.advance(1.0 / LIMITS.get(tr_cd, 1) + 0.001)

    async def tr(self, path: str, tr_cd: str, block: dict, *, tr_cont: str = "N",
                 tr_cont_key: str = "", pace: bool = True, token: str | None = None,
                 block_name: str | None = None) -> httpx.Response:
        if pace:
            self.pace(tr_cd)
        name = block_name or (f"{tr_cd}InBlock" if tr_cd[0].islower() else f"{tr_cd}InBlock1")
        return await self.http.post(path, content=json.dumps({name: block}),
                                    headers=self.headers(tr_cd, tr_cont, tr_cont_key, token))

    def isu(self, code: str, prefix: bool | None = None) -> str:
        """Mock requires A+code; real takes both (the helper sends A+code unless told)."""
        return ("A" + code) if (prefix is None or prefix) else code

    async def order(self, side: str, code: str, qty: int, price: int, *, ptn: str = "00",
                    cndi: str = "0", mbr: str = "KRX", prefix: bool | None = None,
                    pace: bool = True, **extra) -> httpx.Response:
        block = {"IsuNo": self.isu(code, prefix), "OrdQty": qty, "OrdPrc": price,
                 "BnsTpCode": "2" if side == "buy" else "1", "OrdprcPtnCode": ptn,
                 "MgntrnCode": "000", "LoanDt": "", "OrdCndiTpCode": cndi, "MbrNo": mbr}
        block.update(extra)
        return await self.tr(ORDER, "CSPAT00601", block, pace=pace)

    async def amend(self, org: int, code: str, qty: int, price: int, *, ptn: str = "00",
                    cndi: str = "0", pace: bool = True) -> httpx.Response:
        return await self.tr(ORDER, "CSPAT00701", {
            "OrgOrdNo": org, "IsuNo": self.isu(code), "OrdQty": qty, "OrdprcPtnCode": ptn,
            "OrdCndiTpCode": cndi, "OrdPrc": price}, pace=pace)

    async def cancel(self, org: int, code: str, qty: int, *, pace: bool = True) -> httpx.Response:
        return await self.tr(ORDER, "CSPAT00801", {"OrgOrdNo": org, "IsuNo": self.isu(code),
                                                   "OrdQty": qty}, pace=pace)

    async def ordno(self, side: str, code: str, qty: int, price: int, **kw) -> int:
        resp = await self.order(side, code, qty, price, **kw)
        body = resp.json()
        assert body["rsp_cd"] in ("00039", "00040"), body
        return body["CSPAT00601OutBlock2"]["OrdNo"]

    async def t0425(self, *, tr_cont: str = "N", tr_cont_key: str = "", **fields) -> httpx.Response:
        block = {"expcode": "", "chegb": "0", "medosu": "0", "sortgb": "1", "cts_ordno": ""}
        block.update(fields)
        return await self.tr(ACCNO, "t0425", block, tr_cont=tr_cont, tr_cont_key=tr_cont_key)

    def ws_url(self, path: str = "/websocket") -> str:
        return self.sim.urls["ls"]["ws"].rsplit("/websocket", 1)[0] + path

    def ws_msg(self, tr_type: str, tr_cd: str, tr_key: str = "", token: str | None = None) -> str:
        return json.dumps({"header": {"token": token if token is not None else self.token,
                                      "tr_type": tr_type},
                           "body": {"tr_cd": tr_cd, "tr_key": tr_key}})


async def recv(ws, timeout: float = 2.0) -> dict:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def register(ws, wire: Wire, tr_type: str, tr_cd: str, tr_key: str = "") -> dict:
    await ws.send(wire.ws_msg(tr_type, tr_cd, tr_key))
    return await recv(ws)


async def frames(ws, n: int, *, timeout: float = 2.0, tr: tuple[str, ...] | None = None) -> list[dict]:
    """The next ``n`` data frames (optionally only of the TRs in ``tr``)."""
    out = []
    while len(out) < n:
        msg = await recv(ws, timeout)
        if "body" not in msg:
            continue
        if tr is None or msg["header"]["tr_cd"] in tr:
            out.append(msg)
    return out


async def silence(ws, timeout: float = 0.3) -> None:
    """Assert nothing arrives for ``timeout`` seconds."""
    try:
        msg = await asyncio.wait_for(ws.recv(), timeout)
    except asyncio.TimeoutError:
        return
    raise AssertionError(f"unexpected frame {msg[:200]}")
