"""Start-up: ``python tests/bench/startup.py [RUNS]``.

Time from spawning a fresh Python process to the first frame of the console — ``lucy --demo``
through its real entry point (argument parsing, config, imports, the app, the login screen) —
and, in the same run, of a bare Textual app with one Static, so the ratio says what Lucy adds
over Textual itself. Each child writes the wall time of Textual's ``Ready`` event (the DOM is
ready and the first frame displayed) and exits at once; both run headless, alternately, RUNS
times each. The last line is one JSON object: ``lucy_first_frame_s``, ``bare_first_frame_s``
(medians) and ``ratio``."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

LUCY = """
import sys, time
from lucy_tui.ui.app import LucyApp
def ready(self):
    open(sys.argv[1], "w").write(repr(time.time()))
    self.exit()
LucyApp.on_ready = ready
run = LucyApp.run
LucyApp.run = lambda self, **kw: run(self, headless=True, **kw)
from lucy_tui.cli import main
sys.exit(main(["--demo"]))
"""

BARE = """
import sys, time
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("hello")
    def on_ready(self):
        open(sys.argv[1], "w").write(repr(time.time()))
        self.exit()
Bare().run(headless=True)
"""


def first_frame(code: str) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "ready"
        env = {**os.environ, "XDG_DATA_HOME": tmp, "XDG_STATE_HOME": tmp, "XDG_CACHE_HOME": tmp,
               "XDG_CONFIG_HOME": tmp}
        start = time.time()
        subprocess.run([sys.executable, "-c", code, str(out)], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL, timeout=60)
        return float(out.read_text()) - start


def main(runs: int = 7) -> dict:
    first_frame(BARE)           # warm the OS file cache for both, measured runs after
    first_frame(LUCY)
    lucy, bare = [], []
    for _ in range(runs):
        bare.append(first_frame(BARE))
        lucy.append(first_frame(LUCY))
    result = {"lucy_first_frame_s": round(statistics.median(lucy), 3),
              "bare_first_frame_s": round(statistics.median(bare), 3),
              "lucy_runs_s": [round(x, 3) for x in lucy],
              "bare_runs_s": [round(x, 3) for x in bare]}
    result["ratio"] = round(result["lucy_first_frame_s"] / result["bare_first_frame_s"], 2)
    return result


if __name__ == "__main__":
    result = main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
    print(f"lucy --demo first frame: {result['lucy_first_frame_s']} s (median of "
          f"{len(result['lucy_runs_s'])}), bare Textual app: {result['bare_first_frame_s']} s, "
          f"ratio {result['ratio']}")
    print(json.dumps(result))
