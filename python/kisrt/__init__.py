# SPDX-License-Identifier: Apache-2.0
"""kisrt: market data from a kisrt gateway's WebSocket stream.

    import kisrt

    async with kisrt.connect("ws://127.0.0.1:8765", name="alpha") as gw:
        await gw.subscribe("H0STCNT0", ["005930"])
        async for ev in gw:
            print(ev.event, ev.key, ev.data.price)

Pure Python 3.11; needs only the ``websockets`` package (Debian:
python3-websockets). Protocol: docs/stream.md.
"""
from .client import Client, Gateway, GatewayError, connect
from .events import (Book, ErrorEvent, Event, Expected, Notice, OverseasBook,
                     OverseasNotice, OverseasTrade, Program, RECORDS,
                     SlotEvent, Status, Trade, from_json)

__version__ = "0.1.0"

__all__ = [
    "connect", "Client", "Gateway", "GatewayError", "Event", "SlotEvent",
    "ErrorEvent", "Trade", "Book", "Notice", "Program", "Expected", "Status",
    "OverseasTrade", "OverseasBook", "OverseasNotice", "RECORDS", "from_json",
]
