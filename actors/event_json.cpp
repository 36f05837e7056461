// SPDX-License-Identifier: Apache-2.0
#include "actors/event_json.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <string_view>
#include <type_traits>
#include <vector>

#include "net/kis/generic_record.hpp"
#include "net/kis/json_out.hpp"
#include "net/kis/layout.hpp"

namespace kisrt {

namespace {

// Member names of each record, in the order its inspect() lists them.
// tests/node checks that every record's inspect() has as many fields.
const std::map<std::string_view, std::vector<const char*>>& field_names() {
  static const std::map<std::string_view, std::vector<const char*>> names{
      {"book_level", {"price", "qty"}},
      {"overseas_level",
       {"bid", "ask", "bid_qty", "ask_qty", "bid_qty_change",
        "ask_qty_change"}},
      {"trade",
       {"symbol", "time", "date", "price", "sign", "change", "change_rate",
        "open", "high", "low", "ask1", "bid1", "volume", "cum_volume",
        "cum_value", "cls", "halted"}},
      {"order_book",
       {"symbol", "time", "hour_cls", "asks", "bids", "total_ask_qty",
        "total_bid_qty", "expected_price", "expected_qty", "cum_volume",
        "krx_mid", "nxt_mid"}},
      {"exec_notice",
       {"customer_id", "account", "order_no", "orig_order_no", "order_side",
        "kind", "rejected", "accepted", "symbol", "fill_qty", "fill_price",
        "order_qty", "order_price", "time", "name", "exchange", "correction"}},
      {"program_trade",
       {"symbol", "time", "sell_qty", "sell_value", "buy_qty", "buy_value",
        "net_qty", "net_value", "sell_rsqn", "buy_rsqn", "whole_net_qty"}},
      {"expected_trade",
       {"symbol", "time", "price", "sign", "change", "change_rate", "volume",
        "cum_volume"}},
      {"market_status",
       {"symbol", "halted", "suspension_reason", "op_code", "expected_op_code",
        "treatment_code", "vi_code", "overtime_vi_code", "exchange_code"}},
      {"overseas_trade",
       {"rsym",     "symbol",  "decimals", "local_date",  "local_time",
        "kr_date",  "kr_time", "open",     "high",        "low",
        "last",     "sign",    "change",   "change_rate", "bid",
        "ask",      "bid_qty", "ask_qty",  "volume",      "cum_volume",
        "cum_value"}},
      {"overseas_book",
       {"rsym", "symbol", "decimals", "local_date", "local_time", "kr_date",
        "kr_time", "total_bid_qty", "total_ask_qty", "total_bid_change",
        "total_ask_change", "level_count", "levels"}},
      {"price_snapshot",
       {"symbol", "time", "price", "sign", "change", "change_rate",
        "cum_volume", "snapshot"}},
      {"overseas_notice",
       {"customer_id", "account", "order_no", "orig_order_no", "order_side",
        "kind", "rejected", "accepted", "symbol", "fill_qty", "fill_price",
        "order_qty", "time", "name"}},
      {"book_mid", {"price", "total_qty", "cls"}},
      {"futures_trade", {"symbol",      "time",          "price",
                         "sign",        "change",        "change_rate",
                         "open",        "high",          "low",
                         "volume",      "cum_volume",    "cum_value",
                         "theoretical", "market_basis",  "theoretical_basis",
                         "disparity",   "open_interest", "open_interest_change",
                         "ask1",        "bid1",          "ask1_qty",
                         "bid1_qty",    "total_ask_qty", "total_bid_qty",
                         "upper_limit", "lower_limit"}},
      {"option_trade",
       {"symbol",
        "time",
        "price",
        "sign",
        "change",
        "change_rate",
        "open",
        "high",
        "low",
        "volume",
        "cum_volume",
        "cum_value",
        "theoretical",
        "open_interest",
        "open_interest_change",
        "intrinsic_value",
        "time_value",
        "delta",
        "gamma",
        "vega",
        "theta",
        "rho",
        "implied_vol",
        "ask1",
        "bid1",
        "ask1_qty",
        "bid1_qty",
        "total_ask_qty",
        "total_bid_qty",
        "upper_limit",
        "lower_limit"}},
      {"derivative_level", {"price", "qty", "count"}},
      {"derivative_book",
       {"symbol", "time", "asks", "bids", "total_ask_count", "total_bid_count",
        "total_ask_qty", "total_bid_qty", "total_ask_qty_change",
        "total_bid_qty_change"}},
      {"index_trade",
       {"code", "time", "level", "sign", "change", "change_rate", "open",
        "high", "low", "volume", "value", "cum_volume", "cum_value",
        "upper_limit_count", "up_count", "flat_count", "down_count",
        "lower_limit_count"}},
      {"etf_nav",
       {"symbol", "nav", "sign", "change", "change_rate", "open", "high",
        "low"}},
  };
  return names;
}

void append_fixed4(std::string& out, kis::fixed4 x) {
  auto raw = x.raw;
  if (raw < 0) {
    out += '-';
    raw = -raw;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%04lld",
                static_cast<long long>(raw / kis::fixed4::scale),
                static_cast<long long>(raw % kis::fixed4::scale));
  out += buf;
}

/// A CAF 0.17 inspector that writes JSON: records with known field names
/// as objects, anything else inspectable as an array of its fields.
class json_writer {
public:
  using result_type = void;
  static constexpr bool reads_state = true;
  static constexpr bool writes_state = false;

