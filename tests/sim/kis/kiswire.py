"""Raw-wire helpers for the KIS simulator tests: httpx and websockets only, never Lucy's KIS client,
so the simulator is held to the spec (../shared/specs/kis.md) and not to our own reading of it.

The server runs on an ephemeral port, with the synthetic market off, a fixed seed and a manual
clock (Tuesday 2026-11-24 10:00 KST, regular session). The gateway's rate limits are the spec's;
the helpers respect them by moving the clock forward between calls (0.5 s mock, 0.05 s real),
exactly as a well-behaved client paces itself.
"""

from __future__ import annotations

import asyncio
import base64
import json
from dataclasses import replace
from datetime import datetime

import httpx
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from lucy_tui.clock import KST, ManualClock
from lucy_tui.domain.instruments import Universe, load_default
from lucy_tui.sim.kis import KisOptions
from lucy_tui.sim.server import SimServer

START = datetime(2026, 11, 24, 10, 0, tzinfo=KST)
SEED = 11

ORDER_CASH = "/uapi/domestic-stock/v1/trading/order-cash"
RVSECNCL = "/uapi/domestic-stock/v1/trading/order-rvsecncl"
DAILY_CCLD = "/uapi/domestic-stock/v1/trading/inquire-daily-ccld"
BALANCE = "/uapi/domestic-stock/v1/trading/inquire-balance"
PSBL_ORDER = "/uapi/domestic-stock/v1/trading/inquire-psbl-order"
PSBL_RVSECNCL = "/uapi/domestic-stock/v1/trading/inquire-psbl-rvsecncl"
PRICE = "/uapi/domestic-stock/v1/quotations/inquire-price"
ASKING = "/uapi/domestic-stock/v1/quotations/inquire-asking-price-exp-ccn"
STOCK_INFO = "/uapi/domestic-stock/v1/quotations/search-stock-info"
SEARCH_INFO = "/uapi/domestic-stock/v1/quotations/search-info"
HOLIDAY = "/uapi/domestic-stock/v1/quotations/chk-holiday"

#: 000040 is made a halted stock for the rejection tests.
HALTED = "000040"


def test_universe() -> Universe:
    return Universe(replace(i, halted=True) if i.code == HALTED else i for i in load_default())


def make_server(**kwargs) -> SimServer:
    options = kwargs.pop("kis_options", None) or KisOptions(pingpong_interval=0.3)
    return SimServer(seed=SEED, market=False, clock=kwargs.pop("clock", None) or ManualClock(START),
                     instruments=test_universe(), kis_options=options, **kwargs)


def decrypt(payload: str, key: str, iv: str) -> str:
    """AES-256-CBC + PKCS#7 + Base64, key/iv as the ACK's ASCII strings (kis.md §5.3)."""
    dec = Cipher(algorithms.AES(key.encode()), modes.CBC(iv.encode())).decryptor()
    data = dec.update(base64.b64decode(payload)) + dec.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return (unpadder.update(data) + unpadder.finalize()).decode("utf-8")


