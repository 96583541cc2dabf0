"""The LS증권 (ex-eBest) protocol front of Lucy's simulator: REST and WebSocket on one port."""

from ...brokers.ls.codes import Domain
from .front import LsFront
from .options import REJECT_AS_SC4, REJECT_AT_REST, LsOptions

__all__ = ["Domain", "LsFront", "LsOptions", "REJECT_AS_SC4", "REJECT_AT_REST"]
