// SPDX-License-Identifier: Apache-2.0
// What the simulator feeds beyond the stock generators of market.hpp: the
// trading hours of every real-time TR, the key forms it accepts, and a
// generic record builder that fills any layout of tr-fields.json by field
// name (prices, times, volumes, book levels) from one instrument's state.
// Plain C++: no sockets, no clock (callers pass the KST time of day).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "net/kis/layout.hpp"
#include "sim/market.hpp"
#include "sim/rng.hpp"

namespace kisrt::sim {

/// True when the simulator feeds `tr_id` at KST second `kst` (0..86399):
/// the regular session, pre-open and closing auctions, after-hours
/// single-price trading (16:00-18:00), NXT's after-market (15:30-20:00),
/// derivatives by day (08:45-15:45) and at night (18:00-06:00); overseas
/// TRs at all hours. False for notices and unknown TRs.
bool feed_live(std::string_view tr_id, int kst) noexcept;

/// Empty when the simulator takes `tr_key` for `tr_id` (other than the
/// domestic stock and overseas stock TRs, which engine checks against its
/// market), else why not. Index keys are 4 digits ("0001"), futures and
/// options codes start with 1-4 ("101W12", "201W12350"), ELW codes have 6
/// characters, bond and overseas futures codes 1-12 capitals or digits.
std::string_view key_form_error(std::string_view tr_id,
                                std::string_view tr_key) noexcept;

/// A key the simulator feeds for `tr_id` ("0001" for H0UPCNT0, "005930"
/// for H0STCNT0, "DNASAAPL" for HDFSCNT0, ...); empty for notices and
/// unknown TRs. Tests and demos walk the layout table with it.
std::string sample_key(std::string_view tr_id);

/// One instrument of a generic feed: prices in units of 10^-decimals.
struct instrument {
  std::string key;    ///< as subscribed ("0001", "101W12", "DNASAAPL")
  std::string symbol; ///< SYMB of overseas records, else the key
  int decimals = 0;
  std::int64_t tick = 1;
  std::int64_t lot = 1; ///< a trade's volume is 1-60 lots
  std::int64_t prev_close = 0, upper = 0, lower = 0;
  std::int64_t open = 0, high = 0, low = 0, last = 0, exp_price = 0;
  int open_time = 0, high_time = 0, low_time = 0;
  std::int64_t last_vol = 0, cum_vol = 0, cum_value = 0, prev_vol = 0;
  std::int64_t buy_vol = 0, sell_vol = 0, buy_cnt = 0, sell_cnt = 0;
  bool last_buy = true;
  rng gen{1};
};

/// A fresh instrument for (`tr_id`, `key`): a price level that fits its
/// family (index ~2,600.00, index futures ~350.00, options ~2.50, ...).
/// `st` (domestic stock TRs) or `us` (overseas stock TRs) anchor it when
/// given.
instrument make_instrument(std::string_view tr_id, std::string_view key,
                           std::uint64_t seed, const stock* st,
                           const us_stock* us);

/// Copies a stock's state into `in` (decimals 0, or 2 for ETF NAV).
void follow_stock(instrument& in, const stock& st, int decimals);

/// One trade of the instrument at `kst`: a few ticks within its limits.
void step(instrument& in, int kst);

/// Sets fields [from, l.width) of `f` by their names in `l` from `in`'s
/// state. `f` must have been reset to at least l.width fields.
void fill_by_name(record_fields& f, const kis::tr_layout& l, std::size_t from,
                  instrument& in, int kst, std::int32_t date);

/// Renders a price of `decimals` implied decimals ("2612.35", "70900").
std::string price_text(std::int64_t v, int decimals);

} // namespace kisrt::sim
