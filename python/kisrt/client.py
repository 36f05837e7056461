# SPDX-License-Identifier: Apache-2.0
"""The kisrt stream client: asyncio (``connect``) and callbacks (``Client``).

One WebSocket to ``kisrt --stream HOST:PORT`` (docs/stream.md). The client
remembers what it subscribed and requested; when the connection drops (a
gateway restart) it connects again with a growing pause and sends its
hello, subscriptions and requests again by itself.
"""
import asyncio
import json
import logging
import threading

import websockets

from .events import ErrorEvent, SlotEvent, from_json

log = logging.getLogger("kisrt")

__all__ = ["Gateway", "connect", "Client", "GatewayError"]


class GatewayError(Exception):
    """The gateway refused an op (its ``message``)."""


class Gateway:
    """An asyncio connection to the stream; use ``kisrt.connect``.

    ``async for ev in gw`` yields market events, slot events and error
    events in arrival order.
    """

    def __init__(self, url, name, token=None, ssl=None, reconnect=True,
                 max_queue=100_000, backoff=(0.1, 5.0)):
        self.url = url
        self.name = name
        self.token = token
        self.ssl = ssl
        self.reconnect = reconnect
        self.policy = None  # the hello answer: max_priority, max_slots
        self.connects = 0  # successful connects (1 + reconnects)
        self._subs = {}  # tr_id -> set of keys (empty set: every key)
        self._requests = {}  # (tr_id, key) -> priority
        self._queue = asyncio.Queue(max_queue)
        self._slot_callbacks = []
        self._slots_waiters = []
        self._ws = None
        self._task = None
        self._closed = False
        self._connected = asyncio.Event()
        self._backoff = backoff
        self._last_close = None

    # -- connection -----------------------------------------------------------

    async def _open(self):
        headers = {}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        ws = await websockets.connect(
            self.url, extra_headers=headers, ssl=self.ssl, max_size=1 << 24,
            open_timeout=10, ping_interval=20, ping_timeout=20)
        self._ws = ws
        await self._send({"op": "hello", "name": self.name})
        for tr_id, keys in self._subs.items():
            op = {"op": "subscribe", "tr_id": tr_id}
            if keys:
                op["keys"] = sorted(keys)
            await self._send(op)
        for (tr_id, key), prio in self._requests.items():
            await self._send({"op": "request", "tr_id": tr_id, "key": key,
                              "priority": prio})
        self.connects += 1
        self._connected.set()

    async def _send(self, obj):
        ws = self._ws
        if ws is None:
            return  # sent again on the next connect
        try:
            await ws.send(json.dumps(obj, separators=(",", ":")))
        except websockets.ConnectionClosed:
            pass  # the reader reconnects and sends the state again

    async def _run(self):
        pause = self._backoff[0]
        while not self._closed:
            if self._ws is None:
                try:
                    await self._open()
                    pause = self._backoff[0]
                except (OSError, asyncio.TimeoutError,
                        websockets.InvalidHandshake,
                        websockets.ConnectionClosed) as e:
                    log.info("kisrt: connect to %s failed: %s", self.url, e)
                    if not self.reconnect:
                        await self._queue.put(None)
                        return
                    await asyncio.sleep(pause)
                    pause = min(pause * 2, self._backoff[1])
                    continue
            try:
                async for text in self._ws:
                    self._dispatch(text)
            except websockets.ConnectionClosed:
                pass
            ws, self._ws = self._ws, None
            self._connected.clear()
            self._last_close = (ws.close_code, ws.close_reason)
            if self._closed:
                break
            log.info("kisrt: connection closed (%s %s)%s", ws.close_code,
                     ws.close_reason,
                     ", reconnecting" if self.reconnect else "")
            if not self.reconnect:
                break
            await asyncio.sleep(pause)
        await self._queue.put(None)  # ends `async for`

    def _dispatch(self, text):
        try:
            obj = json.loads(text)
        except ValueError:
            return
        if not isinstance(obj, dict):
            return
        kind = obj.get("event")
        if kind is None and "slots" in obj:  # the /slots document
            waiters, self._slots_waiters = self._slots_waiters, []
            for w in waiters:
                if not w.done():
                    w.set_result(obj)
            return
        if kind == "hello":
            self.policy = obj
            return
        ev = from_json(obj)
        if isinstance(ev, SlotEvent):
            for cb in list(self._slot_callbacks):
                cb(ev)
        if isinstance(ev, ErrorEvent):
            log.warning("kisrt: %s refused: %s", ev.op, ev.message)
        try:
            self._queue.put_nowait(ev)
        except asyncio.QueueFull:
            log.warning("kisrt: event queue full, event dropped")

    # -- the asyncio API ------------------------------------------------------

    async def start(self):
        self._task = asyncio.get_running_loop().create_task(self._run())
        done, _ = await asyncio.wait(
            [asyncio.ensure_future(self._connected.wait()), self._task],
            return_when=asyncio.FIRST_COMPLETED)
        if self._task in done and not self._connected.is_set():
            raise ConnectionError("cannot connect to " + self.url)
        return self

    async def close(self):
        self._closed = True
        if self._ws is not None:
            await self._ws.close()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, 5)
            except asyncio.TimeoutError:
                self._task.cancel()

    async def __aenter__(self):
        return await self.start()

    async def __aexit__(self, *exc):
        await self.close()

    def __aiter__(self):
        return self

    async def __anext__(self):
        ev = await self._queue.get()
        if ev is None:
            raise StopAsyncIteration
        return ev

    async def next_event(self, timeout=None):
        """The next event, or None once the stream has ended."""
        return await asyncio.wait_for(self._queue.get(), timeout)

    async def wait_connected(self, timeout=None):
        await asyncio.wait_for(self._connected.wait(), timeout)

    async def subscribe(self, tr_id, keys=None):
        """Events of ``tr_id`` for ``keys`` (None or []: every key)."""
        keys = list(keys or [])
        self._subs.setdefault(tr_id, set()).update(keys)
        op = {"op": "subscribe", "tr_id": tr_id}
        if keys:
            op["keys"] = keys
        await self._send(op)

    async def unsubscribe(self, tr_id, keys=None):
        keys = list(keys or [])
        if keys and tr_id in self._subs:
            self._subs[tr_id].difference_update(keys)
        if not keys or not self._subs.get(tr_id):
            self._subs.pop(tr_id, None)
        op = {"op": "unsubscribe", "tr_id": tr_id}
        if keys:
            op["keys"] = keys
        await self._send(op)

    async def request(self, tr_id, key, priority=3):
        """Asks the gateway for a KIS slot for (tr_id, key)."""
        self._requests[(tr_id, key)] = priority
        await self._send({"op": "request", "tr_id": tr_id, "key": key,
                          "priority": priority})

    async def release(self, tr_id=None, key=None):
        """Withdraws a request (no arguments: every request)."""
        if tr_id is None:
            self._requests.clear()
            await self._send({"op": "release"})
            return
        self._requests.pop((tr_id, key), None)
        await self._send({"op": "release", "tr_id": tr_id, "key": key})

    async def slots(self, timeout=10):
        """The gateway's ``/slots`` document (a dict)."""
        fut = asyncio.get_running_loop().create_future()
        self._slots_waiters.append(fut)
        await self._send({"op": "slots"})
        return await asyncio.wait_for(fut, timeout)

    def on_slot(self, callback):
        """Calls ``callback(SlotEvent)`` for every slot event."""
        self._slot_callbacks.append(callback)
        return callback


