"""LS Securities (LS증권, ex-eBest) OpenAPI: REST and realtime for domestic cash equities.

:mod:`.codes` holds the wire facts (paths, tr codes, per-TR limits, code tables, message codes and
texts, SC0–SC4 and S3_/K3_ field layouts) that the client and the simulator's LS front share.
It imports nothing that does I/O, so the simulator can use it without pulling in the client.
"""

__all__ = ["LsBroker", "LsSettings"]


def __getattr__(name: str):
    # Lazy, so that importing the shared wire facts (.codes) loads no client I/O libraries.
    if name == "LsBroker":
        from .client import LsBroker

        return LsBroker
    if name == "LsSettings":
        from .settings import LsSettings

        return LsSettings
    raise AttributeError(name)
