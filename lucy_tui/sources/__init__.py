"""Data from outside the brokers: the IPO calendar and theme-stock snapshots, and the scheduler
that refreshes them (specs/sources.md).

- :mod:`.ipo38`, :mod:`.judal`: page parsers (selectolax), pure and synchronous;
- :mod:`.text`: cell text → int won, Decimal ratios, dates; :mod:`.models`: the records;
- :mod:`.fetch`: polite HTTP (browser headers, pacing, retries, robots.txt);
- :mod:`.ipo_kis`: 38.co.kr merged with KIS's official dates (brokers/kis/pub_offer.py);
- :mod:`.jobs`: the refresh jobs; :mod:`.store`: where their results live;
- :mod:`.scheduler`: the job registry on APScheduler; :mod:`.token_refresh`: the token job;
- :mod:`.master`: reading KIS master files from disk; :mod:`.cli`: ``lucy ipo``;
- :mod:`.bundle`: `build(schedule, pages=...)` — stores, sources and registry in one call.

Nothing here imports textual: the screens in ``lucy_tui/ui/screens`` render these objects.
"""