  explicit json_writer(std::string& out)
      : out_(out) {
    // nop
  }

  template <class... Ts>
  void operator()(caf::meta::type_name_t tn, Ts&&... xs) {
    auto& all = field_names();
    auto i = all.find(tn.value);
    if (i != all.end() && i->second.size() == sizeof...(Ts)) {
      out_ += '{';
      std::size_t n = 0;
      ((member(i->second[n++], xs)), ...);
      out_ += '}';
    } else {
      out_ += '[';
      std::size_t n = 0;
      ((sep(n++), value(xs)), ...);
      out_ += ']';
    }
  }

  template <class T>
  void value(const T& x) {
    using U = std::decay_t<T>;
    if constexpr (std::is_same_v<U, bool>) {
      out_ += x ? "true" : "false";
    } else if constexpr (std::is_enum_v<U>) {
      out_ += std::to_string(static_cast<long long>(x));
    } else if constexpr (std::is_integral_v<U>) {
      out_ += std::to_string(x);
    } else if constexpr (std::is_floating_point_v<U>) {
      // Shortest text that reads back to x (0.41234, not
      // 0.41233999999999998); JSON has no NaN or infinity.
      if (!std::isfinite(x)) {
        out_ += "null";
      } else {
        char buf[64];
        auto r = std::to_chars(buf, buf + sizeof buf, x);
        out_.append(buf, r.ptr);
      }
    } else if constexpr (std::is_same_v<U, std::string>) {
      kis::append_json_string(out_, x);
    } else if constexpr (std::is_same_v<U, kis::fixed4>) {
      append_fixed4(out_, x);
    } else if constexpr (std::is_same_v<U, kis::hms>) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "\"%02u:%02u:%02u\"", unsigned{x.h},
                    unsigned{x.m}, unsigned{x.s});
      out_ += buf;
    } else if constexpr (is_sequence<U>::value) {
      out_ += '[';
      std::size_t n = 0;
      for (auto& y : x) {
        sep(n++);
        value(y);
      }
      out_ += ']';
    } else {
      inspect(*this, const_cast<U&>(x));
    }
  }

private:
  template <class T>
  struct is_sequence : std::false_type {};
  template <class T, std::size_t N>
  struct is_sequence<std::array<T, N>> : std::true_type {};
  template <class T>
  struct is_sequence<std::vector<T>> : std::true_type {};

  void sep(std::size_t n) {
    if (n > 0)
      out_ += ',';
  }

  template <class T>
  void member(const char* name, const T& x) {
    if (out_.back() != '{')
      out_ += ',';
    kis::append_json_string(out_, name);
    out_ += ':';
    value(x);
  }

  std::string& out_;
};

// A generic record: its fields by name, in layout order, then EXTRA1, ...
void append_fields(std::string& out, const std::string& tr_id,
                   const kis::generic_record& r) {
  out += '{';
  bool first = true;
  kis::for_each_field(r, kis::find_layout(tr_id),
                      [&](std::string_view name, std::string_view value) {
                        if (!first)
                          out += ',';
                        first = false;
                        kis::append_json_string(out, name);
                        out += ':';
                        kis::append_json_string(out, value);
                      });
  out += '}';
}

template <class Event>
void append(std::string& out, const Event& ev,
            const std::uint64_t* seq = nullptr) {
  out += "{\"event\":";
  kis::append_json_string(out, market_event_traits<Event>::json_name);
  if (seq != nullptr) {
    out += ",\"seq\":";
    out += std::to_string(*seq);
  }
  out += ",\"session\":";
  out += std::to_string(ev.session);
  out += ",\"tr_id\":";
  kis::append_json_string(out, ev.tr_id);
  out += ",\"key\":";
  kis::append_json_string(out, key_of(ev));
  out += ",\"data\":";
  if constexpr (std::is_same_v<Event, fields_event>) {
    append_fields(out, ev.tr_id, ev.data);
  } else {
    json_writer w{out};
    w.value(ev.data);
  }
  out += '}';
}

} // namespace

#define KISRT_EVENT_JSON(event, record, key, critical, json, trs)              \
  void append_event_json(std::string& out, const event& ev) {                  \
    append(out, ev);                                                           \
  }
KISRT_MARKET_EVENTS(KISRT_EVENT_JSON)
#undef KISRT_EVENT_JSON

void append_event_json(std::string& out, const journaled_notice& ev) {
  append(out, ev.notice, &ev.at.seq);
}
void append_event_json(std::string& out, const journaled_overseas_notice& ev) {
  append(out, ev.notice, &ev.at.seq);
}

} // namespace kisrt

namespace kisrt {

void append_event_json(std::string& out, const slot_outcome& ev) {
  out += "{\"event\":\"slot\",\"session\":";
  // A starved key has no session.
  out += ev.session == no_session ? std::string{"null"}
                                  : std::to_string(ev.session);
  out += ",\"tr_id\":";
  kis::append_json_string(out, ev.key.tr_id);
  out += ",\"key\":";
  kis::append_json_string(out, ev.key.tr_key);
  out += ",\"priority\":";
  out += std::to_string(ev.level);
  out += ",\"state\":";
  kis::append_json_string(out, to_string(ev.state));
  out += ",\"msg_cd\":";
  kis::append_json_string(out, ev.msg_cd);
  out += ",\"reason\":";
  kis::append_json_string(out, ev.reason);
  out += '}';
}

} // namespace kisrt
