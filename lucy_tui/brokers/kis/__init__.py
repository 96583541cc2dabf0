"""Korea Investment & Securities (한국투자증권) Open API: REST over httpx, realtime over websockets.

:class:`KisBroker` is the session the engine holds; :class:`KisSettings` says which environment,
host and key it uses. :mod:`.codes` holds the wire facts (tr ids, order codes, messages) that the
client and the simulator's KIS front share; importing it must not pull in the client's I/O
libraries, so the two names below load on first use.
"""

__all__ = ["KisBroker", "KisSettings"]


def __getattr__(name: str):
    if name == "KisBroker":
        from .client import KisBroker

        return KisBroker
    if name == "KisSettings":
        from .settings import KisSettings

        return KisSettings
    raise AttributeError(name)
