"""``lucy sim`` as a process: one JSON line when ready, a working front, clean stop on a signal."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys

import httpx
import pytest

from lucy_tui.sim import cli

# The lead wires these functions into `lucy`; the test runs them the same way, in a child.
RUN = ("import argparse, asyncio, sys; from lucy_tui.sim import cli; "
       "p = argparse.ArgumentParser(prog='lucy sim'); cli.add_arguments(p); "
       "sys.exit(asyncio.run(cli.run(p.parse_args(sys.argv[1:]))))")


def _start(*args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    return subprocess.Popen([sys.executable, "-c", RUN, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_prints_one_json_line_serves_and_stops_cleanly(sig):
    proc = _start("--seed", "5", "--no-market")
    try:
        line = proc.stdout.readline()
        ready = json.loads(line)
        assert ready["lucy_sim"] == "ready" and ready["seed"] == 5
        kis = ready["urls"]["kis"]
        assert kis["rest"].startswith("http://127.0.0.1:") and kis["ws"].startswith("ws://127.0.0.1:")
        mock = ready["credentials"]["kis"]["mock"]
        assert len(mock["app_key"]) == 36 and len(mock["app_secret"]) == 180
        resp = httpx.post(kis["rest"] + "/oauth2/tokenP", json={
            "grant_type": "client_credentials", "appkey": mock["app_key"],
            "appsecret": mock["app_secret"]}, timeout=5)
        assert resp.status_code == 200 and resp.json()["token_type"] == "Bearer"
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert out == ""


def test_same_seed_same_credentials():
    a = _start("--seed", "9", "--no-market")
    b = _start("--seed", "9", "--no-market")
    try:
        first = json.loads(a.stdout.readline())
        second = json.loads(b.stdout.readline())
        assert first["credentials"] == second["credentials"]
        assert first["urls"]["kis"]["rest"] != second["urls"]["kis"]["rest"]   # port 0: free ports
    finally:
        for proc in (a, b):
            proc.send_signal(signal.SIGINT)
            proc.communicate(timeout=10)


def test_help_tells_how_to_point_a_kis_client():
    parser = argparse.ArgumentParser(prog="lucy sim")
    cli.add_arguments(parser)
    text = parser.format_help()
    for needle in ("--kis-port", "--seed", "--session", "--no-market", "--host",
                   "https://openapi.koreainvestment.com:9443",
                   "https://openapivts.koreainvestment.com:29443",
                   "ws://ops.koreainvestment.com:21000", "/tryitout"):
        assert needle in text
    args = parser.parse_args([])
    assert (args.kis_port, args.host, args.session, args.no_market) == (0, "127.0.0.1", "always", False)