def connect(url, name, token=None, ssl=None, reconnect=True, **kw):
    """``async with kisrt.connect(url, name="alpha") as gw:``"""
    return Gateway(url, name, token=token, ssl=ssl, reconnect=reconnect, **kw)


class Client:
    """The callback shape::

        gw = kisrt.Client(url, name="alpha")
        gw.subscribe("H0STCNT0", ["005930"], on_trade)
        gw.run()      # until gw.close(), from a callback or another thread
    """

    def __init__(self, url, name="python", token=None, ssl=None,
                 reconnect=True):
        self._gw_args = dict(url=url, name=name, token=token, ssl=ssl,
                             reconnect=reconnect)
        self._callbacks = []  # (tr_id, keys or None, callback)
        self._slot_callbacks = []
        self._error_callbacks = []
        self._pending = []  # ops before run()
        self._loop = None
        self._gw = None
        self._stop = None
        self._lock = threading.Lock()

    @property
    def gateway(self):
        """The asyncio Gateway while run() runs, else None."""
        return self._gw

    def _call(self, coro_fn):
        with self._lock:
            if self._loop is None:
                self._pending.append(coro_fn)
                return
            loop = self._loop
        if _running_loop() is loop:
            loop.create_task(coro_fn(self._gw))
        else:
            asyncio.run_coroutine_threadsafe(coro_fn(self._gw), loop)

    def subscribe(self, tr_id, symbols=None, callback=None):
        """Calls ``callback(event)`` for events of ``tr_id`` and ``symbols``
        (None: every key)."""
        keys = set(symbols) if symbols else None
        if callback is not None:
            self._callbacks.append((tr_id, keys, callback))
        self._call(lambda gw: gw.subscribe(tr_id, list(symbols or [])))

    def unsubscribe(self, tr_id, symbols=None):
        self._callbacks = [c for c in self._callbacks if c[0] != tr_id
                           or (symbols and not c[1])]
        self._call(lambda gw: gw.unsubscribe(tr_id, list(symbols or [])))

    def request(self, tr_id, key, priority=3):
        self._call(lambda gw: gw.request(tr_id, key, priority))

    def release(self, tr_id=None, key=None):
        self._call(lambda gw: gw.release(tr_id, key))

    def on_slot(self, callback):
        self._slot_callbacks.append(callback)
        return callback

    def on_error(self, callback):
        self._error_callbacks.append(callback)
        return callback

    def run(self):
        """Runs until close(); callbacks run on this thread."""
        asyncio.run(self._main())

    def close(self):
        """Ends run(); safe from a callback or another thread."""
        with self._lock:
            loop, stop = self._loop, self._stop
            if loop is None:
                self._pending.clear()
                self._closed_early = True
                return
        if _running_loop() is loop:
            stop.set()
        else:
            loop.call_soon_threadsafe(stop.set)

    async def _main(self):
        gw = Gateway(**self._gw_args)
        gw.on_slot(lambda ev: [cb(ev) for cb in list(self._slot_callbacks)])
        self._stop = asyncio.Event()
        with self._lock:
            if getattr(self, "_closed_early", False):
                return
            self._gw = gw
            self._loop = asyncio.get_running_loop()
            pending, self._pending = self._pending, []
        for fn in pending:  # remembered by gw, sent once connected
            await fn(gw)
        await gw.start()
        reader = asyncio.get_running_loop().create_task(self._deliver(gw))
        stopper = asyncio.get_running_loop().create_task(self._stop.wait())
        await asyncio.wait([reader, stopper],
                           return_when=asyncio.FIRST_COMPLETED)
        await gw.close()
        for t in (reader, stopper):
            t.cancel()
        with self._lock:
            self._loop = None
            self._gw = None

    async def _deliver(self, gw):
        async for ev in gw:
            if isinstance(ev, SlotEvent):
                continue  # on_slot callbacks already ran
            if isinstance(ev, ErrorEvent):
                for cb in list(self._error_callbacks):
                    cb(ev)
                continue
            for tr_id, keys, cb in list(self._callbacks):
                if ev.tr_id == tr_id and (keys is None or ev.key in keys):
                    cb(ev)


def _running_loop():
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
