// SPDX-License-Identifier: Apache-2.0
#include "sim/feeds.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace kisrt::sim {

namespace {

constexpr int hm(int h, int m) {
  return h * 3600 + m * 60;
}

bool in(int k, int from, int to) {
  return k >= from && k < to;
}

bool has(std::string_view s, std::string_view x) {
  return s.find(x) != std::string_view::npos;
}

bool starts(std::string_view s, std::string_view x) {
  return s.substr(0, x.size()) == x;
}

bool ends(std::string_view s, std::string_view x) {
  return s.size() >= x.size() && s.substr(s.size() - x.size()) == x;
}

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
}

bool code_chars(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
  });
}

std::int64_t pow10(int d) {
  std::int64_t p = 1;
  for (int i = 0; i < d; ++i)
    p *= 10;
  return p;
}

std::int64_t round_to(std::int64_t v, std::int64_t tick) {
  if (tick <= 1)
    return v;
  return (v + tick / 2) / tick * tick;
}

std::string_view sign_of(std::int64_t d) {
  return d > 0 ? "2" : d < 0 ? "5" : "3";
}

bool day_derivative(std::string_view p) {
  return p == "H0IF" || p == "H0IO" || p == "H0ZF" || p == "H0ZO"
         || p == "H0CF";
}

bool night_derivative(std::string_view p) {
  return p == "H0MF" || p == "H0EU";
}

bool stock_prefix(std::string_view p) {
  return p == "H0ST" || p == "H0NX" || p == "H0UN";
}

// Implied decimals of an overseas exchange's prices (protocol.md notes).
int exchange_decimals(std::string_view ex) {
  if (ex == "HKS" || ex == "SHS" || ex == "SZS" || ex == "SHI" || ex == "SZI")
    return 3;
  if (ex == "TSE")
    return 1;
  if (ex == "HSX" || ex == "HNX")
    return 0;
  return 4; // US
}

} // namespace

std::string price_text(std::int64_t v, int decimals) {
  char buf[40];
  if (decimals <= 0) {
    std::snprintf(buf, sizeof(buf), "%lld", static_cast<long long>(v));
    return buf;
  }
  decimals = std::min(decimals, 9);
  auto scale = pow10(decimals);
  auto a = v < 0 ? -v : v;
  std::snprintf(buf, sizeof(buf), "%s%lld.", v < 0 ? "-" : "",
                static_cast<long long>(a / scale));
  std::string out = buf;
  auto frac = std::to_string(a % scale);
  out.append(static_cast<std::size_t>(decimals) - frac.size(), '0');
  return out + frac;
}

bool feed_live(std::string_view tr_id, int k) noexcept {
  auto* l = kis::find_layout(tr_id);
  if (l == nullptr || l->encrypted || tr_id.size() != 8)
    return false;
  auto p = tr_id.substr(0, 4);
  auto tail = tr_id.substr(4);
  bool pre = in(k, hm(8, 30), hm(9, 0));
  bool reg = in(k, hm(9, 0), hm(15, 30));
  bool cont = in(k, hm(9, 0), hm(15, 20));
  bool auction = in(k, hm(15, 20), hm(15, 30));
  if (p == "HDFS" || p == "HDFF")
    return true;
  if (stock_prefix(p)) {
    // NXT trades on after the KRX close (after-market 15:30-20:00).
    bool nxt_after = p != "H0ST" && in(k, hm(15, 30), hm(20, 0));
    if (tail == "CNT0")
      return cont || nxt_after;
    if (tail == "ASP0")
      return pre || reg || nxt_after;
    if (tail == "ANC0")
      return pre || auction;
    if (tail == "PGM0" || tail == "MBC0")
      return reg || nxt_after;
    if (tail == "MKO0")
      return in(k, hm(8, 0), hm(20, 0));
    // After-hours: closing-price and single-price books from 15:30,
    // single-price trades (and their expected prices) 16:00-18:00.
    if (tail == "OAA0")
      return in(k, hm(15, 30), hm(18, 0));
    if (tail == "OUP0" || tail == "OAC0")
      return in(k, hm(16, 0), hm(18, 0));
    return reg;
  }
  if (p == "H0EW") {
    if (tail == "CNT0")
      return cont;
    if (tail == "ANC0")
      return pre || auction;
    return pre || reg;
  }
  if (p == "H0UP")
    return tail == "ANC0" ? pre || auction : reg;
  if (day_derivative(p)) {
    if (tail == "ANC0")
      return in(k, hm(8, 30), hm(8, 45)) || in(k, hm(15, 35), hm(15, 45));
    return in(k, hm(8, 45), hm(15, 45));
  }
  if (night_derivative(p)) {
    if (tail == "ANC0")
      return in(k, hm(17, 50), hm(18, 0));
    return k >= hm(18, 0) || k < hm(6, 0);
  }
  return reg;
}

