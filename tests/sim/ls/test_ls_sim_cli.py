"""``lucy sim`` prints the LS front's URLs and credentials, and the front answers a real-like call."""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys

import httpx

from lucy_tui.sim import cli

RUN = ("import argparse, asyncio, sys; from lucy_tui.sim import cli; "
       "p = argparse.ArgumentParser(prog='lucy sim'); cli.add_arguments(p); "
       "sys.exit(asyncio.run(cli.run(p.parse_args(sys.argv[1:]))))")


def _start(*args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    return subprocess.Popen([sys.executable, "-c", RUN, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_prints_ls_urls_and_credentials_and_serves():
    port = _free_port()
    proc = _start("--seed", "4", "--no-market", "--ls-port", str(port))
    try:
        ready = json.loads(proc.stdout.readline())
        ls = ready["urls"]["ls"]
        assert ls["rest"] == f"http://127.0.0.1:{port}"
        assert ls["ws"] == f"ws://127.0.0.1:{port}/websocket"
        assert ls["faults"] == f"http://127.0.0.1:{port}/__sim/faults"
        assert ready["urls"]["kis"]["rest"] != ls["rest"]
        creds = ready["credentials"]["ls"]
        assert set(creds) == {"real", "mock", "real_b", "mock_b"}
        mock = creds["mock"]
        assert set(mock) == {"app_key", "app_secret", "account", "account_name", "label"}
        resp = httpx.post(ls["rest"] + "/oauth2/token", data={
            "grant_type": "client_credentials", "appkey": mock["app_key"],
            "appsecretkey": mock["app_secret"], "scope": "oob"}, timeout=5)
        assert resp.status_code == 200 and resp.json()["token_type"] == "Bearer"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and out == ""


def test_help_tells_how_to_point_an_ls_client():
    parser = argparse.ArgumentParser(prog="lucy sim")
    cli.add_arguments(parser)
    text = parser.format_help()
    for needle in ("--ls-port", "https://openapi.ls-sec.co.kr:8080",
                   "wss://openapi.ls-sec.co.kr:9443/websocket", ":29443/websocket",
                   "credentials.ls.real", "appsecretkey", "IGW00121", "urls.ls.faults"):
        assert needle in text, needle
    assert parser.parse_args([]).ls_port == 0
