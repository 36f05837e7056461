// SPDX-License-Identifier: Apache-2.0
#include "sim/market.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>

#include "net/kis/encode.hpp"
#include "sim/feeds.hpp"

namespace kisrt::sim {

namespace {

struct known_name {
  const char* code;
  const char* name;
  board market;
  std::int64_t base; ///< approximate previous close
};

// The best known listings with their real names (prices are only
// approximate anchors; the seed moves them).
constexpr known_name known[] = {
    {"005930", "삼성전자", board::kospi, 71000},
    {"000660", "SK하이닉스", board::kospi, 180000},
    {"035420", "NAVER", board::kospi, 190000},
    {"035720", "카카오", board::kospi, 40000},
    {"005380", "현대차", board::kospi, 240000},
    {"000270", "기아", board::kospi, 100000},
    {"051910", "LG화학", board::kospi, 350000},
    {"006400", "삼성SDI", board::kospi, 400000},
    {"373220", "LG에너지솔루션", board::kospi, 380000},
    {"207940", "삼성바이오로직스", board::kospi, 800000},
    {"068270", "셀트리온", board::kospi, 180000},
    {"005490", "POSCO홀딩스", board::kospi, 400000},
    {"105560", "KB금융", board::kospi, 70000},
    {"055550", "신한지주", board::kospi, 45000},
    {"012330", "현대모비스", board::kospi, 230000},
    {"028260", "삼성물산", board::kospi, 140000},
    {"066570", "LG전자", board::kospi, 95000},
    {"003550", "LG", board::kospi, 80000},
    {"017670", "SK텔레콤", board::kospi, 52000},
    {"030200", "KT", board::kospi, 37000},
    {"034730", "SK", board::kospi, 160000},
    {"096770", "SK이노베이션", board::kospi, 120000},
    {"015760", "한국전력", board::kospi, 20000},
    {"032830", "삼성생명", board::kospi, 80000},
    {"018260", "삼성에스디에스", board::kospi, 150000},
    {"009150", "삼성전기", board::kospi, 140000},
    {"086790", "하나금융지주", board::kospi, 55000},
    {"316140", "우리금융지주", board::kospi, 14000},
    {"033780", "KT&G", board::kospi, 90000},
    {"011200", "HMM", board::kospi, 17000},
    {"010130", "고려아연", board::kospi, 500000},
    {"003670", "포스코퓨처엠", board::kospi, 250000},
    {"259960", "크래프톤", board::kospi, 250000},
    {"036570", "엔씨소프트", board::kospi, 200000},
    {"251270", "넷마블", board::kospi, 55000},
    {"323410", "카카오뱅크", board::kospi, 25000},
    {"377300", "카카오페이", board::kospi, 30000},
    {"352820", "하이브", board::kospi, 200000},
    {"011170", "롯데케미칼", board::kospi, 100000},
    {"010950", "S-Oil", board::kospi, 70000},
    {"024110", "기업은행", board::kospi, 14000},
    {"000810", "삼성화재", board::kospi, 300000},
    {"009540", "HD한국조선해양", board::kospi, 150000},
    {"042660", "한화오션", board::kospi, 30000},
    {"012450", "한화에어로스페이스", board::kospi, 250000},
    {"047810", "한국항공우주", board::kospi, 50000},
    {"034020", "두산에너빌리티", board::kospi, 18000},
    {"000100", "유한양행", board::kospi, 70000},
    {"128940", "한미약품", board::kospi, 300000},
    {"302440", "SK바이오사이언스", board::kospi, 60000},
    {"326030", "SK바이오팜", board::kospi, 90000},
    {"090430", "아모레퍼시픽", board::kospi, 130000},
    {"051900", "LG생활건강", board::kospi, 350000},
    {"097950", "CJ제일제당", board::kospi, 300000},
    {"271560", "오리온", board::kospi, 95000},
    {"004020", "현대제철", board::kospi, 30000},
    {"010140", "삼성중공업", board::kospi, 9000},
    {"000720", "현대건설", board::kospi, 33000},
    {"006800", "미래에셋증권", board::kospi, 7500},
    {"016360", "삼성증권", board::kospi, 40000},
    {"138040", "메리츠금융지주", board::kospi, 80000},
    {"069500", "KODEX 200", board::kospi, 35000},
    {"122630", "KODEX 레버리지", board::kospi, 18000},
    {"252670", "KODEX 200선물인버스2X", board::kospi, 2500},
    {"229200", "KODEX 코스닥150", board::kospi, 12000},
    {"086520", "에코프로", board::kosdaq, 600000},
    {"247540", "에코프로비엠", board::kosdaq, 250000},
    {"196170", "알테오젠", board::kosdaq, 200000},
    {"028300", "HLB", board::kosdaq, 60000},
    {"293490", "카카오게임즈", board::kosdaq, 22000},
    {"263750", "펄어비스", board::kosdaq, 35000},
    {"041510", "에스엠", board::kosdaq, 80000},
    {"035900", "JYP Ent.", board::kosdaq, 70000},
    {"122870", "와이지엔터테인먼트", board::kosdaq, 40000},
    {"058470", "리노공업", board::kosdaq, 200000},
    {"145020", "휴젤", board::kosdaq, 180000},
    {"214150", "클래시스", board::kosdaq, 40000},
    {"039030", "이오테크닉스", board::kosdaq, 150000},
    {"240810", "원익IPS", board::kosdaq, 30000},
    {"357780", "솔브레인", board::kosdaq, 250000},
};

constexpr const char* name_head[] = {
    "한국", "대한",   "동양", "서울", "미래", "신성", "세진", "대성", "태양",
    "우진", "한양",   "금호", "삼화", "동부", "제일", "신흥", "광명", "아진",
    "유니", "코리아", "대림", "경남", "부산", "한빛", "청담"};
constexpr const char* name_body[] = {
    "전자",   "화학",   "제약",   "바이오",   "에너지", "건설",    "반도체",
    "테크",   "소재",   "산업",   "정밀",     "통신",   "식품",    "물산",
    "중공업", "시스템", "로직스", "헬스케어", "엔터",   "모빌리티"};
constexpr const char* name_tail[] = {"", "홀딩스", "머티리얼즈", "글로벌",
                                     "네트웍스"};

struct us_seed {
  const char* symbol;
  const char* exchange;
  std::int64_t base; ///< dollars
};

constexpr us_seed us_known[] = {
    {"AAPL", "NAS", 190}, {"MSFT", "NAS", 420}, {"NVDA", "NAS", 120},
    {"TSLA", "NAS", 250}, {"AMZN", "NAS", 185}, {"GOOGL", "NAS", 170},
    {"META", "NAS", 500}, {"NFLX", "NAS", 650}, {"AMD", "NAS", 160},
    {"QQQ", "NAS", 480},  {"SPY", "AMS", 550},  {"IBM", "NYS", 190},
    {"KO", "NYS", 62},    {"JPM", "NYS", 200},
};

std::int64_t round_tick(std::int64_t p) noexcept {
  auto t = tick_size(p);
  return std::max<std::int64_t>(1, (p + t / 2) / t * t);
}

std::int64_t clamp_limits(const stock& s, std::int64_t p) noexcept {
  return std::clamp(p, s.lower, s.upper);
}

// A price `n` ticks away from p (n may be negative), on the grid.
std::int64_t step_ticks(std::int64_t p, int n) noexcept {
  for (; n > 0; --n)
    p += tick_size(p);
  for (; n < 0; ++n)
    p = std::max<std::int64_t>(1, p - tick_size(p - 1));
  return p;
}

void put(record_fields& f, std::size_t i, std::int64_t v) {
  f.num(i, v);
}

// "<sign><int>.<frac digits>" without printf (the feed's hot path).
std::string fixed(std::int64_t v, int digits) {
  char buf[32];
  char* p = buf;
  std::uint64_t a = v < 0 ? static_cast<std::uint64_t>(-(v + 1)) + 1
                          : static_cast<std::uint64_t>(v);
  if (v < 0)
    *p++ = '-';
  std::uint64_t scale = digits == 2 ? 100 : 10000;
  p = std::to_chars(p, buf + sizeof(buf), a / scale).ptr;
  *p++ = '.';
  auto frac = a % scale;
  for (int i = digits - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  p += digits;
  return std::string(buf, p);
}

char sign_of(std::int64_t d) noexcept {
  return d > 0 ? '2' : d < 0 ? '5' : '3';
}

std::int64_t trade_qty(stock& s) {
  // Small lots dominate, with a fat tail; cheaper stocks trade more shares.
  double scale = std::max(1.0, 2.0e6 / static_cast<double>(s.last + 1));
  double u = s.gen.uniform();
  auto q = static_cast<std::int64_t>(1 + u * u * u * scale * 0.5);
  return std::max<std::int64_t>(1, q);
}

} // namespace

void record_fields::set(std::size_t i, std::string_view s) {
  auto n = std::min(s.size(), arena_.size() - used_);
  std::copy_n(s.data(), n, arena_.data() + used_);
  views_[i] = std::string_view{arena_.data() + used_, n};
  used_ += n;
}

void record_fields::num(std::size_t i, std::int64_t v) {
  char* first = arena_.data() + used_;
  char* last = arena_.data() + arena_.size();
  auto r = std::to_chars(first, last, v);
  if (r.ec != std::errc{})
    r.ptr = first;
  views_[i] = std::string_view{first, static_cast<std::size_t>(r.ptr - first)};
  used_ += static_cast<std::size_t>(r.ptr - first);
}

std::int64_t tick_size(std::int64_t p) noexcept {
  if (p < 2000)
    return 1;
  if (p < 5000)
    return 5;
  if (p < 20000)
    return 10;
  if (p < 50000)
    return 50;
  if (p < 200000)
    return 100;
  if (p < 500000)
    return 500;
  return 1000;
}

std::int64_t floor_tick(std::int64_t p) noexcept {
  auto t = tick_size(p);
  return p / t * t;
}

std::int64_t ceil_tick(std::int64_t p) noexcept {
  auto t = tick_size(p);
  auto q = (p + t - 1) / t * t;
  // Crossing a band boundary can change the tick; re-check once.
  if (tick_size(q) != t)
    q = (p + tick_size(q) - 1) / tick_size(q) * tick_size(q);
  return q;
}

char stock::sign() const noexcept {
  if (last >= upper && last > prev_close)
    return '1';
  if (last <= lower && last < prev_close)
    return '4';
  return sign_of(last - prev_close);
}

std::int64_t stock::rate_bp() const noexcept {
  if (prev_close == 0)
    return 0;
  double r = static_cast<double>(last - prev_close) * 10000.0
             / static_cast<double>(prev_close);
  return static_cast<std::int64_t>(std::llround(r));
}

std::string hhmmss(int kst) {
  kst = ((kst % 86400) + 86400) % 86400;
  int h = kst / 3600, m = (kst / 60) % 60, s = kst % 60;
  char buf[6] = {
      static_cast<char>('0' + h / 10), static_cast<char>('0' + h % 10),
      static_cast<char>('0' + m / 10), static_cast<char>('0' + m % 10),
      static_cast<char>('0' + s / 10), static_cast<char>('0' + s % 10)};
  return std::string(buf, 6);
}

std::string fixed2(std::int64_t v) {
  return fixed(v, 2);
}

std::string fixed4(std::int64_t v) {
  return fixed(v, 4);
}

market::market(std::uint64_t seed, std::int32_t date, int kst_start)
    : date_(date) {
  std::set<std::string> used;
  for (const auto& k : known)
    used.insert(k.code);
  stocks_.reserve(2100);
  for (const auto& k : known)
    add_stock(k.code, k.name, k.market, k.base, seed, kst_start);
  // Synthetic listings: codes end in 0 like most KRX common shares; names
  // are built from syllables, the same for every seed.
  std::size_t i = 0;
  std::set<std::string> names;
  for (const auto& k : known)
    names.insert(k.name);
  // 7919 is prime to 99000, so j -> code is distinct for j < 99000.
  for (std::uint32_t j = 1; stocks_.size() < 2100 && j < 99000; ++j) {
    auto code_no = (j * 7919u) % 99000u + 1000u;
    char buf[8];
    std::snprintf(buf, sizeof(buf), "%05u0", code_no);
    std::string code = buf;
    if (!used.insert(code).second)
      continue;
    constexpr auto nh = std::size(name_head);
    constexpr auto nb = std::size(name_body);
    constexpr auto nt = std::size(name_tail);
    std::string name = std::string{name_head[i % nh]} + name_body[(i / nh) % nb]
                       + name_tail[(i / (nh * nb)) % nt];
    ++i;
    if (!names.insert(name).second)
      continue;
    rng g{seed ^ fnv1a(code) ^ 0x5eedULL};
    auto base = static_cast<std::int64_t>(
        std::exp(g.uniform(std::log(800.0), std::log(400000.0))));
    add_stock(std::move(code), std::move(name),
              i % 3 == 0 ? board::kospi : board::kosdaq, base, seed, kst_start);
  }
  for (std::size_t j = 0; j < stocks_.size(); ++j)
    index_.emplace(stocks_[j].code, j);
  for (const auto& u : us_known) {
    us_stock s;
    s.symbol = u.symbol;
    s.exchange = u.exchange;
    s.gen = rng{seed ^ fnv1a(u.symbol) ^ 0x05ULL};
    s.prev_close =
        u.base * 10000 + s.gen.between(-u.base * 500, u.base * 500) / 100 * 100;
    s.open = s.high = s.low = s.last = s.prev_close;
    s.cum_vol = s.gen.between(100000, 5000000);
    s.cum_value =
        static_cast<double>(s.cum_vol) * static_cast<double>(s.last) / 10000.0;
    us_.push_back(std::move(s));
  }
}

void market::add_stock(std::string code, std::string name, board b,
                       std::int64_t base, std::uint64_t seed, int kst_start) {
  stock s;
  s.gen = rng{seed ^ fnv1a(code)};
  s.code = std::move(code);
  s.name = std::move(name);
  s.market = b;
  s.prev_close = round_tick(static_cast<std::int64_t>(
      static_cast<double>(base) * (1.0 + s.gen.uniform(-0.1, 0.1))));
  s.upper = floor_tick(s.prev_close * 13 / 10);
  s.lower = ceil_tick((s.prev_close * 7 + 9) / 10);
  double lots = std::max(1.0, 3.0e9 / static_cast<double>(s.prev_close));
  s.prev_vol = static_cast<std::int64_t>(lots * s.gen.uniform(0.05, 1.5));
  s.listed = s.prev_vol * s.gen.between(80, 900);
  double move = s.gen.normal(0.02);
  if (s.gen.chance(0.03))
    move = (s.gen.chance(0.5) ? 1 : -1) * s.gen.uniform(0.10, 0.35);
  s.target = static_cast<double>(s.prev_close) * (1.0 + move);
  s.last = s.prev_close;
  s.exp_price = s.prev_close;
  s.ask1 = step_ticks(s.last, 1);
  s.bid1 = s.last;
  s.touched = kst_start;
  if (kst_start >= kst_open) {
    // Already trading: summarise the session so far.
    double frac = std::clamp(
        static_cast<double>(std::min(kst_start, kst_close) - kst_open)
            / (kst_close - kst_open),
        0.02, 1.0);
    s.opened = true;
    s.open = clamp_limits(s, round_tick(static_cast<std::int64_t>(
                                 static_cast<double>(s.prev_close)
                                 * (1.0 + s.gen.normal(0.01)))));
    double now = static_cast<double>(s.open)
                 + (s.target - static_cast<double>(s.open)) * frac;
    s.last = clamp_limits(s, round_tick(static_cast<std::int64_t>(now)));
    s.high = clamp_limits(s, step_ticks(std::max(s.open, s.last),
                                        static_cast<int>(s.gen.between(0, 4))));
    s.low = clamp_limits(s, step_ticks(std::min(s.open, s.last),
                                       -static_cast<int>(s.gen.between(0, 4))));
    s.open_time = kst_open;
    s.high_time = static_cast<int>(
        s.gen.between(kst_open, std::max(kst_open, kst_start - 1)));
    s.low_time = static_cast<int>(
        s.gen.between(kst_open, std::max(kst_open, kst_start - 1)));
    s.cum_vol = std::max<std::int64_t>(
        1, static_cast<std::int64_t>(static_cast<double>(s.prev_vol) * frac
                                     * s.gen.uniform(0.6, 1.4)));
    s.cum_value = s.cum_vol * ((s.open + s.last) / 2);
    s.buy_qty = s.cum_vol / 2 + s.gen.between(0, s.cum_vol / 10);
    s.sell_qty = s.cum_vol - s.buy_qty;
    s.buy_cnt = std::max<std::int64_t>(1, s.buy_qty / 40);
    s.sell_cnt = std::max<std::int64_t>(1, s.sell_qty / 40);
    s.last_vol = 1;
    s.pgm_buy_qty = s.cum_vol / 20;
    s.pgm_sell_qty = s.cum_vol / 22;
    s.pgm_buy_value = s.pgm_buy_qty * s.last;
    s.pgm_sell_value = s.pgm_sell_qty * s.last;
    s.ask1 = s.last < s.upper ? step_ticks(s.last, 1) : 0;
    s.bid1 = s.last;
  }
  stocks_.push_back(std::move(s));
}

stock* market::find(std::string_view code) noexcept {
  auto it = index_.find(std::string{code});
  return it == index_.end() ? nullptr : &stocks_[it->second];
}

us_stock* market::find_us(std::string_view symbol) noexcept {
  for (auto& u : us_)
    if (u.symbol == symbol)
      return &u;
  return nullptr;
}

void market::trade(stock& s, int kst) {
  if (!s.opened) {
    // The opening trade happens at the last expected price.
    s.opened = true;
    s.last = clamp_limits(s, s.exp_price);
    s.open = s.high = s.low = s.last;
    s.open_time = s.high_time = s.low_time = kst;
  } else {
    double pull = (s.target - static_cast<double>(s.last))
                  / static_cast<double>(
                      std::max<std::int64_t>(1, tick_size(s.last) * 40));
    double x = s.gen.normal(0.9) + std::clamp(pull, -0.6, 0.6);
    int n = static_cast<int>(std::lround(x));
    s.last = clamp_limits(s, step_ticks(s.last, std::clamp(n, -3, 3)));
  }
  auto q = trade_qty(s);
  s.last_vol = q;
  // Up-ticks are mostly buyer-initiated.
  s.last_buy = s.last > s.bid1   ? true
               : s.last < s.bid1 ? false
                                 : s.gen.chance(0.5);
  s.cum_vol += q;
  s.cum_value += q * s.last;
  if (s.last_buy) {
    ++s.buy_cnt;
    s.buy_qty += q;
  } else {
    ++s.sell_cnt;
    s.sell_qty += q;
  }
  if (s.last > s.high) {
    s.high = s.last;
    s.high_time = kst;
  }
  if (s.last < s.low) {
    s.low = s.last;
    s.low_time = kst;
  }
  if (s.last_buy) {
    s.ask1 = s.last;
    s.bid1 = s.last > s.lower ? step_ticks(s.last, -1) : 0;
  } else {
    s.bid1 = s.last;
    s.ask1 = s.last < s.upper ? step_ticks(s.last, 1) : 0;
  }
  if (s.ask1 == 0 && s.bid1 == 0)
    s.bid1 = s.last;
  ++s.trades;
  s.touched = kst;
}

void market::expect(stock& s, int kst) {
  auto n = static_cast<int>(s.gen.between(-2, 2));
  double pull = (s.target - static_cast<double>(s.exp_price))
                / static_cast<double>(tick_size(s.exp_price) * 60);
  n += static_cast<int>(std::lround(std::clamp(pull, -1.0, 1.0)));
  s.exp_price = clamp_limits(s, step_ticks(s.exp_price, n));
  s.exp_qty = trade_qty(s) * 5;
  s.exp_vol += s.exp_qty;
  s.touched = kst;
}

void market::program(stock& s) {
  auto q = trade_qty(s) * 3;
  if (s.gen.chance(0.5)) {
    s.pgm_buy_qty += q;
    s.pgm_buy_value += q * s.last;
  } else {
    s.pgm_sell_qty += q;
    s.pgm_sell_value += q * s.last;
  }
}

void market::touch(stock& s, int kst) {
  int from = std::max(s.touched, kst_open);
  int to = std::min(kst, kst_close);
  if (to <= from) {
    s.touched = std::max(s.touched, kst);
    return;
  }
  int steps = std::min(30, (to - from) / 2 + 1);
  for (int i = 0; i < steps; ++i)
    trade(s, from + (to - from) * (i + 1) / steps);
}

void market::flush(std::string& payload) {
  kis::append_record(payload, fields_.views());
}

void market::append_trade(const stock& s, int kst, std::string& payload) {
  auto& f = fields_;
  f.reset(46);
  f[0] = s.code;
  f[1] = hhmmss(kst);
  put(f, 2, s.last);
  f[3] = std::string(1, s.sign());
  put(f, 4, s.change());
  f[5] = fixed2(s.rate_bp());
  f[6] = fixed2(s.cum_vol > 0 ? s.cum_value * 100 / s.cum_vol : s.last * 100);
  put(f, 7, s.open);
  put(f, 8, s.high);
  put(f, 9, s.low);
  put(f, 10, s.ask1);
  put(f, 11, s.bid1);
  put(f, 12, s.last_vol);
  put(f, 13, s.cum_vol);
  put(f, 14, s.cum_value);
  put(f, 15, s.sell_cnt);
  put(f, 16, s.buy_cnt);
  put(f, 17, s.buy_cnt - s.sell_cnt);
  f[18] = fixed2(s.sell_qty > 0 ? s.buy_qty * 10000 / s.sell_qty : 0);
  put(f, 19, s.sell_qty);
  put(f, 20, s.buy_qty);
  f[21] = s.last_buy ? "1" : "5";
  auto both = s.buy_qty + s.sell_qty;
  f[22] = fixed2(both > 0 ? s.buy_qty * 10000 / both : 0);
  f[23] = fixed2(s.prev_vol > 0 ? s.cum_vol * 10000 / s.prev_vol : 0);
  f[24] = hhmmss(s.open_time);
  f[25] = std::string(1, sign_of(s.last - s.open));
  put(f, 26, s.last - s.open);
  f[27] = hhmmss(s.high_time);
  f[28] = std::string(1, sign_of(s.last - s.high));
  put(f, 29, s.last - s.high);
  f[30] = hhmmss(s.low_time);
  f[31] = std::string(1, sign_of(s.last - s.low));
  put(f, 32, s.last - s.low);
  put(f, 33, date_);
  f[34] = "20";
  f[35] = "N";
  auto a = s.last_vol * 3 + 100, b = s.last_vol * 2 + 150;
  put(f, 36, s.ask1 > 0 ? a : 0);
  put(f, 37, s.bid1 > 0 ? b : 0);
  put(f, 38, a * 14);
  put(f, 39, b * 15);
  f[40] = fixed2(s.listed > 0 ? s.cum_vol * 10000 / s.listed : 0);
  double day_frac = std::clamp(
      static_cast<double>(kst - kst_open) / (kst_close - kst_open), 0.01, 1.0);
  auto smns = std::max<std::int64_t>(
      1, static_cast<std::int64_t>(static_cast<double>(s.prev_vol) * day_frac));
  put(f, 41, smns);
  f[42] = fixed2(s.cum_vol * 10000 / smns);
  f[43] = "0";
  f[44] = "0";
  put(f, 45, s.open);
  flush(payload);
}

void market::append_book(stock& s, int kst, std::string& payload,
                         const kis::tr_layout* layout) {
  constexpr std::size_t krx_width = 59;
  auto width =
      layout != nullptr ? std::max(layout->width, krx_width) : krx_width;
  auto& f = fields_;
  f.reset(width);
  f[0] = s.code;
  f[1] = hhmmss(kst);
  bool pre = !s.opened;
  f[2] = pre ? "A" : "0";
  // Best levels around the last (or expected) price, within the limits.
  std::int64_t ref = pre ? s.exp_price : s.last;
  std::int64_t ask = pre ? step_ticks(ref, 1) : s.ask1;
  std::int64_t bid = pre ? ref : s.bid1;
  std::int64_t tot_a = 0, tot_b = 0;
  for (int i = 0; i < 10; ++i) {
    std::int64_t ap = ask > 0 ? step_ticks(ask, i) : 0;
    if (ap > s.upper)
      ap = 0;
    std::int64_t bp = bid > 0 ? step_ticks(bid, -i) : 0;
    if (bp < s.lower)
      bp = 0;
    std::int64_t aq = ap > 0 ? s.gen.between(1, 40) * 50 : 0;
    std::int64_t bq = bp > 0 ? s.gen.between(1, 40) * 50 : 0;
    put(f, 3 + i, ap);
    put(f, 13 + i, bp);
    put(f, 23 + i, aq);
    put(f, 33 + i, bq);
    tot_a += aq;
    tot_b += bq;
  }
  put(f, 43, tot_a);
  put(f, 44, tot_b);
  put(f, 45, 0);
  put(f, 46, 0);
  put(f, 47, pre ? s.exp_price : 0);
  put(f, 48, pre ? s.exp_qty : 0);
  put(f, 49, pre ? s.exp_vol : 0);
  auto d = pre ? s.exp_price - s.prev_close : 0;
  put(f, 50, d);
  f[51] = std::string(1, sign_of(d));
  f[52] = fixed2(pre && s.prev_close > 0 ? d * 10000 / s.prev_close : 0);
  put(f, 53, s.cum_vol);
  put(f, 54, s.gen.between(-500, 500));
  put(f, 55, s.gen.between(-500, 500));
  put(f, 56, 0);
  put(f, 57, 0);
  f[58] = "0";
  if (width > krx_width) {
    instrument in;
    in.key = s.code;
    in.gen = rng{s.gen.next()};
    follow_stock(in, s, 0);
    fill_by_name(f, *layout, krx_width, in, kst, date_);
  }
  flush(payload);
}

void market::append_expected(const stock& s, int kst, std::string& payload,
                             const kis::tr_layout* layout) {
  constexpr std::size_t krx_width = 45;
  auto width =
      layout != nullptr ? std::max(layout->width, krx_width) : krx_width;
  auto& f = fields_;
  f.reset(width);
  auto d = s.exp_price - s.prev_close;
  f[0] = s.code;
  f[1] = hhmmss(kst);
  put(f, 2, s.exp_price);
  f[3] = std::string(1, sign_of(d));
  put(f, 4, d);
  f[5] = fixed2(s.prev_close > 0 ? d * 10000 / s.prev_close : 0);
  put(f, 6, 0);
  for (int i = 7; i <= 9; ++i)
    put(f, static_cast<std::size_t>(i), 0);
  put(f, 10, step_ticks(s.exp_price, 1));
  put(f, 11, s.exp_price);
  put(f, 12, s.exp_qty);
  put(f, 13, s.exp_vol);
  put(f, 14, s.exp_vol * s.exp_price);
  for (int i = 15; i <= 20; ++i)
    put(f, static_cast<std::size_t>(i), 0);
  f[21] = "3";
  f[22] = "0.00";
  f[23] = fixed2(s.prev_vol > 0 ? s.exp_vol * 10000 / s.prev_vol : 0);
  for (int i = 24; i <= 32; ++i)
    f[static_cast<std::size_t>(i)] = i % 3 == 0   ? "000000"
                                     : i % 3 == 1 ? "3"
                                                  : "0";
  put(f, 33, date_);
  f[34] = "10";
  f[35] = "N";
  put(f, 36, s.exp_qty);
  put(f, 37, s.exp_qty);
  put(f, 38, s.exp_qty * 12);
  put(f, 39, s.exp_qty * 11);
  f[40] = "0.00";
  put(f, 41, 0);
  f[42] = "0.00";
  f[43] = "A";
  f[44] = "0";
  if (width > krx_width) {
    instrument in;
    in.key = s.code;
    in.gen = rng{fnv1a(s.code) ^ static_cast<std::uint64_t>(kst)};
    follow_stock(in, s, 0);
    fill_by_name(f, *layout, krx_width, in, kst, date_);
  }
  flush(payload);
}

void market::append_generic(const kis::tr_layout& layout, instrument& in,
                            int kst, std::string& payload) {
  fields_.reset(layout.width);
  fill_by_name(fields_, layout, 0, in, kst, date_);
  flush(payload);
}

void market::append_program(const stock& s, int kst, std::string& payload) {
  auto& f = fields_;
  f.reset(11);
  f[0] = s.code;
  f[1] = hhmmss(kst);
  put(f, 2, s.pgm_sell_qty);
  put(f, 3, s.pgm_sell_value);
  put(f, 4, s.pgm_buy_qty);
  put(f, 5, s.pgm_buy_value);
  put(f, 6, s.pgm_buy_qty - s.pgm_sell_qty);
  put(f, 7, s.pgm_buy_value - s.pgm_sell_value);
  put(f, 8, s.last_vol * 7 + 300);
  put(f, 9, s.last_vol * 6 + 200);
  put(f, 10, (s.pgm_buy_qty - s.pgm_sell_qty) * 3);
  flush(payload);
}

void market::us_trade(us_stock& s) {
  auto step = std::max<std::int64_t>(100, s.last / 5000) / 100 * 100;
  auto n = s.gen.between(-2, 2);
  s.last = std::max<std::int64_t>(100, s.last + n * step);
  s.high = std::max(s.high, s.last);
  s.low = std::min(s.low, s.last);
  s.last_vol = s.gen.between(1, 500);
  s.cum_vol += s.last_vol;
  s.cum_value +=
      static_cast<double>(s.last_vol) * static_cast<double>(s.last) / 10000.0;
  (n >= 0 ? s.buy_vol : s.sell_vol) += s.last_vol;
}

void market::append_us_trade(const us_stock& s, std::string_view rsym, int kst,
                             std::string& payload) {
  auto& f = fields_;
  f.reset(26);
  // New York is 14 hours behind KST (EST); good enough for a simulator.
  int local = kst - 14 * 3600;
  auto local_date = local < 0 ? date_ - 1 : date_;
  f[0] = rsym;
  f[1] = s.symbol;
  f[2] = "4";
  put(f, 3, local_date);
  put(f, 4, local_date);
  f[5] = hhmmss(local);
  put(f, 6, date_);
  f[7] = hhmmss(kst);
  f[8] = fixed4(s.open);
  f[9] = fixed4(s.high);
  f[10] = fixed4(s.low);
  f[11] = fixed4(s.last);
  auto d = s.last - s.prev_close;
  f[12] = std::string(1, sign_of(d));
  f[13] = fixed4(d < 0 ? -d : d);
  f[14] = fixed2(s.prev_close > 0 ? d * 10000 / s.prev_close : 0);
  f[15] = fixed4(s.last - 100);
  f[16] = fixed4(s.last);
  put(f, 17, 100 + s.last_vol % 300);
  put(f, 18, 120 + s.last_vol % 250);
  put(f, 19, s.last_vol);
  put(f, 20, s.cum_vol);
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%.2f", s.cum_value);
  f[21] = buf;
  put(f, 22, s.buy_vol);
  put(f, 23, s.sell_vol);
  f[24] = fixed2(s.sell_vol > 0 ? s.buy_vol * 10000 / s.sell_vol : 0);
  f[25] = "1";
  flush(payload);
}

} // namespace kisrt::sim
