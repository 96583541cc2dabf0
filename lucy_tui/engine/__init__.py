"""The engine: one per app. Holds the broker sessions of a profile, the day's order book, routing
and allocation, pre-trade checks, the journal and reconciliation; publishes one event stream."""

from .allocation import Leg, Plan, split_quantity
from .engine import Engine, PlaceOrder, Placement
from .events import (
    BalanceChanged, BrokerStatusChanged, EngineError, EngineEvent, FillReceived, OrderUpdated,
    ParentUpdated, PositionChanged,
)
from .journal import JournalError
from .risk import RiskLimits

__all__ = [
    "BalanceChanged", "BrokerStatusChanged", "Engine", "EngineError", "EngineEvent",
    "FillReceived", "JournalError", "Leg", "OrderUpdated", "ParentUpdated", "PlaceOrder",
    "Placement", "Plan", "PositionChanged", "RiskLimits", "split_quantity",
]
