# SPDX-License-Identifier: Apache-2.0
"""The kisrt package against a real gateway (`kisrt --sim --stream`)."""
import asyncio
import threading

import kisrt

PATIENCE = 30  # seconds for anything the simulator sends


async def first(gw, pred, timeout=PATIENCE):
    """The first event of `gw` for which `pred` is true."""
    async def scan():
        async for ev in gw:
            if pred(ev):
                return ev
        raise AssertionError("the stream ended")
    return await asyncio.wait_for(scan(), timeout)


def test_events_arrive_typed_with_top_level_fields(gateway):
    async def main():
        async with kisrt.connect(gateway.url, name="alpha") as gw:
            await gw.subscribe("H0STCNT0", ["005930"])
            ev = await first(gw, lambda e: e.event == "trade")
            assert ev.tr_id == "H0STCNT0"
            assert ev.key == "005930"
            assert isinstance(ev.session, int)
            assert isinstance(ev.data, kisrt.Trade)
            assert ev.data.symbol == "005930"
            assert ev.data.price > 0
            assert gw.policy["owner"] == "stream:alpha"
    asyncio.run(main())


def test_callbacks_run_and_close_ends_run(gateway):
    got = []
    gw = kisrt.Client(gateway.url, name="beta")

    def on_trade(ev):
        got.append(ev)
        gw.close()

    gw.subscribe("H0STCNT0", ["005930"], on_trade)
    timer = threading.Timer(PATIENCE, gw.close)  # a hung test still ends
    timer.start()
    gw.run()
    timer.cancel()
    assert got, "no callback ran"
    assert got[0].event == "trade" and got[0].key == "005930"


def test_slot_events_arrive_for_a_request(gateway):
    async def main():
        async with kisrt.connect(gateway.url, name="gamma") as gw:
            seen = []
            gw.on_slot(seen.append)
            await gw.request("H0STASP0", "000660", priority=3)
            ev = await first(gw, lambda e: e.event == "slot"
                             and e.key == "000660"
                             and e.state in ("granted", "active"))
            assert isinstance(ev, kisrt.SlotEvent)
            assert ev.tr_id == "H0STASP0" and ev.priority == 3
            assert seen and seen[0].key == "000660"
            doc = await gw.slots()
            assert any(s["tr_key"] == "000660" and "stream:gamma" in s["owners"]
                       for s in doc["slots"]), doc
            await gw.release("H0STASP0", "000660")
            await first(gw, lambda e: e.event == "slot"
                        and e.key == "000660" and e.state == "evicted")
    asyncio.run(main())


def test_a_request_past_the_policy_is_refused_with_the_reason(gateway):
    async def main():
        async with kisrt.connect(gateway.url, name="delta") as gw:
            await gw.request("H0STCNT0", "005930", priority=1)
            ev = await first(gw, lambda e: e.event == "error")
            assert isinstance(ev, kisrt.ErrorEvent)
            assert ev.op == "request"
            assert "may ask for priority 2 to 255, not 1" in ev.message
    asyncio.run(main())


def test_reconnects_and_resubscribes_after_a_gateway_restart(gateway):
    async def main():
        async with kisrt.connect(gateway.url, name="epsilon",
                                 backoff=(0.05, 0.5)) as gw:
            await gw.subscribe("H0STCNT0", ["005930"])
            await first(gw, lambda e: e.event == "trade")
            assert gw.connects == 1
            await asyncio.get_running_loop().run_in_executor(
                None, gateway.restart)
            # Events of the new gateway: only a resubscribed client gets them.
            await asyncio.wait_for(_until(lambda: gw.connects == 2), PATIENCE)
            while not gw._queue.empty():  # what the old gateway sent
                gw._queue.get_nowait()
            ev = await first(gw, lambda e: e.event == "trade")
            assert ev.key == "005930"
            assert gw.connects == 2
    asyncio.run(main())


async def _until(pred):
    while not pred():
        await asyncio.sleep(0.05)
