"""A trading session: the brokers of one profile, the engine over them, and how they connect.

Headless (no textual): the console drives it, and so do tests and benchmarks."""

from .spec import FundAccount, BrokerSpec, SessionSpec
from .session import ConnectStep, TradingSession

__all__ = ["FundAccount", "BrokerSpec", "ConnectStep", "SessionSpec", "TradingSession"]
