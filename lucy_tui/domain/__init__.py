"""Pure domain: model types, KRX market rules, the order state machine.

Imports nothing from the other layers and does no I/O, so every layer (and the simulator) can
use it headless.
"""
