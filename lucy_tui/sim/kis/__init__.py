"""The KIS (한국투자증권) protocol front of Lucy's simulator: REST and WebSocket on one port."""

from ...brokers.kis.codes import Domain
from .front import KisFront, KisOptions

__all__ = ["Domain", "KisFront", "KisOptions"]