class Wire:
    """A hand-written KIS REST caller for one key set ("real" or "mock")."""

    def __init__(self, sim: SimServer, domain: str, http: httpx.AsyncClient):
        self.sim = sim
        self.domain = domain
        self.cred = sim.credentials["kis"][domain]
        self.http = http
        self.token: str | None = None
        self.pace = 0.5 if domain == "mock" else 0.05
        cano, prdt = self.cred["accounts"][0].split("-")
        self.cano, self.prdt = cano, prdt
        other = self.cred["accounts"][1].split("-")
        self.cano2, self.prdt2 = other

    @property
    def v(self) -> str:
        """Prefix of this domain's trading tr ids."""
        return "V" if self.domain == "mock" else "T"

    async def issue_token(self) -> httpx.Response:
        return await self.http.post("/oauth2/tokenP", json={
            "grant_type": "client_credentials", "appkey": self.cred["app_key"],
            "appsecret": self.cred["app_secret"]})

    async def login(self) -> Wire:
        resp = await self.issue_token()
        assert resp.status_code == 200, resp.text
        self.token = resp.json()["access_token"]
        return self

    async def approval(self) -> str:
        resp = await self.http.post("/oauth2/Approval", json={
            "grant_type": "client_credentials", "appkey": self.cred["app_key"],
            "secretkey": self.cred["app_secret"]})
        assert resp.status_code == 200, resp.text
        return resp.json()["approval_key"]

    def headers(self, tr_id: str, tr_cont: str = "", **extra: str) -> dict[str, str]:
        headers = {"content-type": "application/json; charset=utf-8",
                   "authorization": f"Bearer {self.token}", "appkey": self.cred["app_key"],
                   "appsecret": self.cred["app_secret"], "tr_id": tr_id, "tr_cont": tr_cont,
                   "custtype": "P"}
        headers.update(extra)
        return headers

    def _pace(self) -> None:
        self.sim.clock.advance(self.pace)

    async def get(self, path: str, tr_id: str, params: dict, tr_cont: str = "",
                  **headers: str) -> httpx.Response:
        self._pace()
        return await self.http.get(path, params=params, headers=self.headers(tr_id, tr_cont, **headers))

    async def post(self, path: str, tr_id: str, body: dict, **headers: str) -> httpx.Response:
        self._pace()
        return await self.http.post(path, content=json.dumps(body),
                                    headers=self.headers(tr_id, **headers))

    async def order(self, side: str, code: str, qty: int, price: int, dvsn: str = "00", *,
                    second: bool = False, tr_id: str | None = None, **extra: str) -> httpx.Response:
        tr = tr_id or f"{self.v}TTC{'0012U' if side == 'buy' else '0011U'}"
        body = {"CANO": self.cano2 if second else self.cano,
                "ACNT_PRDT_CD": self.prdt2 if second else self.prdt, "PDNO": code,
                "ORD_DVSN": dvsn, "ORD_QTY": str(qty), "ORD_UNPR": str(price)}
        body.update(extra)
        return await self.post(ORDER_CASH, tr, body)

    async def rvsecncl(self, odno: str, kind: str, *, qty: int = 0, price: int = 0,
                       dvsn: str = "00", all_qty: bool = True, second: bool = False,
                       branch: str | None = None) -> httpx.Response:
        body = {"CANO": self.cano2 if second else self.cano,
                "ACNT_PRDT_CD": self.prdt2 if second else self.prdt,
                "KRX_FWDG_ORD_ORGNO": branch if branch is not None else
                ("00950" if self.domain == "mock" else "06010"),
                "ORGN_ODNO": odno, "ORD_DVSN": dvsn,
                "RVSE_CNCL_DVSN_CD": "01" if kind == "amend" else "02",
                "ORD_QTY": str(qty), "ORD_UNPR": str(price), "QTY_ALL_ORD_YN": "Y" if all_qty else "N"}
        return await self.post(RVSECNCL, f"{self.v}TTC0013U", body)

    def ws_url(self, path: str = "/tryitout") -> str:
        return self.sim.urls["kis"]["ws"] + path

    def subscribe_msg(self, approval: str, tr_id: str, tr_key: str, tr_type: str = "1") -> str:
        return json.dumps({"header": {"approval_key": approval, "custtype": "P", "tr_type": tr_type,
                                      "content-type": "utf-8"},
                           "body": {"input": {"tr_id": tr_id, "tr_key": tr_key}}})


def base_price(sim: SimServer, code: str) -> int:
    return sim.exchange.quote(code).base


async def recv_json(ws, *, skip_ping: bool = True, timeout: float = 2.0) -> dict:
    """The next control (JSON) message, skipping data frames and (by default) PINGPONG."""
    while True:
        text = await asyncio.wait_for(ws.recv(), timeout)
        if text[0] in "01":
            continue
        msg = json.loads(text)
        if skip_ping and msg["header"]["tr_id"] == "PINGPONG":
            continue
        return msg


async def recv_data(ws, tr_id: str, *, timeout: float = 2.0) -> tuple[str, str, int, str]:
    """The next data frame of ``tr_id`` split into (enc, tr_id, count, payload)."""
    while True:
        text = await asyncio.wait_for(ws.recv(), timeout)
        if text[0] not in "01":
            continue
        enc, tr, count, payload = text.split("|", 3)
        if tr == tr_id:
            return enc, tr, int(count), payload


async def subscribe(ws, wire: Wire, approval: str, tr_id: str, tr_key: str) -> dict:
    await ws.send(wire.subscribe_msg(approval, tr_id, tr_key))
    return await recv_json(ws)

