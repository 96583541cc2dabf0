"""One live token per app key, against the simulator: a second Lucy process that issues kills the
first one's token (IGW00121); the first recovers by reading the shared token file, never by
issuing in turn. Only when the file still holds the dead token (a client outside Lucy issued)
does it issue — once."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx

from lucy_tui.brokers.base import BrokerStatus, Connection, OrderAcked, OrderRequest
from lucy_tui.brokers.ls import codes
from lucy_tui.domain.model import Side

from ls_client_support import owner_of

CODE, PRICE = "005930", 269000
REPO = Path(__file__).resolve().parents[3]


def buy(account, price=PRICE - 10_000):
    return OrderRequest(account, CODE, Side.BUY, 1, price)


async def test_a_second_process_issuing_kills_the_first_token_and_the_file_heals_it(sim, connect,
                                                                                     tmp_path):
    first, events, wire1 = await connect(sim)
    second, _, wire2 = await connect(sim)              # same token dir: another Lucy process
    assert (wire1.tokens, wire2.tokens) == (1, 0)      # the second one read the first's token
    dead = first.tokens.current()
    # The second process decides its token is bad and replaces it: at LS that kills the first's.
    await second.rest.replace_token(dead)
    assert wire2.tokens == 1
    placed = await first.place(buy(first.accounts[0]))
    assert wire1.codes["IGW00121"] == 1                 # the dead token was refused once
    assert wire1.tokens == 1 and first.tokens.issued == 1   # and not answered by issuing
    assert first.tokens.current().token == second.tokens.current().token
    assert len(sim.exchange.orders(owner_of(sim))) == 1     # refused at the gateway, sent again
    await events.wait(lambda e: isinstance(e, OrderAcked) and e.order_no == placed.order_no)
    # Both processes keep working on the one live token.
    assert (await second.quote(CODE)).last == PRICE and (await first.quote(CODE)).last == PRICE
    assert wire1.codes["IGW00121"] == 1 and wire2.codes["IGW00121"] == 0


async def test_a_client_outside_lucy_issuing_makes_lucy_issue_once(sim, connect):
    broker, _, wire = await connect(sim)
    cred = sim.credentials["ls"]["mock"]
    async with httpx.AsyncClient() as other:           # not Lucy: it does not write the file
        answer = await other.post(sim.urls["ls"]["rest"] + codes.P_TOKEN, data={
            "grant_type": "client_credentials", "appkey": cred["app_key"],
            "appsecretkey": cred["app_secret"], "scope": "oob"})
        assert answer.status_code == 200
    await asyncio.sleep(0.6)                           # past the guard between issuances
    await asyncio.gather(*(broker.quote(CODE) for _ in range(5)))
    assert wire.codes["IGW00121"] >= 1
    assert wire.tokens == 2 and broker.tokens.issued == 2       # one issuance for all five calls


SECOND_PROCESS = textwrap.dedent("""
    import asyncio, sys
    from pathlib import Path
    from lucy_tui.brokers.ls.client import LsBroker
    from lucy_tui.brokers.ls.settings import LsSettings

    async def main(rest, key, secret, account, directory):
        settings = LsSettings(app_key=key, app_secret=secret,
                              accounts=(LsSettings.make_account(account),), rest_url=rest,
                              token_dir=Path(directory), token_issue_interval=0.5)
        broker = LsBroker(settings)
        dead = broker.tokens.current()
        assert dead is not None, "the first process's token is in the shared file"
        fresh = await broker.rest.replace_token(dead)
        quote = await broker.quote("005930")
        await broker.close()
        print(broker.rest.token_requests, fresh.token != dead.token, quote.last)

    asyncio.run(main(*sys.argv[1:]))
""")


async def test_a_real_second_process_on_the_same_key(sim, connect, tmp_path):
    broker, events, wire = await connect(sim)
    cred = sim.credentials["ls"]["mock"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", SECOND_PROCESS, sim.urls["ls"]["rest"], cred["app_key"],
        cred["app_secret"], cred["account"], str(broker.settings.token_dir),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()
    assert out.decode().split() == ["1", "True", str(PRICE)]
    placed = await broker.place(buy(broker.accounts[0]))
    await events.wait(lambda e: isinstance(e, OrderAcked) and e.order_no == placed.order_no)
    assert wire.codes["IGW00121"] == 1 and wire.tokens == 1


async def test_realtime_re_registers_with_the_token_the_file_holds(sim, connect):
    first, events, wire = await connect(sim)
    second, _, _ = await connect(sim, start=False)
    await second.rest.replace_token(first.tokens.current())   # first's token dies
    sim.faults.drop_websockets()
    await events.wait(lambda e: isinstance(e, BrokerStatus) and e.state is Connection.LIVE
                      and first.realtime.sessions == 2, timeout=5)
    assert first.realtime.token_refusals == 1 and wire.tokens == 1
    placed = await first.place(buy(first.accounts[0]))
    await events.wait(lambda e: isinstance(e, OrderAcked) and e.order_no == placed.order_no)
