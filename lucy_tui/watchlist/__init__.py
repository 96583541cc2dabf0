"""Watchlists: named lists of symbols with tags and base prices, alerts on crossings, and a price
feed that fits the broker's realtime subscription limit (headless: no textual here)."""

from .alerts import Alert, AlertKind, AlertWatcher
from .feed import FeedPlan, PriceFeed, WatchQuote, plan_feed
from .model import DEFAULT_LISTS, Entry, Watchlist
from .store import WatchlistError, WatchlistStore

__all__ = ["Alert", "AlertKind", "AlertWatcher", "DEFAULT_LISTS", "Entry", "FeedPlan",
           "PriceFeed", "WatchQuote", "Watchlist", "WatchlistError", "WatchlistStore", "plan_feed"]
