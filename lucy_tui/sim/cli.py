"""``lucy sim``: run the broker simulators in the foreground.

Wire it into the main parser with :func:`add_arguments` and run it with
``asyncio.run(run(args))``. Once every front listens it prints one JSON line (URLs and demo
credentials) and flushes; Ctrl-C or SIGTERM stops it cleanly with exit status 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys

DESCRIPTION = """\
Run Lucy's broker simulators in the foreground: a simulated KRX exchange with a synthetic market,
and protocol-faithful fronts that speak each broker's own REST and WebSocket protocol.

When ready, one JSON line is printed with every front's URLs and the demo credentials, e.g.
  {"lucy_sim": "ready", "urls": {"kis": {"rest": "http://127.0.0.1:PORT",
   "ws": "ws://127.0.0.1:PORT", ...}, "ls": {"rest": "http://127.0.0.1:PORT2",
   "ws": "ws://127.0.0.1:PORT2/websocket", ...}},
   "credentials": {"kis": {"real": {...}, "mock": {...}}, "ls": {"real": {...}, "mock": {...},
   "real_b": {...}, "mock_b": {...}}}}"""

EPILOG = """\
Pointing a KIS client at it:
  * REST base URL: use urls.kis.rest in place of https://openapi.koreainvestment.com:9443
    (real) and of https://openapivts.koreainvestment.com:29443 (mock). One port serves both
    domains; which one a call belongs to follows from the app key whose token it carries.
  * WebSocket URL: use urls.kis.ws in place of ws://ops.koreainvestment.com:21000 (real) and
    :31000 (mock); the paths /, /tryitout and /tryitout/<TR> all work.
  * Credentials: credentials.kis.real for a real-environment client, credentials.kis.mock for a
    모의투자 client: app_key (36 chars), app_secret (180 chars), hts_id (the H0STCNI0/H0STCNI9
    tr_key) and accounts as CANO-ACNT_PRDT_CD. Each account starts with 1,000,000,000 KRW and a
    few holdings.
  * Faults for reliability tests: POST JSON to urls.kis.faults, e.g. {"action": "rate_limit",
    "count": 3}, {"action": "stall", "seconds": null}, {"action": "drop_websockets"},
    {"action": "expire_tokens"}, {"action": "malformed_frame"}, {"action": "reset"}.

Pointing an LS증권 client at it:
  * REST base URL: use urls.ls.rest in place of https://openapi.ls-sec.co.kr:8080. Real and
    모의투자 share it, as at LS; the app key whose token a call carries decides which one it is.
  * WebSocket URL: use urls.ls.ws in place of wss://openapi.ls-sec.co.kr:9443/websocket (real)
    and :29443/websocket (mock); /websocket/stock works too.
  * Credentials: credentials.ls.real / .mock (and .real_b / .mock_b, a second account each):
    app_key and app_secret (36 chars; post them form-encoded as appkey / appsecretkey to
    /oauth2/token) and the 11-digit account bound to the key. Mock orders need IsuNo "A"+code.
    One live token per key: issuing a new one kills the old one (IGW00121).
  * Faults: the same commands, POSTed to urls.ls.faults; add "front": "ls" to limit them to LS
    (rate-limit answers are IGW00201).
Ctrl-C stops the simulators."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    if not parser.description:
        parser.description = DESCRIPTION
        parser.epilog = EPILOG
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--kis-port", type=int, default=0, metavar="N",
                        help="port of the KIS front, REST and WebSocket (default 0: a free one)")
    parser.add_argument("--ls-port", type=int, default=0, metavar="N",
                        help="port of the LS front, REST and WebSocket (default 0: a free one)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--seed", type=int, default=0, metavar="S",
                        help="seed of the market and of the demo credentials (default 0)")
    parser.add_argument("--session", choices=("always", "krx"), default="always",
                        help="market hours: always open, or the KRX session table (default always)")
    parser.add_argument("--no-market", action="store_true",
                        help="no synthetic trading: only your own orders move prices")
    parser.add_argument("--market-interval", type=float, default=0.5, metavar="SECONDS",
                        help="seconds between synthetic market steps (default 0.5)")
    parser.add_argument("--pages", action="store_true",
                        help="also serve demo 38.co.kr and judal.co.kr pages (urls.pages)")


async def run(args: argparse.Namespace) -> int:
    from .server import SimServer

    server = SimServer(host=args.host, kis_port=args.kis_port,
                       ls_port=getattr(args, "ls_port", 0), seed=args.seed,
                       session=args.session, market=not args.no_market,
                       market_interval=getattr(args, "market_interval", 0.5),
                       pages=getattr(args, "pages", False))
    try:
        await server.start()
    except OSError as exc:
        print(f"lucy sim: cannot listen: {exc}", file=sys.stderr)
        await server.stop()
        return 1
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)
    print(json.dumps(server.describe(), ensure_ascii=False), flush=True)
    try:
        await stop.wait()
    except asyncio.CancelledError:
        pass
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
        await server.stop()
    return 0
