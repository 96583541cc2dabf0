"""Parser benchmark: ``python tests/bench/parse.py [ROUNDS]``.

Parse time per page (median of ROUNDS, default 200) for each page kind the scrapers read:
the real 30-row 38.co.kr schedule capture (tests/fixtures/html/38/o-k_schedule-table_2024-11.html)
from cp949 bytes, as fetched (decode included) and from text; a full simulator detail page;
a simulator new-listings page; the judal theme list and a 7-stock theme page (2026-10 markup).
Target: ≤ 5 ms for the 30-row schedule page (issue 7).

The last line printed is one JSON object (key ``schedule_page_ms``). Not collected by pytest.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from lucy_tui.sim import ipo_demo  # noqa: E402
from lucy_tui.sim.pages import PagesFront  # noqa: E402
from lucy_tui.sources import ipo38, judal  # noqa: E402


def median_ms(fn, rounds: int) -> float:
    fn()   # warm-up
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    schedule_text = (ROOT / "tests/fixtures/html/38/o-k_schedule-table_2024-11.html").read_text()
    schedule_bytes = schedule_text.replace("\u00a0", "&nbsp;").encode("cp949")
    rows = ipo38.parse_schedule(schedule_text)
    assert len(rows) == 30, len(rows)
    day = date(2026, 12, 2)
    pages = PagesFront()
    pages.offerings = lambda today: ipo_demo.offerings(day)
    detail = pages.detail_page(2124)
    listings = pages.listings_page(1)
    themes = ipo_demo.themes(day)
    theme_list = pages.theme_list_page(themes)
    stock_page = pages.stock_page(themes[0])
    results = {
        "schedule_page_ms": median_ms(lambda: ipo38.parse_schedule(ipo38.decode(schedule_bytes)), rounds),
        "schedule_text_ms": median_ms(lambda: ipo38.parse_schedule(schedule_text), rounds),
        "detail_page_ms": median_ms(lambda: ipo38.parse_detail(detail), rounds),
        "listings_page_ms": median_ms(lambda: ipo38.parse_listings(listings), rounds),
        "judal_theme_list_ms": median_ms(lambda: judal.parse_themes(theme_list), rounds),
        "judal_stock_page_ms": median_ms(lambda: judal.parse_theme_stocks(stock_page), rounds),
    }
    for name, ms in results.items():
        print(f"{name:<22} {ms:7.3f} ms")
    print(f"schedule page: {len(rows)} rows, {len(schedule_bytes):,} bytes; target ≤ 5 ms: "
          f"{'met' if results['schedule_page_ms'] <= 5 else 'MISSED'}")
    print(json.dumps({"rows": len(rows), "rounds": rounds,
                      **{k: round(v, 3) for k, v in results.items()}}))


if __name__ == "__main__":
    main()
