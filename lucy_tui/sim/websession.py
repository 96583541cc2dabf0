"""What the simulated brokers' websocket fronts share: a session per socket with its own send
queue and writer (so a slow client never blocks the exchange), the aiohttp handler that reads
text frames, batched flushes on the event loop, and the faults (malformed frames, dropped or
closed sockets). What a frame says is each broker's (sim/kis/realtime.py, sim/ls/realtime.py).
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import WSMsgType, web


class WsSession:
    def __init__(self, ws: web.WebSocketResponse, request: web.Request):
        self.ws = ws
        self.request = request
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        self.closed = False
        self.tasks: list[asyncio.Task] = []

    def send(self, text: str) -> None:
        if not self.closed:
            self.queue.put_nowait(text)

    def abort(self) -> None:
        """Cut the connection without a close frame, as a network fault (or the broker) does."""
        self.closed = True
        transport = self.request.transport
        if transport is not None:
            transport.abort()
        self.queue.put_nowait(None)


class WsHub:
    #: Names the front in the answer to a plain HTTP request.
    label = ""
    #: Whether aiohttp answers client pings itself.
    autoping = True
    session_type: type[WsSession] = WsSession

    def __init__(self, front: Any):
        self.front = front
        self.sessions: list[Any] = []
        self._dirty_books: set[str] = set()
        self._flush_scheduled = False
        self._loop: asyncio.AbstractEventLoop | None = None

    # ------------------------------------------------------------ connection

    async def handle(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(autoping=self.autoping, heartbeat=None, max_msg_size=1 << 20)
        if not ws.can_prepare(request).ok:
            return web.Response(status=404,
                                text=f"{self.label} realtime: connect with a WebSocket client\n")
        self._loop = asyncio.get_running_loop()
        await ws.prepare(request)
        session = self.session_type(ws, request)
        self.sessions.append(session)
        session.tasks = self._tasks(session)
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    self._on_text(session, msg.data)
                elif msg.type == WSMsgType.ERROR:
                    break
                else:
                    await self._on_control(session, msg)
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            self._forget(session)
        return ws

    def _tasks(self, session: Any) -> list[asyncio.Task]:
        """What runs beside the reader for one session."""
        return [asyncio.create_task(self._writer(session))]

    async def _on_control(self, session: Any, msg: Any) -> None:
        """A frame that is neither text nor an error (ping, pong, binary): ignored."""

    def _on_text(self, session: Any, text: str) -> None:
        raise NotImplementedError

    def _forget(self, session: Any) -> None:
        session.closed = True
        session.queue.put_nowait(None)
        for task in session.tasks:
            if task is not asyncio.current_task():
                task.cancel()
        if session in self.sessions:
            self.sessions.remove(session)

    async def _writer(self, session: Any) -> None:
        try:
            while True:
                text = await session.queue.get()
                if text is None or session.ws.closed:
                    return
                await session.ws.send_str(text)
        except (ConnectionResetError, RuntimeError, asyncio.CancelledError):
            return

    # ------------------------------------------------------------ data

    def _send_data(self, session: Any, text: str) -> None:
        if self.front.faults.take_malformed(self.front.name):
            session.send(self._malformed(session))
        session.send(text)

    def _schedule(self) -> None:
        """Flush on the next turn of the loop: a burst of changes goes out together."""
        if self._flush_scheduled:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = self._loop
        if loop is None or loop.is_closed():
            return
        self._flush_scheduled = True
        loop.call_soon(self.flush)

    def flush(self) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------ faults

    def _malformed(self, session: Any) -> str:
        """A frame a robust client must survive."""
        raise NotImplementedError

    def send_malformed(self) -> int:
        sent = 0
        for session in list(self.sessions):
            if not session.closed and self.front.faults.take_malformed(self.front.name):
                session.send(self._malformed(session))
                sent += 1
        return sent

    def drop_all(self, clean: bool = False) -> int:
        live = [s for s in self.sessions if not s.closed]
        for session in live:
            if clean:
                session.closed = True
                session.queue.put_nowait(None)
                asyncio.ensure_future(session.ws.close(code=1001, message=b"going away"))
            else:
                session.abort()
        return len(live)

    async def close(self) -> None:
        for session in list(self.sessions):
            session.closed = True
            session.queue.put_nowait(None)
            try:
                await asyncio.wait_for(session.ws.close(code=1001, message=b"server shutdown"), 1.0)
            except (asyncio.TimeoutError, ConnectionResetError, RuntimeError):
                session.abort()