std::string_view key_form_error(std::string_view tr_id,
                                std::string_view key) noexcept {
  auto p = tr_id.substr(0, 4);
  if (p == "H0UP")
    return key.size() == 4 && digits(key) ? std::string_view{}
                                          : "an index key is 4 digits (0001)";
  if (day_derivative(p) || night_derivative(p))
    return key.size() >= 5 && key.size() <= 12 && code_chars(key)
                   && key[0] >= '1' && key[0] <= '4'
               ? std::string_view{}
               : "a futures/options code starts with 1-4 (101W12)";
  if (p == "H0EW")
    return key.size() == 6 && code_chars(key)
               ? std::string_view{}
               : "an ELW code has 6 capitals or digits";
  if (p == "H0BJ" || p == "H0BI" || p == "HDFF")
    return !key.empty() && key.size() <= 12 && code_chars(key)
               ? std::string_view{}
               : "a code of 1 to 12 capitals or digits";
  return {};
}

std::string sample_key(std::string_view tr_id) {
  auto* l = kis::find_layout(tr_id);
  if (l == nullptr || l->encrypted)
    return {};
  auto p = tr_id.substr(0, 4);
  if (p == "H0UP")
    return "0001";
  if (p == "H0IF" || p == "H0MF")
    return "101W12";
  if (p == "H0IO" || p == "H0EU")
    return "201W12350";
  if (p == "H0ZF")
    return "111W12";
  if (p == "H0ZO")
    return "211W12070";
  if (p == "H0CF")
    return "175W12";
  if (p == "H0EW")
    return "580001";
  if (p == "H0BJ")
    return "KR103502GE97";
  if (p == "H0BI")
    return "KBPR01";
  if (p == "HDFF")
    return "ESZ26";
  if (tr_id == "HDFSASP1")
    return "DHKS00700"; // delayed Asia
  if (p == "HDFS")
    return "DNASAAPL";
  if (tr_id == "H0STNAV0")
    return "069500"; // KODEX 200
  return "005930";
}

