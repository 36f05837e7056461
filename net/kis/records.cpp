// SPDX-License-Identifier: Apache-2.0
#include "net/kis/records.hpp"

#include "net/kis/field_reader.hpp"

namespace kisrt::kis {

namespace {

using reader = field_reader;

side side_from(std::string_view s) noexcept {
  if (s == "01" || s == "1")
    return side::sell;
  if (s == "02" || s == "2")
    return side::buy;
  return side::none;
}

// Where the fields both notice layouts share sit after the first five
// (customer, account, order number, original order number, side). The
// overseas layout (H0GSCNI0) has no correction field, so from there on its
// fields are one to the left of the domestic ones (H0STCNI0).
struct notice_fields {
  std::size_t symbol;
  std::size_t time;
  std::size_t rejected;
  std::size_t cntg; // CNTG_YN: 1 acknowledgement, 2 fill
  std::size_t accepted;
};

constexpr notice_fields domestic_notice_fields{8, 11, 12, 13, 14};
constexpr notice_fields overseas_notice_fields{7, 10, 11, 12, 13};

// Decodes the fields both notice kinds share; the caller adds the rest.
template <class Notice>
void decode_notice_head(reader& f, const notice_fields& at, Notice& out) {
  f.str(0, out.customer_id);
  f.str(1, out.account);
  f.req_str(2, out.order_no);
  f.str(3, out.orig_order_no);
  out.order_side = side_from(f.raw(4));
  f.req_str(at.symbol, out.symbol);
  out.rejected = f.flag(at.rejected, "1");
  auto cntg = f.raw(at.cntg);
  if (cntg == "2")
    out.kind = notice_kind::fill;
  else if (cntg == "1")
    out.kind = notice_kind::ack;
  else
    f.fail(at.cntg, "CNTG_YN must be 1 or 2");
  out.accepted = f.flag(at.accepted, "1") || f.flag(at.accepted, "2")
                 || f.flag(at.accepted, "Y");
  f.opt_time(at.time, out.time);
}

} // namespace

// -- equality --

KISRT_TIE_EQ(trade, x.symbol, x.time, x.date, x.price, x.sign, x.change,
             x.change_rate, x.open, x.high, x.low, x.ask1, x.bid1, x.volume,
             x.cum_volume, x.cum_value, x.cls, x.halted)
KISRT_TIE_EQ(book_mid, x.price, x.total_qty, x.cls)
KISRT_TIE_EQ(order_book, x.symbol, x.time, x.hour_cls, x.asks, x.bids,
             x.total_ask_qty, x.total_bid_qty, x.expected_price, x.expected_qty,
             x.cum_volume, x.krx_mid, x.nxt_mid)
KISRT_TIE_EQ(exec_notice, x.customer_id, x.account, x.order_no, x.orig_order_no,
             x.order_side, x.kind, x.rejected, x.accepted, x.symbol, x.fill_qty,
             x.fill_price, x.order_qty, x.order_price, x.time, x.name,
             x.exchange, x.correction)
KISRT_TIE_EQ(program_trade, x.symbol, x.time, x.sell_qty, x.sell_value,
             x.buy_qty, x.buy_value, x.net_qty, x.net_value, x.sell_rsqn,
             x.buy_rsqn, x.whole_net_qty)
KISRT_TIE_EQ(expected_trade, x.symbol, x.time, x.price, x.sign, x.change,
             x.change_rate, x.volume, x.cum_volume)
KISRT_TIE_EQ(market_status, x.symbol, x.halted, x.suspension_reason, x.op_code,
             x.expected_op_code, x.treatment_code, x.vi_code,
             x.overtime_vi_code, x.exchange_code)
KISRT_TIE_EQ(overseas_trade, x.rsym, x.symbol, x.decimals, x.local_date,
             x.local_time, x.kr_date, x.kr_time, x.open, x.high, x.low, x.last,
             x.sign, x.change, x.change_rate, x.bid, x.ask, x.bid_qty,
             x.ask_qty, x.volume, x.cum_volume, x.cum_value)
KISRT_TIE_EQ(overseas_level, x.bid, x.ask, x.bid_qty, x.ask_qty,
             x.bid_qty_change, x.ask_qty_change)
KISRT_TIE_EQ(overseas_book, x.rsym, x.symbol, x.decimals, x.local_date,
             x.local_time, x.kr_date, x.kr_time, x.total_bid_qty,
             x.total_ask_qty, x.total_bid_change, x.total_ask_change,
             x.level_count, x.levels)
KISRT_TIE_EQ(overseas_notice, x.customer_id, x.account, x.order_no,
             x.orig_order_no, x.order_side, x.kind, x.rejected, x.accepted,
             x.symbol, x.fill_qty, x.fill_price, x.order_qty, x.time, x.name)

// -- decoding --

codec_error decode(const record_view& r, trade& out) {
  reader f{r};
  f.req_str(0, out.symbol);
  f.req_time(1, out.time);
  f.req_int(2, out.price);
  f.sign(3, out.sign);
  f.opt_int(4, out.change);
  f.opt_fixed(5, out.change_rate);
  f.opt_int(7, out.open);
  f.opt_int(8, out.high);
  f.opt_int(9, out.low);
  f.opt_int(10, out.ask1);
  f.opt_int(11, out.bid1);
  f.req_int(12, out.volume);
  f.opt_int(13, out.cum_volume);
  f.opt_int(14, out.cum_value);
  auto cls = f.raw(21);
  out.cls = cls == "1"   ? trade_class::buy
            : cls == "3" ? trade_class::pre_open
            : cls == "5" ? trade_class::sell
                         : trade_class::unknown;
  f.opt_date(33, out.date);
  out.halted = f.flag(35, "Y");
  return f.take();
}

codec_error decode(const record_view& r, order_book& out) {
  reader f{r};
  f.req_str(0, out.symbol);
  f.req_time(1, out.time);
  f.str(2, out.hour_cls);
  for (std::size_t i = 0; i < 10; ++i) {
    f.opt_int(3 + i, out.asks[i].price);
    f.opt_int(13 + i, out.bids[i].price);
    f.opt_int(23 + i, out.asks[i].qty);
    f.opt_int(33 + i, out.bids[i].qty);
  }
  f.opt_int(43, out.total_ask_qty);
  f.opt_int(44, out.total_bid_qty);
  f.opt_int(47, out.expected_price);
  f.opt_int(48, out.expected_qty);
  f.opt_int(53, out.cum_volume);
  // The NXT and combined layouts append the mid-point fields; a KRX book
  // wider than 59 carries undocumented fields there, not mids.
  auto* l = r.layout();
  if (l && l->width >= 65 && l->field_name(59) == "KMID_PRC") {
    f.opt_int(59, out.krx_mid.price);
    f.opt_int(60, out.krx_mid.total_qty);
    f.str(61, out.krx_mid.cls);
    f.opt_int(62, out.nxt_mid.price);
    f.opt_int(63, out.nxt_mid.total_qty);
    f.str(64, out.nxt_mid.cls);
  } else {
    out.krx_mid = book_mid{};
    out.nxt_mid = book_mid{};
  }
  return f.take();
}

codec_error decode(const record_view& r, exec_notice& out) {
  reader f{r};
  decode_notice_head(f, domestic_notice_fields, out);
  f.str(5, out.correction);
  if (out.kind == notice_kind::fill) {
    f.req_int(9, out.fill_qty);
    f.req_int(10, out.fill_price);
    f.opt_int(16, out.order_qty);
    f.opt_int(25, out.order_price);
  } else {
    out.fill_qty = 0;
    out.fill_price = 0;
    f.opt_int(9, out.order_qty);
    f.opt_int(10, out.order_price);
  }
  std::int64_t exg = 0;
  f.opt_int(19, exg);
  out.exchange = static_cast<std::uint8_t>(exg >= 0 && exg < 256 ? exg : 0);
  f.str(24, out.name);
  return f.take();
}

codec_error decode(const record_view& r, program_trade& out) {
  reader f{r};
  f.req_str(0, out.symbol);
  f.req_time(1, out.time);
  f.opt_int(2, out.sell_qty);
  f.opt_int(3, out.sell_value);
  f.opt_int(4, out.buy_qty);
  f.opt_int(5, out.buy_value);
  f.opt_int(6, out.net_qty);
  f.opt_int(7, out.net_value);
  f.opt_int(8, out.sell_rsqn);
  f.opt_int(9, out.buy_rsqn);
  f.opt_int(10, out.whole_net_qty);
  return f.take();
}

codec_error decode(const record_view& r, expected_trade& out) {
  reader f{r};
  f.req_str(0, out.symbol);
  f.req_time(1, out.time);
  f.req_int(2, out.price);
  f.sign(3, out.sign);
  f.opt_int(4, out.change);
  f.opt_fixed(5, out.change_rate);
  f.opt_int(12, out.volume);
  f.opt_int(13, out.cum_volume);
  return f.take();
}

codec_error decode(const record_view& r, market_status& out) {
  reader f{r};
  f.req_str(0, out.symbol);
  out.halted = f.flag(1, "Y");
  f.str(2, out.suspension_reason);
  f.str(3, out.op_code);
  f.str(4, out.expected_op_code);
  f.str(5, out.treatment_code);
  f.str(8, out.vi_code);
  f.str(9, out.overtime_vi_code);
  f.str(10, out.exchange_code);
  return f.take();
}

codec_error decode(const record_view& r, overseas_trade& out) {
  reader f{r};
  f.req_str(0, out.rsym);
  f.req_str(1, out.symbol);
  f.opt_int32(2, out.decimals);
  f.opt_date(4, out.local_date);
  f.opt_time(5, out.local_time);
  f.opt_date(6, out.kr_date);
  f.opt_time(7, out.kr_time);
  f.opt_fixed(8, out.open);
  f.opt_fixed(9, out.high);
  f.opt_fixed(10, out.low);
  f.req_fixed(11, out.last);
  f.sign(12, out.sign);
  f.opt_fixed(13, out.change);
  f.opt_fixed(14, out.change_rate);
  f.opt_fixed(15, out.bid);
  f.opt_fixed(16, out.ask);
  f.opt_int(17, out.bid_qty);
  f.opt_int(18, out.ask_qty);
  f.opt_int(19, out.volume);
  f.opt_int(20, out.cum_volume);
  f.opt_fixed(21, out.cum_value);
  return f.take();
}

codec_error decode(const record_view& r, overseas_book& out) {
  reader f{r};
  f.req_str(0, out.rsym);
  f.req_str(1, out.symbol);
  f.opt_int32(2, out.decimals);
  f.opt_date(3, out.local_date);
  f.opt_time(4, out.local_time);
  f.opt_date(5, out.kr_date);
  f.opt_time(6, out.kr_time);
  f.opt_int(7, out.total_bid_qty);
  f.opt_int(8, out.total_ask_qty);
  f.opt_int(9, out.total_bid_change);
  f.opt_int(10, out.total_ask_change);
  // 11 + 6 x levels; a width that is not of that form keeps level 1 only.
  std::size_t levels = 1;
  if (r.size() > 11 && (r.size() - 11) % 6 == 0)
    levels = std::min<std::size_t>((r.size() - 11) / 6, out.levels.size());
  out.level_count = static_cast<std::uint8_t>(levels);
  for (std::size_t i = 0; i < out.levels.size(); ++i) {
    auto& lv = out.levels[i];
    if (i >= levels) {
      lv = overseas_level{};
      continue;
    }
    auto base = 11 + 6 * i;
    f.opt_fixed(base + 0, lv.bid);
    f.opt_fixed(base + 1, lv.ask);
    f.opt_int(base + 2, lv.bid_qty);
    f.opt_int(base + 3, lv.ask_qty);
    f.opt_int(base + 4, lv.bid_qty_change);
    f.opt_int(base + 5, lv.ask_qty_change);
  }
  return f.take();
}

bool market_of_exchange(std::string_view x, overseas_market& out) noexcept {
  if (x == "NAS" || x == "NYS" || x == "AMS" || x == "BAQ" || x == "BAY"
      || x == "BAA")
    out = overseas_market::us;
  else if (x == "TSE")
    out = overseas_market::jp;
  else if (x == "SHS" || x == "SZS" || x == "SHI" || x == "SZI")
    out = overseas_market::cn;
  else if (x == "HKS")
    out = overseas_market::hk;
  else if (x == "HSX" || x == "HNX")
    out = overseas_market::vn;
  else
    return false;
  return true;
}

overseas_market market_of_symbol(std::string_view s) noexcept {
  auto digits = [&](std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
      if (s[i] < '0' || s[i] > '9')
        return false;
    return true;
  };
  if (s.size() == 5 && digits(5))
    return overseas_market::hk;
  if (s.size() == 6 && digits(6))
    return overseas_market::cn;
  if (s.size() == 4 && digits(3))
    return overseas_market::jp;
  return overseas_market::us;
}

namespace {

codec_error decode_overseas_notice(const record_view& r, overseas_notice& out,
                                   const overseas_market* given) {
  reader f{r};
  decode_notice_head(f, overseas_notice_fields, out);
  f.opt_int(15, out.order_qty);
  if (out.kind == notice_kind::fill) {
    f.req_int(8, out.fill_qty);
    auto market = given ? *given : market_of_symbol(out.symbol);
    if (!parse_implied(f.raw(9), implied_decimals(market), out.fill_price))
      f.fail(9, "not an integer price with implied decimals");
  } else {
    out.fill_qty = 0;
    out.fill_price = fixed4{};
  }
  f.str(17, out.name);
  return f.take();
}

} // namespace

codec_error decode(const record_view& r, overseas_notice& out,
                   overseas_market market) {
  return decode_overseas_notice(r, out, &market);
}

codec_error decode(const record_view& r, overseas_notice& out) {
  return decode_overseas_notice(r, out, nullptr);
}

} // namespace kisrt::kis
