"""A trading session: the brokers of one profile, the engine over them, and how they connect.

Headless (no textual): the console drives it, and so do tests and benchmarks."""

from .spec import AccountSpec, BrokerSpec, SessionSpec
from .session import ConnectStep, TradingSession

__all__ = ["AccountSpec", "BrokerSpec", "ConnectStep", "SessionSpec", "TradingSession"]