instrument make_instrument(std::string_view tr_id, std::string_view key,
                           std::uint64_t seed, const stock* st,
                           const us_stock* us) {
  instrument in;
  in.key = std::string{key};
  in.symbol = in.key;
  in.gen = rng{seed ^ fnv1a(tr_id.substr(0, 4)) ^ (fnv1a(key) << 1)};
  auto p = tr_id.substr(0, 4);
  if (st != nullptr && stock_prefix(p)) {
    follow_stock(in, *st, tr_id == "H0STNAV0" ? 2 : 0);
    return in;
  }
  std::int64_t base = 10000;
  in.decimals = 0;
  in.tick = 10;
  if (p == "H0UP") {
    in.decimals = 2;
    in.tick = 1;
    in.lot = 1000; // an index trades the shares of all its stocks
    base = key == "0001"   ? 260000
           : key == "1001" ? 85000
           : key == "2001" ? 35000
                           : 100000;
  } else if (p == "H0IF" || p == "H0MF") {
    in.decimals = 2;
    in.tick = 5; // 0.05 points
    base = 35000;
  } else if (p == "H0IO" || p == "H0EU") {
    in.decimals = 2;
    in.tick = 1;
    base = 250;
  } else if (p == "H0ZF") {
    in.tick = 50;
    base = 70000;
  } else if (p == "H0ZO") {
    in.tick = 10;
    base = 3000;
  } else if (p == "H0CF") {
    in.decimals = 2;
    in.tick = 10;
    base = 138000;
  } else if (p == "H0EW") {
    in.tick = 5;
    base = 800;
  } else if (p == "H0BJ") {
    in.decimals = 2;
    in.tick = 1;
    base = 1000000;
  } else if (p == "H0BI") {
    in.decimals = 2;
    in.tick = 1;
    base = 12000;
  } else if (p == "HDFF") {
    in.decimals = 2;
    in.tick = 25;
    base = 500000;
  } else if (p == "HDFS") {
    auto ex = key.size() > 4 ? key.substr(1, 3) : std::string_view{"NAS"};
    in.symbol = std::string{key.size() > 4 ? key.substr(4) : key};
    in.decimals = exchange_decimals(ex);
    in.tick = std::max<std::int64_t>(1, pow10(in.decimals) / 100);
    base = in.decimals == 0 ? 25000 : 100 * pow10(in.decimals);
    if (us != nullptr && in.decimals == 4)
      base = us->prev_close;
    if (in.decimals == 0)
      in.tick = 50;
  }
  in.prev_close = std::max(
      in.tick, round_to(static_cast<std::int64_t>(static_cast<double>(base)
                                                  * in.gen.uniform(0.95, 1.05)),
                        in.tick));
  if (us != nullptr && in.decimals == 4)
    in.prev_close = round_to(us->prev_close, in.tick);
  in.upper = round_to(in.prev_close * 13 / 10, in.tick);
  in.lower = std::max(in.tick, round_to(in.prev_close * 7 / 10, in.tick));
  in.open = in.high = in.low = in.last = in.exp_price = in.prev_close;
  in.prev_vol = in.gen.between(10000, 5000000);
  return in;
}

void follow_stock(instrument& in, const stock& st, int decimals) {
  std::int64_t scale = decimals == 2 ? 100 : 1;
  in.decimals = decimals == 2 ? 2 : 0;
  in.tick = tick_size(st.last) * scale;
  in.prev_close = st.prev_close * scale;
  in.upper = st.upper * scale;
  in.lower = st.lower * scale;
  in.last = st.last * scale;
  in.open = (st.opened ? st.open : st.prev_close) * scale;
  in.high = (st.opened ? st.high : st.prev_close) * scale;
  in.low = (st.opened ? st.low : st.prev_close) * scale;
  in.exp_price = st.exp_price * scale;
  in.open_time = st.open_time;
  in.high_time = st.high_time;
  in.low_time = st.low_time;
  in.last_vol = st.last_vol;
  in.cum_vol = st.cum_vol;
  in.cum_value = st.cum_value;
  in.prev_vol = st.prev_vol;
  in.buy_vol = st.buy_qty;
  in.sell_vol = st.sell_qty;
  in.buy_cnt = st.buy_cnt;
  in.sell_cnt = st.sell_cnt;
  in.last_buy = st.last_buy;
  if (decimals == 2) {
    // An ETF's NAV sits within a few basis points of its price.
    in.last += in.gen.between(-30, 30) * (in.last / 10000);
    in.high = std::max(in.high, in.last);
    in.low = std::min(in.low, in.last);
  }
}

void step(instrument& in, int kst) {
  std::int64_t n = 0;
  if (in.open_time == 0) {
    in.open = in.high = in.low = in.last;
    in.open_time = in.high_time = in.low_time = kst;
  } else {
    n = in.gen.between(-2, 2);
    in.last = std::clamp(in.last + n * in.tick, std::max(in.lower, in.tick),
                         in.upper);
  }
  in.last_vol = in.gen.between(1, 60) * in.lot;
  in.cum_vol += in.last_vol;
  in.cum_value += in.last_vol * in.last / pow10(in.decimals);
  in.last_buy = n > 0 || (n == 0 && in.gen.chance(0.5));
  if (in.last_buy) {
    in.buy_vol += in.last_vol;
    ++in.buy_cnt;
  } else {
    in.sell_vol += in.last_vol;
    ++in.sell_cnt;
  }
  if (in.last > in.high) {
    in.high = in.last;
    in.high_time = kst;
  }
  if (in.last < in.low) {
    in.low = in.last;
    in.low_time = kst;
  }
  in.exp_price = in.last;
}

