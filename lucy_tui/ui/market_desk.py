"""What the market and information screens need from the app: the watchlist store, the price
feed and base-price alerts (running from login on, whatever screen is shown), research data for
the stock detail, the IPO/theme sources and their scheduled jobs, and the messages those screens
post. A mixin of :class:`lucy_tui.ui.app.LucyApp`, kept apart so the app module stays about the
session, the event flow and the screens."""

from __future__ import annotations

import logging

log = logging.getLogger("lucy_tui.ui.app")


class MarketDesk:
    def watcher(self):
        if self._watcher is None:
            from ..watchlist import AlertWatcher

            self._watcher = AlertWatcher()
        return self._watcher

    async def _watch_levels(self) -> None:
        """Base prices raise alerts on every screen, not only while the watchlist is open:
        the symbols that carry levels are fed from login on."""
        store = self.watch_store()
        entries = [e for name in store.names for e in store.get(name).entries
                   if e.buy_below or e.sell_above]
        if not entries:
            return
        watcher, feed = self.watcher(), self.price_feed()
        watcher.watch(entries)
        feed.on_update = self._on_watch_quote
        feed.start()
        await feed.set_codes(sorted({e.code for e in entries}))

    def _on_watch_quote(self, quote) -> None:
        from .screens.market_intents import WatchAlert

        for alert in self.watcher().on_price(quote.code, quote.last, quote.time):
            inst = self.universe.get(alert.code)
            text = alert.describe(inst.name if inst else "")
            self.notify(text, title="기준가 알림", severity="warning", timeout=8)
            if self.config.ui.bell:
                self.bell()
            self.post_message(WatchAlert(alert, text))

    async def _refresh_masters(self):
        """The scheduled master job: LS's stock master (t8436) read again; KIS has no master
        TR (its instruments are asked per code, search-stock-info), so the engine forgets what
        it cached and asks again on next use."""
        from ..sources.scheduler import JobOutcome

        engine = self.session.engine
        parts = []
        for broker in list(engine.brokers.values()):
            refresh = getattr(broker, "refresh_master", None)
            if refresh is not None:
                parts.append(f"{broker.name}: {await refresh():,}종목")
        engine.forget_instruments()
        parts.append("instrument cache cleared")
        return JobOutcome(True, " · ".join(parts))

    def _start_sources(self) -> None:
        """IPO calendar, theme snapshots and the scheduled jobs (token refresh among them);
        in demo mode they read the simulator's copies of the sites."""
        from ..sources.bundle import build
        from ..sources.token_refresh import token_job

        engine = self.session.engine
        pages = self.sim.urls.get("pages") if self.sim is not None else None
        directory = self.spec.journal_dir.parent / "sources" if self.demo else None
        try:
            self.sources = build(self.config.schedule, pages=pages, directory=directory,
                                 clock=self.clock, master_refresh=self._refresh_masters,
                                 token_refresh=token_job(lambda: engine.brokers.values(),
                                                         clock=self.clock))
            self.sources.registry.start()
        except Exception as exc:     # the console works without them; say why they are off
            log.exception("sources")
            self.notify(f"공모주·테마 일정 시작 실패: {exc}", severity="warning")
            self.sources = None
            return
        if pages:
            # The demo sites are local and instant: fill the screens now, not at 07:30.
            self.run_intent(self.sources.refresh_ipo(), None, "공모주 일정")
            self.run_intent(self.sources.refresh_themes(), None, "테마")

    # ------------------------------------------------------------ market screens' needs

    def _trading_kis(self):
        return self.session.engine.brokers.get("kis") if self.session else None

    def watch_store(self):
        from ..watchlist import DEFAULT_LISTS, WatchlistError, WatchlistStore

        if self._watch_store is None:
            self._watch_store = WatchlistStore(profile=self.spec.profile)
        store = self._watch_store
        # The holdings list (보유) follows the accounts: what is held is on it.
        held = sorted({p.code for v in self.desk.accounts() for p in v.positions if p.qty})
        listed = {e.code for e in store.get(DEFAULT_LISTS[0]).entries}
        for code in held:
            if code not in listed:
                try:
                    store.add(DEFAULT_LISTS[0], code)
                except WatchlistError:
                    pass
        return store

    def price_feed(self):
        """Watchlist prices: realtime within the broker's registrations (one is the order
        notices'), paced REST quotes for the rest."""
        if self._feed is None:
            from ..watchlist import PriceFeed

            broker = self._trading_kis() or next(iter(self.session.engine.brokers.values()))
            self._feed = PriceFeed(broker, reserved=1 if broker.name == "kis" else 0)
        return self._feed

    def research(self):
        """Charts, statements, flows and opinions come from KIS. The demo asks the simulator's
        real-domain front (the mock domain, like KIS's own, serves no statements or opinions);
        it is only ever asked for market data."""
        if self._research is None:
            if self.demo and self.sim is not None:
                from ..session.demo import research_broker

                self._research = research_broker(self.sim, self.spec, self.clock)
            else:
                self._research = self._trading_kis()
        return self._research

    def on_open_ticket(self, message) -> None:
        if self.session is not None:
            self.action_show_screen("trade")
            self.get_screen("trade").entry.open_ticket(message.side.value, code=message.code,
                                                       price=message.price)

    def on_open_detail(self, message) -> None:
        research = self.research() if self.session is not None else None
        if research is None:
            self.notify("종목 상세는 KIS 세션이 필요합니다 — stock detail needs a KIS session",
                        severity="warning")
            return
        from .screens.stock_detail import StockDetailScreen

        self._push_with_header(StockDetailScreen(message.code, research,
                                                 instrument=self.universe.get(message.code)))

    def on_add_to_watchlist(self, message) -> None:
        from ..watchlist import WatchlistError

        store = self.watch_store()
        name = message.list_name or store.names[min(1, len(store.names) - 1)]
        try:
            store.add(name, message.code)
        except WatchlistError as exc:
            self.notify(str(exc), severity="warning")
            return
        self.notify(f"관심종목 '{name}'에 {message.code} 추가")

    def on_watch_alert(self, message) -> None:
        """A base price crossed (the toast and the bell came with it): a line on the tape."""
        from .tape_model import TapeEntry

        trade = self.get_screen("trade") if self.session else None
        if trade is not None and trade.is_mounted:
            from .widgets.tape import FillTape

            alert = message.alert
            trade.query_one(FillTape).append([TapeEntry(
                time=self.clock.now(), kind="alert", code=getattr(alert, "code", ""),
                text=message.text)])

