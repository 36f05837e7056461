// SPDX-License-Identifier: Apache-2.0
// The simulated KRX market: >= 2,000 listed codes with names, prices on the
// tick grid within the daily limits, and the records of H0STCNT0,
// H0STASP0, H0STANC0, H0STPGM0 and HDFSCNT0 built from that state. Plain
// C++: no sockets, no clock (callers pass the KST time of day).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "net/kis/layout.hpp"
#include "sim/rng.hpp"

namespace kisrt::sim {

struct instrument;

enum class board : std::uint8_t { kospi, kosdaq };

/// Trading phases by KST time of day (seconds after midnight).
constexpr int kst_preopen = 8 * 3600 + 30 * 60; // 08:30 expected prices
constexpr int kst_open = 9 * 3600;              // 09:00 continuous trading
constexpr int kst_close_auction = 15 * 3600 + 20 * 60;
constexpr int kst_close = 15 * 3600 + 30 * 60;

/// KRX tick size for a price (one grid for KOSPI and KOSDAQ since 2023).
std::int64_t tick_size(std::int64_t price) noexcept;
/// Largest grid price <= p, smallest grid price >= p.
std::int64_t floor_tick(std::int64_t p) noexcept;
std::int64_t ceil_tick(std::int64_t p) noexcept;

struct stock {
  std::string code;
  std::string name;
  board market = board::kospi;
  rng gen{1};
  // -- reference -----------------------------------------------------------
  std::int64_t prev_close = 0;
  std::int64_t upper = 0; ///< daily upper limit (+30%)
  std::int64_t lower = 0; ///< daily lower limit (-30%)
  std::int64_t prev_vol = 0;
  std::int64_t listed = 0;
  double target = 0; ///< where today's walk drifts to
  // -- today ---------------------------------------------------------------
  bool opened = false;
  std::int64_t open = 0, high = 0, low = 0, last = 0;
  int open_time = 0, high_time = 0, low_time = 0; ///< KST seconds
  std::int64_t last_vol = 0;
  bool last_buy = true;
  std::int64_t cum_vol = 0;
  std::int64_t cum_value = 0;
  std::int64_t buy_cnt = 0, sell_cnt = 0;
  std::int64_t buy_qty = 0, sell_qty = 0;
  std::int64_t ask1 = 0, bid1 = 0;
  // -- expected (pre-open) -------------------------------------------------
  std::int64_t exp_price = 0;
  std::int64_t exp_qty = 0;
  std::int64_t exp_vol = 0;
  // -- program trading -----------------------------------------------------
  std::int64_t pgm_sell_qty = 0, pgm_sell_value = 0;
  std::int64_t pgm_buy_qty = 0, pgm_buy_value = 0;
  int touched = 0; ///< KST second of the last catch-up
  std::int64_t trades = 0;

  std::int64_t change() const noexcept { return last - prev_close; }
  /// PRDY_VRSS_SIGN: 1 upper limit, 2 up, 3 flat, 4 lower limit, 5 down.
  char sign() const noexcept;
  /// Change rate in hundredths of a percent (rounded).
  std::int64_t rate_bp() const noexcept;
};

struct us_stock {
  std::string symbol;
  std::string exchange; ///< NAS, NYS, AMS
  rng gen{1};
  std::int64_t prev_close = 0; ///< 1/10000 dollars
  std::int64_t open = 0, high = 0, low = 0, last = 0;
  std::int64_t last_vol = 0, cum_vol = 0;
  double cum_value = 0;
  std::int64_t buy_vol = 0, sell_vol = 0;
};

/// One record's fields, formatted into a fixed arena (no allocation per
/// field) and handed to the codec's append_record as views.
class record_fields {
public:
  struct ref {
    record_fields* self;
    std::size_t i;
    ref& operator=(std::string_view s) {
      self->set(i, s);
      return *this;
    }
  };

  void reset(std::size_t n) {
    used_ = 0;
    views_.assign(n, std::string_view{});
  }
  ref operator[](std::size_t i) { return ref{this, i}; }
  void set(std::size_t i, std::string_view s);
  void num(std::size_t i, std::int64_t v);
  const std::vector<std::string_view>& views() const { return views_; }

private:
  std::array<char, 8192> arena_{};
  std::size_t used_ = 0;
  std::vector<std::string_view> views_;
};

class market {
public:
  /// Deterministic for (seed, date, kst_start).
  market(std::uint64_t seed, std::int32_t date, int kst_start);

  std::size_t size() const noexcept { return stocks_.size(); }
  std::vector<stock>& stocks() noexcept { return stocks_; }
  const std::vector<stock>& stocks() const noexcept { return stocks_; }
  stock* find(std::string_view code) noexcept;
  us_stock* find_us(std::string_view symbol) noexcept;
  std::int32_t date() const noexcept { return date_; }

  /// One trade at `kst` (continuous session).
  void trade(stock& s, int kst);
  /// A new expected price before the open.
  void expect(stock& s, int kst);
  /// Program-trading activity.
  void program(stock& s);
  /// Brings a symbol nobody streams up to `kst` (rankings, prices).
  void touch(stock& s, int kst);

  // Each append_* adds one record to `payload` ('^' before it when the
  // payload already holds one), fields per tr-fields.json.
  void append_trade(const stock& s, int kst, std::string& payload);
  // A wider layout than KRX's (the NXT and combined books have 65 fields,
  // their expected trades 46) gets its extra fields by name.
  void append_book(stock& s, int kst, std::string& payload,
                   const kis::tr_layout* layout = nullptr);
  void append_expected(const stock& s, int kst, std::string& payload,
                       const kis::tr_layout* layout = nullptr);
  /// Any layout, every field by name from `in` (sim/feeds.hpp).
  void append_generic(const kis::tr_layout& layout, instrument& in, int kst,
                      std::string& payload);
  void append_program(const stock& s, int kst, std::string& payload);

  void us_trade(us_stock& s);
  void append_us_trade(const us_stock& s, std::string_view rsym, int kst,
                       std::string& payload);

private:
  void add_stock(std::string code, std::string name, board b, std::int64_t base,
                 std::uint64_t seed, int kst_start);
  void flush(std::string& payload);

  std::int32_t date_;
  std::vector<stock> stocks_;
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<us_stock> us_;
  record_fields fields_; ///< reused record builder
};

/// "HHMMSS" for KST seconds (wraps at 24 h).
std::string hhmmss(int kst);

/// Fixed-point renderings used in records: "-0.71", "70950.12".
std::string fixed2(std::int64_t hundredths);
std::string fixed4(std::int64_t ten_thousandths);

} // namespace kisrt::sim
