"""The simulators' fault switchboard: what reliability tests use to make a broker misbehave.

Broker-neutral: it knows fronts only by name ("kis", "ls", ...) and requests only by path and a
free-form ``key`` (the KIS tr_id, the LS tr_cd). Each front consults it on every request and frame
and answers in its own broker's words (KIS ``EGW00201``, LS ``IGW00201``).

Two kinds of fault:

* *armed* faults wait for the next matching requests: answer N requests with the broker's
  rate-limit error, stall N responses for some seconds (or until the client gives up), send a
  malformed frame before the next data frame;
* *immediate* faults act now through hooks each front registers: drop every websocket session,
  expire or invalidate every token.

Tests drive it in-process (``server.faults.rate_limit(3)``) or, from another process, over HTTP on
the private path ``/__sim/faults`` that every front serves (see :func:`apply_command`).
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: The private path every front serves for remote control.
FAULTS_PATH = "/__sim/faults"

#: ``stall(None)``: hold the response until the client goes away or the server stops.
FOREVER = math.inf

HOOKS = ("drop_websockets", "expire_tokens", "invalidate_tokens", "send_malformed")


@dataclass
class _Armed:
    kind: str                  # "rate_limit" | "stall"
    remaining: int
    front: str | None = None
    path: str | None = None
    key: str | None = None
    seconds: float = 0.0

    def matches(self, front: str, path: str, key: str | None) -> bool:
        return ((self.front is None or self.front == front)
                and (self.path is None or self.path == path)
                and (self.key is None or self.key == key))

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "remaining": self.remaining}
        for name in ("front", "path", "key"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        if self.kind == "stall":
            out["seconds"] = None if self.seconds == FOREVER else self.seconds
        return out


@dataclass
class _Front:
    hooks: dict[str, Callable[..., int]] = field(default_factory=dict)
    malformed: int = 0


class Faults:
    def __init__(self) -> None:
        self._armed: list[_Armed] = []
        self._fronts: dict[str, _Front] = {}
        self._released: asyncio.Event | None = None
        self.log: list[dict[str, Any]] = []

    # ------------------------------------------------------------ fronts register themselves

    def register(self, front: str, **hooks: Callable[..., int]) -> None:
        """A front names the callables that carry out immediate faults (see :data:`HOOKS`)."""
        unknown = set(hooks) - set(HOOKS)
        if unknown:
            raise ValueError(f"unknown fault hooks {sorted(unknown)}")
        self._fronts.setdefault(front, _Front()).hooks.update(hooks)

    @property
    def fronts(self) -> list[str]:
        return sorted(self._fronts)

    # ------------------------------------------------------------ armed faults (tests call these)

    def rate_limit(self, count: int = 1, *, front: str | None = None, path: str | None = None,
                   key: str | None = None) -> None:
        """Answer the next ``count`` matching requests with the broker's rate-limit error."""
        self._arm(_Armed("rate_limit", count, front, path, key))

    def stall(self, seconds: float | None, *, count: int = 1, front: str | None = None,
              path: str | None = None, key: str | None = None) -> None:
        """Hold the next ``count`` matching responses ``seconds`` (None: until the client gives up).

        A stalled request is still carried out afterwards, as a slow broker would: an order
        whose answer never came may well be working.
        """
        wait = FOREVER if seconds is None else float(seconds)
        if wait < 0:
            raise ValueError("a stall cannot be negative")
        self._arm(_Armed("stall", count, front, path, key, wait))

    def _arm(self, rule: _Armed) -> None:
        if rule.remaining < 1:
            raise ValueError("count must be at least 1")
        self._armed.append(rule)
        self.log.append({"armed": rule.describe()})

    def malformed_frame(self, count: int = 1, *, front: str | None = None) -> int:
        """Send ``count`` malformed frames: now to live sessions, else before the next data frames.

        Returns how many went out at once.
        """
        if count < 1:
            raise ValueError("count must be at least 1")
        names = self._names(front)
        sent = 0
        for name in names:
            self._fronts[name].malformed += count
        for name in names:
            hook = self._fronts[name].hooks.get("send_malformed")
            if hook:
                sent += hook()
        self.log.append({"malformed_frame": count, "front": front, "sent_now": sent})
        return sent

    def reset(self) -> None:
        """Disarm everything and release stalled responses."""
        self._armed.clear()
        for state in self._fronts.values():
            state.malformed = 0
        self.release_stalls()

    # ------------------------------------------------------------ immediate faults

    def drop_websockets(self, *, front: str | None = None, clean: bool = False) -> int:
        """Close every live websocket session now; ``clean`` sends a close frame, else the TCP
        connection is cut as a network fault would. Returns how many sessions were dropped."""
        return self._fire("drop_websockets", front, clean=clean)

    def expire_tokens(self, *, front: str | None = None) -> int:
        """Every live token is past its expiry from now on (KIS: EGW00123)."""
        return self._fire("expire_tokens", front)

    def invalidate_tokens(self, *, front: str | None = None, sticky: bool = False) -> int:
        """Every live token becomes invalid (KIS: EGW00121), as after broker maintenance.

        ``sticky``: the token endpoint keeps handing out the invalidated token while its reuse
        window lasts (the anecdote in kis.md §2.1); otherwise a re-issue mints a new one.
        """
        return self._fire("invalidate_tokens", front, sticky=sticky)

    def _fire(self, hook: str, front: str | None, **kwargs: Any) -> int:
        total = 0
        for name in self._names(front):
            fn = self._fronts[name].hooks.get(hook)
            if fn:
                total += fn(**kwargs)
        self.log.append({hook: total, "front": front, **kwargs})
        return total

    def _names(self, front: str | None) -> list[str]:
        if front is None:
            return list(self._fronts)
        if front not in self._fronts:
            raise ValueError(f"no front named {front!r} (have {self.fronts})")
        return [front]

    # ------------------------------------------------------------ fronts consult these

    def take_rate_limit(self, front: str, path: str, key: str | None = None) -> bool:
        return self._take("rate_limit", front, path, key) is not None

    def take_stall(self, front: str, path: str, key: str | None = None) -> float | None:
        """Seconds to hold this response (``FOREVER`` possible), or None for no stall."""
        rule = self._take("stall", front, path, key)
        return None if rule is None else rule.seconds

    def take_malformed(self, front: str) -> bool:
        state = self._fronts.get(front)
        if state is None or state.malformed <= 0:
            return False
        state.malformed -= 1
        return True

    def _take(self, kind: str, front: str, path: str, key: str | None) -> _Armed | None:
        for rule in self._armed:
            if rule.kind == kind and rule.matches(front, path, key):
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self._armed.remove(rule)
                return rule
        return None

    async def hold(self, seconds: float) -> bool:
        """Sleep for a stall; returns False when released early (server stopping, reset)."""
        if self._released is None:
            self._released = asyncio.Event()
        released = self._released
        try:
            if seconds == FOREVER:
                await released.wait()
            else:
                await asyncio.wait_for(released.wait(), seconds)
            return False
        except asyncio.TimeoutError:
            return True

    def release_stalls(self) -> None:
        if self._released is not None:
            self._released.set()
            self._released = None

    # ------------------------------------------------------------ state and remote control

    def state(self) -> dict[str, Any]:
        return {
            "armed": [rule.describe() for rule in self._armed],
            "malformed": {name: st.malformed for name, st in self._fronts.items() if st.malformed},
            "fronts": self.fronts,
        }

    def apply_command(self, command: dict[str, Any]) -> dict[str, Any]:
        """Carry out one JSON command, as POSTed to :data:`FAULTS_PATH`.

        ``{"action": "rate_limit", "count": 3, "path": "...", "key": "VTTC0012U"}``,
        ``{"action": "stall", "seconds": 5 | null, "count": 1, ...}``,
        ``{"action": "drop_websockets", "clean": false}``, ``{"action": "expire_tokens"}``,
        ``{"action": "invalidate_tokens", "sticky": false}``, ``{"action": "malformed_frame",
        "count": 1}``, ``{"action": "reset"}``; each may carry ``"front"``. Answers with the
        state and, for immediate faults, ``"affected"``.
        """
        if not isinstance(command, dict):
            raise ValueError("a fault command is a JSON object")
        action = command.get("action")
        front = command.get("front")
        scope = {k: command[k] for k in ("front", "path", "key") if command.get(k) is not None}
        count = int(command.get("count", 1))
        affected: int | None = None
        if action == "rate_limit":
            self.rate_limit(count, **scope)
        elif action == "stall":
            self.stall(command.get("seconds"), count=count, **scope)
        elif action == "drop_websockets":
            affected = self.drop_websockets(front=front, clean=bool(command.get("clean", False)))
        elif action == "expire_tokens":
            affected = self.expire_tokens(front=front)
        elif action == "invalidate_tokens":
            affected = self.invalidate_tokens(front=front, sticky=bool(command.get("sticky", False)))
        elif action == "malformed_frame":
            affected = self.malformed_frame(count, front=front)
        elif action == "reset":
            self.reset()
        else:
            raise ValueError(f"unknown fault action {action!r}; one of rate_limit, stall, "
                             "drop_websockets, expire_tokens, invalidate_tokens, malformed_frame, reset")
        out = self.state()
        if affected is not None:
            out["affected"] = affected
        return out


def add_routes(app: Any, faults: Faults) -> None:
    """Serve :data:`FAULTS_PATH` on an aiohttp application: GET state, POST a command."""
    from aiohttp import web

    async def get_state(request: web.Request) -> web.Response:
        return web.json_response(faults.state())

    async def post_command(request: web.Request) -> web.Response:
        try:
            command = await request.json()
            return web.json_response(faults.apply_command(command))
        except (ValueError, TypeError) as exc:
            return web.json_response({"error": str(exc)}, status=400)

    app.router.add_get(FAULTS_PATH, get_state)
    app.router.add_post(FAULTS_PATH, post_command)
