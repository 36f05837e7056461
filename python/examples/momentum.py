#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A small strategy on the kisrt stream: asks for a slot for each symbol,
follows its trades and prints a signal when the price moves more than a
threshold from its 20-trade average. Stops with Ctrl-C.

usage: momentum.py ws://127.0.0.1:PORT [SYMBOL...]
(start the gateway with `kisrt --sim --stream 127.0.0.1:0`)
"""
import asyncio
import collections
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import kisrt  # noqa: E402

WINDOW = 20
THRESHOLD = 0.002  # 0.2 %


async def main(url, symbols):
    prices = {s: collections.deque(maxlen=WINDOW) for s in symbols}
    async with kisrt.connect(url, name="momentum") as gw:
        gw.on_slot(lambda ev: print("slot", ev.key, ev.state, ev.reason))
        await gw.subscribe("H0STCNT0", symbols)
        for s in symbols:
            await gw.request("H0STCNT0", s, priority=3)
        async for ev in gw:
            if ev.event == "error":
                print("refused:", ev.op, ev.message)
            if ev.event != "trade":
                continue
            window = prices[ev.key]
            if len(window) == WINDOW:
                mean = sum(window) / WINDOW
                move = (ev.data.price - mean) / mean
                if abs(move) > THRESHOLD:
                    side = "BUY" if move > 0 else "SELL"
                    print(f"{ev.data.time} {ev.key} {side} at "
                          f"{ev.data.price} ({move:+.2%} from {mean:.0f})")
            window.append(ev.data.price)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    try:
        asyncio.run(main(sys.argv[1], sys.argv[2:] or ["005930", "000660"]))
    except KeyboardInterrupt:
        pass
