# SPDX-License-Identifier: Apache-2.0
"""Event objects of the kisrt stream (docs/stream.md).

Every object carries the JSON object's top-level fields as attributes
(``ev.event``, ``ev.session``, ``ev.tr_id``, ``ev.key``; ``ev.seq`` for a
journaled notice). Typed TRs get a dataclass as ``ev.data``; every other
TR (``"event": "fields"``) a dict of its fields by name.
"""
from dataclasses import dataclass, field, make_dataclass
from typing import Any, Dict, Optional

# Field names of each typed record, in the order the gateway writes them
# (actors/event_json.cpp).
_RECORD_FIELDS = {
    "trade": ["symbol", "time", "date", "price", "sign", "change",
              "change_rate", "open", "high", "low", "ask1", "bid1", "volume",
              "cum_volume", "cum_value", "cls", "halted"],
    "book": ["symbol", "time", "hour_cls", "asks", "bids", "total_ask_qty",
             "total_bid_qty", "expected_price", "expected_qty", "cum_volume"],
    "notice": ["customer_id", "account", "order_no", "orig_order_no",
               "order_side", "kind", "rejected", "accepted", "symbol",
               "fill_qty", "fill_price", "order_qty", "order_price", "time",
               "name", "exchange", "correction"],
    "program": ["symbol", "time", "sell_qty", "sell_value", "buy_qty",
                "buy_value", "net_qty", "net_value", "sell_rsqn", "buy_rsqn",
                "whole_net_qty"],
    "expected": ["symbol", "time", "price", "sign", "change", "change_rate",
                 "volume", "cum_volume"],
    "status": ["symbol", "halted", "suspension_reason", "op_code",
               "expected_op_code", "treatment_code", "vi_code",
               "overtime_vi_code", "exchange_code"],
    "overseas_trade": ["rsym", "symbol", "decimals", "local_date",
                       "local_time", "kr_date", "kr_time", "open", "high",
                       "low", "last", "sign", "change", "change_rate", "bid",
                       "ask", "bid_qty", "ask_qty", "volume", "cum_volume",
                       "cum_value"],
    "overseas_book": ["rsym", "symbol", "decimals", "local_date",
                      "local_time", "kr_date", "kr_time", "total_bid_qty",
                      "total_ask_qty", "total_bid_change", "total_ask_change",
                      "level_count", "levels"],
    "overseas_notice": ["customer_id", "account", "order_no",
                        "orig_order_no", "order_side", "kind", "rejected",
                        "accepted", "symbol", "fill_qty", "fill_price",
                        "order_qty", "time", "name"],
}


def _record_class(event, names):
    cls_name = "".join(p.capitalize() for p in event.split("_"))
    return make_dataclass(
        cls_name, [(n, Any, field(default=None)) for n in names])


#: The dataclass of each typed record, by the event's name: ``Trade``,
#: ``Book``, ``Notice``, ``Program``, ``Expected``, ``Status``,
#: ``OverseasTrade``, ``OverseasBook``, ``OverseasNotice``.
RECORDS = {e: _record_class(e, n) for e, n in _RECORD_FIELDS.items()}
Trade = RECORDS["trade"]
Book = RECORDS["book"]
Notice = RECORDS["notice"]
Program = RECORDS["program"]
Expected = RECORDS["expected"]
Status = RECORDS["status"]
OverseasTrade = RECORDS["overseas_trade"]
OverseasBook = RECORDS["overseas_book"]
OverseasNotice = RECORDS["overseas_notice"]


class _TopLevel:
    """Top-level JSON fields beyond the declared ones as attributes."""

    def __getattr__(self, name):
        extra = self.__dict__.get("extra")
        if extra is not None and name in extra:
            return extra[name]
        raise AttributeError(name)


@dataclass
class Event(_TopLevel):
    """A market event: ``data`` is the typed record's dataclass, or a dict
    of fields by name for a TR without one (``event == "fields"``)."""
    event: str
    session: Optional[int]
    tr_id: str
    key: str
    data: Any
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class SlotEvent(_TopLevel):
    """What the gateway decided about a slot (docs/operations.md)."""
    event: str
    session: Optional[int]
    tr_id: str
    key: str
    priority: int
    state: str
    msg_cd: str
    reason: str
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class ErrorEvent(_TopLevel):
    """A bad or refused op: which op and why."""
    event: str
    op: str
    message: str
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


_DECLARED = {
    Event: ("event", "session", "tr_id", "key", "data"),
    SlotEvent: ("event", "session", "tr_id", "key", "priority", "state",
                "msg_cd", "reason"),
    ErrorEvent: ("event", "op", "message"),
}


def _build(cls, obj):
    names = _DECLARED[cls]
    args = {n: obj.get(n) for n in names}
    extra = {k: v for k, v in obj.items() if k not in names}
    return cls(**args, extra=extra)


def from_json(obj):
    """The event object of one decoded JSON object of the stream."""
    kind = obj.get("event")
    if kind == "slot":
        return _build(SlotEvent, obj)
    if kind == "error":
        return _build(ErrorEvent, obj)
    ev = _build(Event, obj)
    rec = RECORDS.get(kind)
    if rec is not None and isinstance(ev.data, dict):
        known = {k: v for k, v in ev.data.items()
                 if k in rec.__dataclass_fields__}
        ev.data = rec(**known)
    return ev