void fill_by_name(record_fields& f, const kis::tr_layout& l, std::size_t from,
                  instrument& in, int kst, std::int32_t date) {
  constexpr int levels = 10;
  std::array<std::int64_t, levels + 1> aq{}, bq{}, ac{}, bc{};
  std::int64_t ta = 0, tb = 0, tca = 0, tcb = 0;
  for (int i = 1; i <= levels; ++i) {
    aq[i] = in.gen.between(1, 400);
    bq[i] = in.gen.between(1, 400);
    ac[i] = 1 + aq[i] / 40;
    bc[i] = 1 + bq[i] / 40;
    ta += aq[i];
    tb += bq[i];
    tca += ac[i];
    tcb += bc[i];
  }
  auto price = [&](std::size_t i, std::int64_t v) {
    f.set(i, price_text(v, in.decimals));
  };
  auto rate = [&](std::size_t i, std::int64_t d) {
    f.set(i, price_text(in.prev_close > 0 ? d * 10000 / in.prev_close : 0, 2));
  };
  auto ask = [&](int n) {
    auto p = in.last + n * in.tick;
    return p > in.upper ? 0 : p;
  };
  auto bid = [&](int n) {
    auto p = in.last - (n - 1) * in.tick;
    return p < in.lower ? 0 : p;
  };
  for (std::size_t i = from; i < l.width; ++i) {
    auto n = l.fields[i];
    // A trailing level number (ASKP10, ASK_PRICE_3, SELN2_MBCR_NAME1).
    auto e = n.size();
    while (e > 0 && n[e - 1] >= '0' && n[e - 1] <= '9')
      --e;
    int lvl = 0;
    if (e < n.size() && n.size() - e <= 2)
      for (auto c : n.substr(e))
        lvl = lvl * 10 + (c - '0');
    auto stem = n.substr(0, e);
    if (!stem.empty() && stem.back() == '_')
      stem.remove_suffix(1);
    auto book = stem;
    if (starts(book, "FUTS_") || starts(book, "OPTN_"))
      book = book.substr(5);
    bool level = lvl >= 1 && lvl <= levels;
    // -- identity and text ----------------------------------------------
    if (n == "MKSC_SHRN_ISCD" || n == "FUTS_SHRN_ISCD" || n == "OPTN_SHRN_ISCD"
        || n == "STND_ISCD" || n == "BSTP_CLS_CODE" || n == "NMIX_ID"
        || n == "SERIES_CD" || n == "RSYM") {
      f.set(i, in.key);
    } else if (n == "SYMB") {
      f.set(i, in.symbol);
    } else if (n == "ZDIV") {
      f.num(i, in.decimals);
    } else if (n == "RT_CD") {
      f.set(i, "0");
    } else if (n == "MSG_CD" || n == "MSG1" || n == "OUTPUT1"
               || has(n, "CNTT")) {
      f.set(i, "");
    } else if (has(stem, "NAME") || has(n, "ISNM")) {
      f.set(i, "SIM" + std::to_string(lvl));
    } else if (has(stem, "MBCR_NO")) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "%03d", lvl * 7 % 100);
      f.set(i, buf);
      // -- dates and times ------------------------------------------------
    } else if (ends(stem, "DATE") || ends(n, "YMD")) {
      f.num(i, date);
    } else if (ends(stem, "HOUR") || ends(stem, "TIME") || ends(n, "HMS")) {
      if (starts(n, "OPRC") || n == "MRKT_OPEN_TIME")
        f.set(i, hhmmss(in.open_time));
      else if (starts(n, "HGPR"))
        f.set(i, hhmmss(in.high_time));
      else if (starts(n, "LWPR"))
        f.set(i, hhmmss(in.low_time));
      else
        f.set(i, hhmmss(kst));
      // -- signs and codes ------------------------------------------------
    } else if (has(n, "SIGN")) {
      if (starts(n, "OPRC"))
        f.set(i, sign_of(in.last - in.open));
      else if (starts(n, "HGPR"))
        f.set(i, sign_of(in.last - in.high));
      else if (starts(n, "LWPR"))
        f.set(i, sign_of(in.last - in.low));
      else if (starts(n, "ANTC"))
        f.set(i, sign_of(in.exp_price - in.prev_close));
      else
        f.set(i, sign_of(in.last - in.prev_close));
    } else if (ends(stem, "YN")) {
      f.set(i, "N");
    } else if (n == "ACTIVE_FLAG" || n == "MTYP" || n == "EXCH_CLS_CODE") {
      f.set(i, "1");
    } else if (n == "CNTG_CLS_CODE" || n == "CCLD_DVSN") {
      f.set(i, in.last_buy ? "1" : "5");
    } else if (has(n, "MKOP_CLS_CODE")) {
      f.set(i, "20");
    } else if (ends(n, "CLS_CODE") || ends(n, "_CLS")) {
      f.set(i, "0");
      // -- rates (before changes: PRDY_VOL_VRSS_ACML_VOL_RATE) ------------
    } else if (has(n, "ERT")) {
      // Bond yields, in per cent with three decimals.
      f.set(i, price_text(3500 + in.gen.between(-20, 20), 3));
    } else if (starts(n, "PRDY_CLPR_VRSS_")) {
      auto what = n.substr(15, 4);
      rate(i, (what == "OPRC"   ? in.open
               : what == "HGPR" ? in.high
                                : in.low)
                  - in.prev_close);
    } else if (has(n, "CTRT") || has(n, "DIFF_RATE") || n == "RATE") {
      rate(i, starts(n, "ANTC") ? in.exp_price - in.prev_close
                                : in.last - in.prev_close);
    } else if (n == "CTTR" || n == "STRN" || n == "SHNU_RATE") {
      f.set(i,
            price_text(
                in.sell_vol > 0 ? in.buy_vol * 10000 / in.sell_vol : 10000, 2));
    } else if (has(n, "VLTL")) {
      f.set(i, price_text(1500 + in.gen.between(-200, 200), 2));
    } else if (has(n, "BASIS") || n == "ESDG" || n == "DPRT") {
      f.set(i, price_text(in.gen.between(-150, 150), 2));
    } else if (has(n, "RATE") || has(n, "RLIM") || has(n, "TNRT") || n == "GEAR"
               || n == "PRIT" || n == "CFP") {
      f.set(i, price_text(in.gen.between(0, 10000), 2));
    } else if (n == "DELTA" || n == "GAMA" || n == "VEGA" || n == "RHO") {
      f.set(i, price_text(in.gen.between(0, 10000), 4));
    } else if (n == "THETA") {
      f.set(i, price_text(-in.gen.between(0, 10000), 4));
    } else if (ends(n, "_VAL")) {
      price(i, in.gen.between(0, std::max<std::int64_t>(1, in.last / 10)));
      // -- price changes --------------------------------------------------
    } else if (has(n, "VRSS") || has(n, "DIFF")) {
      std::int64_t d = in.last - in.prev_close;
      if (starts(n, "OPRC"))
        d = in.last - in.open;
      else if (starts(n, "HGPR"))
        d = in.last - in.high;
      else if (starts(n, "LWPR"))
        d = in.last - in.low;
      else if (starts(n, "ANTC"))
        d = in.exp_price - in.prev_close;
      else if (n == "TICK_VRSS")
        d = in.tick * in.gen.between(-2, 2);
      else if (has(n, "DIFF") && d < 0)
        d = -d; // overseas: the sign is a field of its own
      price(i, d);
      // -- prices ---------------------------------------------------------
    } else if (n == "ANTC_CNPR") {
      price(i, in.exp_price);
    } else if (n == "DYNM_MXPR") {
      price(i, in.upper);
    } else if (n == "DYNM_LLAM") {
      price(i, in.lower);
    } else if (n == "SPEAD_PRC") {
      price(i, in.tick);
    } else if (has(n, "PRDY_CLPR") || n == "PREV_PRICE"
               || starts(n, "PRDY_TOTL")) {
      price(i, in.prev_close);
    } else if (has(n, "OPRC") || n == "OPEN" || n == "OPEN_PRICE") {
      price(i, in.open);
    } else if (has(n, "HGPR") || has(n, "HPRC") || n == "HIGH"
               || n == "HIGH_PRICE") {
      price(i, in.high);
    } else if (has(n, "LWPR") || has(n, "LPRC") || n == "LOW"
               || n == "LOW_PRICE") {
      price(i, in.low);
    } else if ((book == "ASKP" || stem == "ASK_PRICE" || stem == "PASK")
               && (level || n == "PASK")) {
      price(i, ask(level ? lvl : 1));
    } else if ((book == "BIDP" || stem == "BID_PRICE" || stem == "PBID")
               && (level || n == "PBID")) {
      price(i, bid(level ? lvl : 1));
    } else if (has(n, "PRPR") || has(n, "NMIX") || has(n, "PRC")
               || has(n, "PRICE") || has(n, "THPR") || n == "LAST"
               || n == "NAV") {
      price(i, in.last);
      // -- quantities -----------------------------------------------------
    } else if ((stem == "ASKP_RSQN" || stem == "ASK_QNTT" || stem == "VASK")
               && (level || n == "VASK")) {
      f.num(i, aq[level ? lvl : 1]);
    } else if ((stem == "BIDP_RSQN" || stem == "BID_QNTT" || stem == "VBID")
               && (level || n == "VBID")) {
      f.num(i, bq[level ? lvl : 1]);
    } else if ((stem == "LP_ASKP_RSQN" || stem == "LP_BIDP_RSQN") && level) {
      f.num(i, (stem == "LP_ASKP_RSQN" ? aq : bq)[lvl] / 2);
    } else if ((stem == "ASKP_CSNU" || stem == "ASK_NUM") && level) {
      f.num(i, ac[lvl]);
    } else if ((stem == "BIDP_CSNU" || stem == "BID_NUM") && level) {
      f.num(i, bc[lvl]);
    } else if (n == "TOTAL_ASKP_RSQN" || n == "AVOL") {
      f.num(i, ta);
    } else if (n == "TOTAL_BIDP_RSQN" || n == "BVOL") {
      f.num(i, tb);
    } else if (n == "TOTAL_ASKP_CSNU") {
      f.num(i, tca);
    } else if (n == "TOTAL_BIDP_CSNU") {
      f.num(i, tcb);
    } else if (n == "CNTG_VOL" || n == "LAST_CNQN" || n == "LAST_QNTT"
               || n == "EVOL" || n == "ANTC_CNQN") {
      f.num(i, in.last_vol);
    } else if (n == "ACML_VOL" || n == "VOL" || n == "TVOL"
               || n == "ANTC_VOL") {
      f.num(i, in.cum_vol);
    } else if (n == "PRDY_VOL") {
      f.num(i, in.prev_vol);
    } else if (n == "ACML_TR_PBMN" || n == "TAMT") {
      f.num(i, in.cum_value);
    } else if (n == "SELN_CNTG_CSNU") {
      f.num(i, in.sell_cnt);
    } else if (n == "SHNU_CNTG_CSNU") {
      f.num(i, in.buy_cnt);
    } else if (n == "NTBY_CNTG_CSNU") {
      f.num(i, in.buy_cnt - in.sell_cnt);
    } else if (n == "SELN_CNTG_SMTN" || n == "ASVL") {
      f.num(i, in.sell_vol);
    } else if (n == "SHNU_CNTG_SMTN" || n == "BIVL") {
      f.num(i, in.buy_vol);
    } else if (ends(n, "_CNT")) {
      f.num(i, in.gen.between(0, 900)); // issues rising, falling, ...
    } else if (has(n, "ICDC") || has(n, "NTBY") || starts(n, "DBID")
               || starts(n, "DASK")) {
      f.num(i, in.gen.between(-500, 500));
    } else {
      f.num(i, in.gen.between(0, 100000));
    }
  }
}

} // namespace kisrt::sim
