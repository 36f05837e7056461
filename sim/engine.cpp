// SPDX-License-Identifier: Apache-2.0
#include "sim/engine.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <random>
#include <set>
#include <stdexcept>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "net/kis/control.hpp"
#include "net/kis/encode.hpp"
#include "net/kis/layout.hpp"
#include "net/kis/requests.hpp"
#include "sim/log.hpp"

namespace kisrt::sim {

namespace json = boost::json;

namespace {

constexpr std::int64_t approval_life_ms = 24LL * 3600 * 1000;
// Queued bytes above which a session's feed pauses for a round.
constexpr std::size_t backpressure_bytes = 4 * 1024 * 1024;

std::int32_t today_kst() {
  auto t =
      std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())
      + 9 * 3600;
  std::tm tm{};
  gmtime_r(&t, &tm);
  return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

std::int32_t resolve_date(const options& o) {
  return o.kst_date != 0 ? o.kst_date : today_kst();
}

std::string utc_iso(std::chrono::system_clock::time_point tp) {
  auto t = std::chrono::system_clock::to_time_t(tp);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool is_digits(std::string_view s, std::size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) {
           return c >= '0' && c <= '9';
         });
}

bool printable(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f;
  });
}

json::string_view jsv(std::string_view s) {
  return {s.data(), s.size()};
}

std::string pad10(std::uint64_t n) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%010llu",
                static_cast<unsigned long long>(n));
  return buf;
}

constexpr std::string_view overseas_exchanges[] = {
    "NAS", "NYS", "AMS", "BAQ", "BAY", "BAA", "HKS",
    "TSE", "SHS", "SZS", "SHI", "SZI", "HSX", "HNX"};

} // namespace

// -- http_request --

std::string_view http_request::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k.size() == name.size()
        && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a))
                    == std::tolower(static_cast<unsigned char>(b));
           }))
      return v;
  return {};
}

bool http_request::has_header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k.size() == name.size()
        && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a))
                    == std::tolower(static_cast<unsigned char>(b));
           }))
      return true;
  return false;
}

// -- engine --

engine::engine(options opts)
    : opts_(std::move(opts))
    , start_(std::chrono::steady_clock::now())
    , start_wall_(std::chrono::system_clock::now())
    , rng_(opts_.seed * 0x9e3779b97f4a7c15ULL + 7)
    , keys_(std::random_device{}()
            ^ (static_cast<std::uint64_t>(std::random_device{}()) << 32))
    , market_(opts_.seed, resolve_date(opts_), opts_.kst_start) {
  if (opts_.batch_max == 0)
    opts_.batch_max = 1;
  if (opts_.batch_max > 999)
    opts_.batch_max = 999;
  next_order_ = opts_.first_order;
  for (int i = 0; i < 64; ++i)
    hmac_key_ += static_cast<char>(keys_.next() & 0xff);
  for (const auto& a : opts_.accounts) {
    account_state st;
    st.acct = a;
    accounts_.push_back(std::move(st));
  }
  for (const auto& h : opts_.holdings) {
    auto* a = account_by_cano(h.cano);
    auto* st = market_.find(h.code);
    if (a == nullptr)
      throw std::runtime_error("holding for unknown account " + h.cano);
    if (st == nullptr)
      throw std::runtime_error("holding of unknown code " + h.code);
    auto& p = a->pos[h.code];
    p.qty += h.qty;
    p.prev_qty += h.qty;
    p.pchs_amt += h.qty * st->prev_close;
  }
}

engine::~engine() = default;

std::int64_t engine::now_ms() const {
  return now_us() / 1000;
}

std::int64_t engine::now_us() const {
  std::int64_t t = offset_ms_ * 1000;
  if (!opts_.manual_clock)
    t += std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now() - start_)
             .count();
  return t;
}

void engine::advance(std::chrono::milliseconds d) {
  if (d.count() > 0)
    offset_ms_ += d.count();
}

int engine::kst() const {
  return static_cast<int>((opts_.kst_start + now_ms() / 1000) % 86400);
}

std::string engine::kst_datetime() const {
  return std::to_string(market_.date()) + hhmmss(kst());
}

std::int64_t engine::unix_now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(
             start_wall_.time_since_epoch())
             .count()
         + now_ms() / 1000;
}

std::string engine::new_uuid() {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20)
      out += '-';
    out += hex[keys_.next() & 15];
  }
  return out;
}

std::string engine::gt_uid() {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 32; ++i)
    out += hex[keys_.next() & 15];
  return out;
}

std::size_t engine::effective_cap() const {
  return cap_override_ != 0 ? cap_override_ : opts_.cap;
}

engine::session* engine::find_session(std::uint64_t id) {
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : &it->second;
}

engine::session* engine::session_of_key(std::string_view app_key) {
  for (auto& [id, s] : sessions_)
    if (s.app_key == app_key)
      return &s;
  return nullptr;
}

engine::account_state* engine::account_by_key(std::string_view app_key) {
  for (auto& a : accounts_)
    if (a.acct.app_key == app_key)
      return &a;
  return nullptr;
}

engine::account_state* engine::account_by_cano(std::string_view cano) {
  for (auto& a : accounts_)
    if (a.acct.cano == cano)
      return &a;
  return nullptr;
}

void engine::at(std::int64_t due, std::function<void()> f) {
  schedule_.push_back(scheduled{due, schedule_seq_++, std::move(f)});
}

bool engine::send(session& s, std::string msg, bool data) {
  if (s.closing)
    return false;
  if (s.stalled) {
    ++s.dropped;
    return false;
  }
  s.link->send(std::make_shared<const std::string>(std::move(msg)), data);
  return true;
}

void engine::count_answer(bool sent, const std::string& msg_cd) {
  ++(sent ? answers_ : answers_lost_)[msg_cd];
}

void engine::send_control(session& s, std::string msg, std::string msg_cd) {
  auto deliver = [this](session& x, std::string m, const std::string& cd) {
    if (drop_answers_left_ > 0) {
      --drop_answers_left_;
      count_answer(false, cd);
      return;
    }
    count_answer(send(x, std::move(m), false), cd);
  };
  if (delay_acks_ms_ <= 0) {
    deliver(s, std::move(msg), msg_cd);
    return;
  }
  auto id = s.id;
  at(now_ms() + delay_acks_ms_,
     [this, id, deliver, m = std::move(msg), cd = std::move(msg_cd)]() mutable {
       if (auto* x = find_session(id))
         deliver(*x, std::move(m), cd);
       else
         count_answer(false, cd);
     });
}

void engine::close_session(session& s, bool with_frame) {
  if (s.closing)
    return;
  s.closing = true;
  s.link->close(with_frame);
}

// -- WebSocket --

std::uint64_t engine::ws_open(std::shared_ptr<ws_link> link,
                              std::string remote) {
  auto id = next_session_++;
  auto& s = sessions_[id];
  s.id = id;
  s.link = std::move(link);
  s.remote = std::move(remote);
  s.since_ms = now_ms();
  s.since_utc = utc_iso(std::chrono::system_clock::now());
  // A fresh AES key (32 letters) and iv (16 hex digits) per session, as
  // KIS hands out in its SUBSCRIBE SUCCESS answers.
  for (int i = 0; i < 32; ++i)
    s.aes_key += static_cast<char>('a' + keys_.next() % 26);
  static constexpr char hex[] = "0123456789abcdef";
  for (int i = 0; i < 16; ++i)
    s.aes_iv += hex[keys_.next() & 15];
  s.aes.set(s.aes_key, s.aes_iv);
  s.next_ping = s.since_ms + opts_.pingpong_interval.count();
  log()->info("ws session {} connected from {}", id, s.remote);
  return id;
}

void engine::ws_text(std::uint64_t id, std::string_view msg) {
  auto* s = find_session(id);
  if (s == nullptr || s->closing)
    return;
  if (pingpong_answer(*s, msg))
    return;
  handle_subscribe(*s, msg);
}

bool engine::pingpong_answer(session& s, std::string_view msg) {
  if (msg.find("PINGPONG") == std::string_view::npos)
    return false;
  kis::control_message c;
  if (kis::parse_control(msg, c) || c.kind != kis::control_kind::pingpong)
    return false;
  if (s.ping_outstanding >= 0) {
    s.ping_outstanding = -1;
    ++s.pings_answered;
    ++pings_answered_;
  }
  return true;
}

void engine::ws_pong(std::uint64_t id, std::string_view payload) {
  auto* s = find_session(id);
  if (s == nullptr || s->closing || opts_.pingpong_strict)
    return;
  if (payload.empty())
    return;
  kis::control_message c;
  if (kis::parse_control(payload, c) || c.kind != kis::control_kind::pingpong)
    return;
  if (s->ping_outstanding >= 0) {
    s->ping_outstanding = -1;
    ++s->pings_answered;
    ++pings_answered_;
  }
}

void engine::ws_closed(std::uint64_t id) {
  auto it = sessions_.find(id);
  if (it == sessions_.end())
    return;
  auto& s = it->second;
  if (!s.app_key.empty() && !s.no_hold && opts_.hold_after_close.count() > 0)
    held_[s.app_key] = now_ms() + opts_.hold_after_close.count();
  log()->info("ws session {} closed (app key {})", id,
              s.app_key.empty() ? std::string{"-"} : s.app_key);
  sessions_.erase(it);
}

bool engine::refusing() const {
  return refuse_until_ >= 0 && now_ms() < refuse_until_;
}

void engine::close_all() {
  for (auto& [id, s] : sessions_)
    close_session(s, true);
}

std::string_view engine::check_tr_key(const session& s, std::string_view tr_id,
                                      std::string_view tr_key, feed& kind,
                                      bool& drop) {
  kind = feed::none;
  drop = false;
  if (tr_key.empty() || tr_key.size() > 64 || !printable(tr_key))
    return "OPSP8993";
  auto* layout = kis::find_layout(tr_id);
  if (layout != nullptr && layout->encrypted) {
    auto* a = const_cast<engine*>(this)->account_by_key(s.app_key);
    if (a == nullptr || a->acct.hts_id != tr_key) {
      drop = true;
      return "OPSP8992";
    }
    kind = feed::notice;
    return {};
  }
  auto prefix = tr_id.substr(0, 4);
  if (prefix == "H0ST" || prefix == "H0UN" || prefix == "H0NX") {
    if (!is_digits(tr_key, 6))
      return "OPSP8992";
    auto* st = const_cast<engine*>(this)->market_.find(tr_key);
    if (st == nullptr)
      return "OPSP8992";
    auto tail = tr_id.substr(4);
    if (tail == "CNT0")
      kind = feed::trade;
    else if (tail == "ASP0")
      kind = feed::book;
    else if (tail == "ANC0")
      kind = feed::expected;
    else if (tail == "PGM0")
      kind = feed::program;
    else
      kind = feed::generic;
    return {};
  }
  if (tr_id.substr(0, 4) == "HDFS") {
    if (tr_key.size() < 5 || (tr_key[0] != 'D' && tr_key[0] != 'R'))
      return "OPSP8992";
    auto ex = tr_key.substr(1, 3);
    if (std::find(std::begin(overseas_exchanges), std::end(overseas_exchanges),
                  ex)
        == std::end(overseas_exchanges))
      return "OPSP8992";
    auto sym = tr_key.substr(4);
    if (sym.size() > 16 || !std::all_of(sym.begin(), sym.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '.';
        }))
      return "OPSP8992";
    if (tr_id == "HDFSCNT0"
        && const_cast<engine*>(this)->market_.find_us(sym) != nullptr)
      kind = feed::us_trade;
    else
      kind = feed::generic;
    return {};
  }
  if (!key_form_error(tr_id, tr_key).empty())
    return "OPSP8992";
  kind = feed::generic;
  return {};
}

void engine::handle_subscribe(session& s, std::string_view msg) {
  kis::subscription_request req;
  auto err = kis::parse_subscription(msg, req);
  auto ack = [&](std::string_view code, bool enc = false) {
    send_control(s, kis::encode_ack(req.tr_id, req.tr_key, enc, code),
                 std::string{code});
  };
  if (!err.empty()) {
    ack(err);
    return;
  }
  if (req.custtype == "B") {
    // Corporate customers carry their secrets in the header.
    boost::system::error_code ec;
    auto doc = json::parse(msg, ec);
    const json::object* h = nullptr;
    if (!ec && doc.is_object())
      if (auto* p = doc.as_object().if_contains("header"))
        h = p->if_object();
    if (h == nullptr || !h->contains("appsecret")) {
      ack("OPSP8995");
      return;
    }
    if (!h->contains("personalseckey")) {
      ack("OPSP8994");
      return;
    }
  }
  auto ap = approvals_.find(req.approval_key);
  if (ap == approvals_.end()
      || now_ms() - ap->second.issued_ms > approval_life_ms) {
    ack("OPSP0011");
    return;
  }
  const auto& app_key = ap->second.app_key;
  if (s.app_key.empty()) {
    auto* other = session_of_key(app_key);
    auto held = held_.find(app_key);
    bool busy = (other != nullptr && other != &s)
                || (held != held_.end() && held->second > now_ms());
    if (busy) {
      log()->warn("ws session {}: app key {} already in use: OPSP8996", s.id,
                  app_key);
      count_answer(send(s, kis::encode_session_error("OPSP8996"), false),
                   "OPSP8996");
      close_session(s, true);
      return;
    }
    s.app_key = app_key;
    log()->info("ws session {} bound to app key {}", s.id, app_key);
  } else if (s.app_key != app_key) {
    ack("OPSP0010");
    return;
  }
  if (req.type == "2") {
    auto it = std::find_if(s.regs.begin(), s.regs.end(), [&](const auto& r) {
      return r.tr_id == req.tr_id && r.tr_key == req.tr_key;
    });
    if (it == s.regs.end()) {
      ack("OPSP0003");
      return;
    }
    s.regs.erase(it);
    ack("OPSP0001");
    return;
  }
  auto* layout = kis::find_layout(req.tr_id);
  bool paper_only = req.tr_id.size() == 8 && req.tr_id.substr(4) == "CNI9";
  bool real_only = kis::paper_tr_id(req.tr_id) != req.tr_id;
  if (layout == nullptr || (opts_.paper ? real_only : paper_only)) {
    ack("OPSP8991");
    return;
  }
  feed kind;
  bool drop = false;
  auto bad = check_tr_key(s, req.tr_id, req.tr_key, kind, drop);
  if (drop) {
    log()->warn("ws session {}: {} with a wrong HTS ID: dropping the "
                "connection (as KIS does)",
                s.id, req.tr_id);
    close_session(s, false);
    return;
  }
  if (!bad.empty()) {
    ack(bad);
    return;
  }
  if (reject_left_ > 0 && (reject_key_.empty() || reject_key_ == req.tr_key)) {
    --reject_left_;
    ack(reject_code_);
    return;
  }
  auto dup = std::find_if(s.regs.begin(), s.regs.end(), [&](const auto& r) {
    return r.tr_id == req.tr_id && r.tr_key == req.tr_key;
  });
  if (dup != s.regs.end()) {
    ack("OPSP0002");
    return;
  }
  if (s.regs.size() >= effective_cap()) {
    ack("OPSP0008");
    return;
  }
  registration r;
  r.tr_id = req.tr_id;
  r.tr_key = req.tr_key;
  r.kind = kind;
  if (kind == feed::trade || kind == feed::book || kind == feed::expected
      || kind == feed::program)
    r.st = market_.find(req.tr_key);
  if (kind == feed::us_trade)
    r.us = market_.find_us(req.tr_key.substr(4));
  r.layout = layout;
  if (kind == feed::generic) {
    auto prefix = std::string_view{req.tr_id}.substr(0, 4);
    bool domestic = prefix == "H0ST" || prefix == "H0NX" || prefix == "H0UN";
    auto tail = std::string_view{req.tr_id}.substr(4);
    // After-hours trading walks on from the close; status, members and
    // NAV mirror the stock as it trades.
    bool overtime = tail == "OUP0" || tail == "OAC0" || tail == "OAA0";
    r.st = domestic ? market_.find(req.tr_key) : nullptr;
    r.follow = r.st != nullptr && !overtime;
    if (r.st != nullptr)
      market_.touch(*r.st, kst());
    // One instrument per family and key: a future's trades and book
    // share its price.
    auto id = std::string{prefix} + (overtime ? "O" : "")
              + (req.tr_id == "H0STNAV0" ? "N" : "") + '|' + req.tr_key;
    auto it = instruments_.find(id);
    if (it == instruments_.end()) {
      const us_stock* us = nullptr;
      if (prefix == "HDFS" && req.tr_key.size() > 4)
        us = market_.find_us(req.tr_key.substr(4));
      it = instruments_
               .emplace(id, make_instrument(req.tr_id, req.tr_key, opts_.seed,
                                            r.st, us))
               .first;
    }
    r.in = &it->second;
  }
  r.active_from = now_ms() + delay_acks_ms_;
  s.regs.push_back(std::move(r));
  send_control(s,
               kis::encode_ack(req.tr_id, req.tr_key, layout->encrypted,
                               "OPSP0000", s.aes_key, s.aes_iv),
               "OPSP0000");
}

// -- periodic work --

void engine::tick() {
  auto now = now_ms();
  // Scheduled actions in (due, seq) order; they may schedule more.
  for (;;) {
    auto due = std::min_element(
        schedule_.begin(), schedule_.end(), [](const auto& a, const auto& b) {
          return a.due != b.due ? a.due < b.due : a.seq < b.seq;
        });
    if (due == schedule_.end() || due->due > now)
      break;
    auto f = std::move(due->run);
    schedule_.erase(due);
    f();
  }
  for (auto it = held_.begin(); it != held_.end();)
    it = it->second <= now ? held_.erase(it) : std::next(it);
  auto interval = opts_.pingpong_interval.count();
  auto timeout = opts_.pingpong_timeout.count();
  for (auto& [id, s] : sessions_) {
    if (s.closing)
      continue;
    if (s.stalled) {
      if (s.stall_until >= 0 && now >= s.stall_until) {
        s.stalled = false;
        s.next_ping = now + interval;
        s.ping_outstanding = -1;
      } else {
        continue;
      }
    }
    if (interval > 0 && now >= s.next_ping) {
      send(s, kis::encode_pingpong(kst_datetime()), false);
      ++s.pings_sent;
      ++pings_sent_;
      if (s.ping_outstanding < 0)
        s.ping_outstanding = now;
      s.next_ping = now + interval;
    }
    if (s.ping_outstanding >= 0 && timeout > 0
        && now - s.ping_outstanding >= timeout) {
      log()->warn("ws session {}: no PINGPONG answer for {} ms: closing", id,
                  now - s.ping_outstanding);
      close_session(s, true);
    }
  }
  auto now_us = this->now_us();
  auto dt = now_us - last_gen_us_;
  if (dt > 0) {
    // At most 100 ms of feed per round keeps the loop responsive.
    generate(std::min<std::int64_t>(dt, 100'000));
    last_gen_us_ = now_us;
  }
}

namespace {

constexpr std::size_t stamp_width = 20;
constexpr std::size_t stamp_field = 14; // ACML_TR_PBMN

// A trade record with its 15th field (ACML_TR_PBMN) replaced by a
// fixed-width placeholder that restamp_trades() fills in when the frame is
// written (options::stamp_trades, for latency benchmarks).
void append_stamped(std::string& out, const std::string& rec) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < stamp_field; ++i) {
    auto caret = rec.find('^', start);
    if (caret == std::string::npos) {
      out += rec; // not a trade record: leave it as it is
      return;
    }
    start = caret + 1;
  }
  auto end = rec.find('^', start);
  if (end == std::string::npos) {
    out += rec;
    return;
  }
  out.append(rec, 0, start);
  out.append(stamp_width, '0');
  out.append(rec, end, std::string::npos);
}

} // namespace

bool restamp_trades(std::string& frame, std::int64_t ns) {
  // `0|<tr_id>|<count>|<payload>`
  if (frame.size() < 2 || frame[0] != '0' || frame[1] != '|')
    return false;
  auto bar = frame.find('|', 2);
  if (bar == std::string::npos)
    return false;
  auto tr_id = std::string_view{frame}.substr(2, bar - 2);
  // Domestic trades only (H0STCNT0, H0UNCNT0, H0NXCNT0): what
  // append_stamped() marks.
  if (tr_id.size() != 8 || tr_id.substr(4) != "CNT0"
      || !(tr_id.substr(0, 4) == "H0ST" || tr_id.substr(0, 4) == "H0UN"
           || tr_id.substr(0, 4) == "H0NX"))
    return false;
  auto* layout = kis::find_layout(tr_id);
  auto at = frame.find('|', bar + 1);
  if (layout == nullptr || layout->width <= stamp_field
      || at == std::string::npos)
    return false;
  static const std::string placeholder(stamp_width, '0');
  char digits[stamp_width + 1];
  std::snprintf(digits, sizeof(digits), "%020lld", static_cast<long long>(ns));
  std::size_t field = 0;
  std::size_t pos = at + 1;
  bool any = false;
  while (pos <= frame.size()) {
    auto end = frame.find('^', pos);
    if (end == std::string::npos)
      end = frame.size();
    if (field % layout->width == stamp_field
        && frame.compare(pos, end - pos, placeholder) == 0) {
      frame.replace(pos, stamp_width, digits, stamp_width);
      any = true;
    }
    ++field;
    pos = end + 1;
  }
  return any;
}

void engine::generate(std::int64_t dt_us) {
  int k = kst();
  auto live = [&](const registration& r) {
    return r.kind != feed::none && r.kind != feed::notice
           && feed_live(r.tr_id, k);
  };
  auto now = now_ms();
  std::size_t active = 0;
  for (auto& [id, s] : sessions_) {
    if (s.closing || s.stalled)
      continue;
    for (auto& r : s.regs)
      if (r.active_from <= now && live(r))
        ++active;
  }
  if (active == 0)
    return;
  cache_.clear();
  double dt = static_cast<double>(dt_us) / 1e6;
  bool burst = k >= kst_open && k < kst_open + 30;
  for (auto& [id, s] : sessions_) {
    if (s.closing || s.stalled)
      continue;
    // A slow reader: skip this round rather than queue without bound (the
    // real server's send buffer would fill the same way).
    if (s.link->queued_bytes() > backpressure_bytes)
      continue;
    for (auto& r : s.regs) {
      if (r.active_from > now || !live(r))
        continue;
      double rate;
      if (opts_.rate > 0) {
        rate = opts_.rate / static_cast<double>(active);
      } else {
        switch (r.kind) {
          case feed::trade: rate = 3; break;
          case feed::book: rate = 2; break;
          case feed::expected: rate = 1; break;
          case feed::program: rate = 0.5; break;
          case feed::generic: {
            auto tail = std::string_view{r.tr_id}.substr(4);
            rate = tail == "CNT0" || tail == "F020" || tail == "OUP0" ? 2
                   : tail == "MKO0"                                   ? 0.2
                                                                      : 1;
            break;
          }
          default: rate = 1; break;
        }
        if (burst)
          rate *= 8;
        rate *= rng_.uniform(0.5, 1.5);
        // Now and then a burst of trades arrives as one batched frame.
        if (r.kind == feed::trade && rng_.chance(0.4 * dt))
          r.acc += static_cast<double>(rng_.between(3, 19));
      }
      r.acc += rate * dt;
      auto n = static_cast<std::size_t>(std::floor(r.acc));
      if (n == 0)
        continue;
      r.acc -= static_cast<double>(n);
      n = std::min<std::size_t>(n, 200000);
      auto& recs = cache_[r.tr_id + '|' + r.tr_key];
      while (recs.size() < n) {
        std::string rec;
        switch (r.kind) {
          case feed::trade:
            market_.trade(*r.st, k);
            market_.append_trade(*r.st, k, rec);
            break;
          case feed::book: market_.append_book(*r.st, k, rec, r.layout); break;
          case feed::expected:
            market_.expect(*r.st, k);
            market_.append_expected(*r.st, k, rec, r.layout);
            break;
          case feed::generic:
            if (r.follow) {
              market_.touch(*r.st, k);
              follow_stock(*r.in, *r.st, r.in->decimals);
            } else {
              step(*r.in, k);
            }
            market_.append_generic(*r.layout, *r.in, k, rec);
            break;
          case feed::program:
            market_.program(*r.st);
            market_.append_program(*r.st, k, rec);
            break;
          case feed::us_trade:
            market_.us_trade(*r.us);
            market_.append_us_trade(*r.us, r.tr_key, k, rec);
            break;
          default: break;
        }
        recs.push_back(std::move(rec));
      }
      for (std::size_t i = 0; i < n; i += opts_.batch_max) {
        auto m = std::min(opts_.batch_max, n - i);
        // The codec's header, then the records appended in place (no second
        // copy of the payload).
        auto frame = kis::encode_frame(r.tr_id, m, {});
        std::size_t size = frame.size() + m;
        for (std::size_t j = i; j < i + m; ++j)
          size += recs[j].size();
        frame.reserve(size);
        for (std::size_t j = i; j < i + m; ++j) {
          if (j > i)
            frame += '^';
          if (opts_.stamp_trades && r.kind == feed::trade)
            append_stamped(frame, recs[j]);
          else
            frame += recs[j];
        }
        send(s, std::move(frame), true);
        ++s.frames;
        s.records += m;
        ++frame_counts_[r.tr_id];
        record_counts_[r.tr_id] += m;
      }
    }
  }
}

// -- orders --

admin_result engine::place_order(const order_request& req) {
  auto bad = [](std::string msg) {
    json::object o;
    o["error"] = jsv(msg);
    return admin_result{400, json::serialize(o)};
  };
  auto* a = account_by_cano(req.cano);
  if (a == nullptr)
    return bad("unknown cano");
  auto* st = market_.find(req.code);
  if (st == nullptr)
    return bad("unknown code");
  if (req.side != "buy" && req.side != "sell")
    return bad("side must be \"buy\" or \"sell\"");
  if (req.qty <= 0 || req.qty > 10'000'000)
    return bad("qty must be 1..10000000");
  if (req.price < 0)
    return bad("price must be >= 0 (0 = market)");
  if (req.price > 0
      && (req.price % tick_size(req.price) != 0 || req.price > st->upper
          || req.price < st->lower))
    return bad("price must be on the tick grid within the daily limits");
  if (!req.fills.empty()) {
    std::int64_t sum = 0;
    for (auto f : req.fills) {
      if (f <= 0)
        return bad("fills must be positive");
      sum += f;
    }
    if (sum != req.qty || req.fills.size() > 100)
      return bad("fills must sum to qty (at most 100 parts)");
  }
  market_.touch(*st, kst());
  order o;
  o.order_no = pad10(next_order_++);
  o.cano = req.cano;
  o.code = req.code;
  o.buy = req.side == "buy";
  o.qty = req.qty;
  o.price = req.price;
  auto& p = a->pos[req.code];
  json::object res;
  res["order_no"] = jsv(o.order_no);
  if (!o.buy && p.qty - p.pending_sell < req.qty) {
    o.status = "rejected";
    o.reason = "insufficient orderable quantity";
    notice(*a, o, false, req.qty, req.price, true);
    orders_.push_back(o);
    res["status"] = "rejected";
    res["reason"] = jsv(o.reason);
    return {200, json::serialize(res)};
  }
  o.plan = req.fills;
  if (o.plan.empty()) {
    if (o.qty >= 2 && rng_.chance(0.5)) {
      auto first = rng_.between(1, o.qty - 1);
      o.plan = {first, o.qty - first};
    } else {
      o.plan = {o.qty};
    }
  }
  if (!o.buy)
    p.pending_sell += o.qty;
  o.status = "accepted";
  notice(*a, o, false, o.qty, o.price, false);
  auto delay = std::max<std::int64_t>(0, opts_.fill_delay.count());
  auto now = now_ms();
  json::array parts;
  for (std::size_t i = 0; i < o.plan.size(); ++i) {
    parts.push_back(o.plan[i]);
    at(now + delay * static_cast<std::int64_t>(i + 1),
       [this, no = o.order_no, q = o.plan[i]] { do_fill(no, q); });
  }
  orders_.push_back(std::move(o));
  res["status"] = "accepted";
  res["fills"] = std::move(parts);
  log()->info("order {} accepted", orders_.back().order_no);
  return {200, json::serialize(res)};
}

void engine::do_fill(const std::string& order_no, std::int64_t qty) {
  auto it = std::find_if(orders_.begin(), orders_.end(),
                         [&](const auto& o) { return o.order_no == order_no; });
  if (it == orders_.end())
    return;
  auto& o = *it;
  auto* a = account_by_cano(o.cano);
  auto* st = market_.find(o.code);
  if (a == nullptr || st == nullptr)
    return;
  market_.touch(*st, kst());
  auto price = o.price > 0 ? o.price : st->last;
  auto& p = a->pos[o.code];
  if (o.buy) {
    p.qty += qty;
    p.pchs_amt += qty * price;
    p.bought += qty;
    a->cash -= qty * price;
    a->buy_amt += qty * price;
  } else {
    auto cost = p.qty > 0 ? p.pchs_amt * qty / p.qty : 0;
    p.pchs_amt -= cost;
    p.qty -= qty;
    p.sold += qty;
    p.pending_sell -= qty;
    a->cash += qty * price;
    a->sell_amt += qty * price;
  }
  o.filled += qty;
  o.status = o.filled >= o.qty ? "filled" : "partially_filled";
  fill f;
  f.order_no = o.order_no;
  f.cano = o.cano;
  f.code = o.code;
  f.buy = o.buy;
  f.qty = qty;
  f.price = price;
  f.time = hhmmss(kst());
  fills_.push_back(f);
  notice(*a, o, true, qty, price, false);
}

void engine::notice(const account_state& a, const order& o, bool is_fill,
                    std::int64_t qty, std::int64_t price, bool rejected) {
  auto* st = market_.find(o.code);
  std::vector<std::string> f(26);
  f[0] = a.acct.hts_id;
  f[1] = a.acct.cano + "01";
  f[2] = o.order_no;
  f[3] = "";
  f[4] = o.buy ? "02" : "01";
  f[5] = "0";
  f[6] = o.price > 0 ? "00" : "01";
  f[7] = "0";
  f[8] = o.code;
  f[9] = std::to_string(qty);
  f[10] = std::to_string(price);
  f[11] = hhmmss(kst());
  f[12] = rejected ? "1" : "0";
  f[13] = is_fill ? "2" : "1";
  f[14] = rejected ? "3" : is_fill ? "2" : "1";
  f[15] = "06010";
  f[16] = std::to_string(o.qty);
  f[17] = "SIMUSER";
  f[18] = "";
  f[19] = "1";
  f[20] = "Y";
  f[21] = "";
  f[22] = "";
  f[23] = "";
  f[24] = st != nullptr ? st->name : std::string{};
  f[25] = is_fill ? std::to_string(o.price) : "0";
  std::string payload;
  kis::append_record(payload, f);
  std::string tr = opts_.paper ? "H0STCNI9" : "H0STCNI0";
  auto* s = session_of_key(a.acct.app_key);
  bool delivered = false;
  if (s != nullptr && !s->closing) {
    auto now = now_ms();
    for (const auto& r : s->regs) {
      if (r.tr_id == tr && r.tr_key == a.acct.hts_id && r.active_from <= now) {
        std::string frame;
        // Only a notice that goes to the socket counts as sent: a
        // stalled session's notices are lost.
        if (!kis::encode_encrypted_frame(tr, 1, payload, s->aes, frame)
            && send(*s, std::move(frame), false)) {
          ++s->frames;
          ++s->records;
          ++frame_counts_[tr];
          ++record_counts_[tr];
          delivered = true;
        }
        break;
      }
    }
  }
  if (delivered)
    ++notices_sent_;
  else
    ++notices_lost_;
}

// -- state --

std::string engine::state_json() {
  json::object root;
  root["kst_date"] = market_.date();
  root["kst"] = jsv(hhmmss(kst()));
  root["sim_ms"] = now_ms();
  root["paper"] = opts_.paper;
  root["cap"] = effective_cap();
  json::array sessions;
  for (const auto& [id, s] : sessions_) {
    json::object o;
    o["id"] = id;
    o["app_key"] = jsv(s.app_key);
    o["remote"] = jsv(s.remote);
    o["connected_since"] = jsv(s.since_utc);
    o["connected_ms"] = now_ms() - s.since_ms;
    o["closing"] = s.closing;
    o["stalled"] = s.stalled;
    json::array regs;
    for (const auto& r : s.regs) {
      json::object x;
      x["tr_id"] = jsv(r.tr_id);
      x["tr_key"] = jsv(r.tr_key);
      regs.push_back(std::move(x));
    }
    o["registrations"] = std::move(regs);
    o["pingpong_sent"] = s.pings_sent;
    o["pingpong_answered"] = s.pings_answered;
    o["frames"] = s.frames;
    o["records"] = s.records;
    o["dropped"] = s.dropped;
    sessions.push_back(std::move(o));
  }
  root["sessions"] = std::move(sessions);
  json::array held;
  for (const auto& [k, until] : held_) {
    if (until <= now_ms())
      continue;
    json::object o;
    o["app_key"] = jsv(k);
    o["free_in_ms"] = until - now_ms();
    held.push_back(std::move(o));
  }
  root["held_app_keys"] = std::move(held);
  json::object frames, records;
  for (const auto& [k, v] : frame_counts_)
    frames[k] = v;
  for (const auto& [k, v] : record_counts_)
    records[k] = v;
  root["frames"] = std::move(frames);
  root["records"] = std::move(records);
  json::object pp;
  pp["sent"] = pings_sent_;
  pp["answered"] = pings_answered_;
  root["pingpong"] = std::move(pp);
  json::array orders;
  for (const auto& o : orders_) {
    json::object x;
    x["order_no"] = jsv(o.order_no);
    x["cano"] = jsv(o.cano);
    x["code"] = jsv(o.code);
    x["side"] = o.buy ? "buy" : "sell";
    x["qty"] = o.qty;
    x["price"] = o.price;
    x["filled"] = o.filled;
    x["status"] = jsv(o.status);
    orders.push_back(std::move(x));
  }
  root["orders"] = std::move(orders);
  json::array fills;
  for (const auto& f : fills_) {
    json::object x;
    x["order_no"] = jsv(f.order_no);
    x["cano"] = jsv(f.cano);
    x["code"] = jsv(f.code);
    x["side"] = f.buy ? "buy" : "sell";
    x["qty"] = f.qty;
    x["price"] = f.price;
    x["time"] = jsv(f.time);
    fills.push_back(std::move(x));
  }
  root["fills"] = std::move(fills);
  json::object notices;
  notices["sent"] = notices_sent_;
  notices["lost"] = notices_lost_;
  root["notices"] = std::move(notices);
  json::object answers, answers_lost;
  for (const auto& [k, v] : answers_)
    answers[k] = v;
  for (const auto& [k, v] : answers_lost_)
    answers_lost[k] = v;
  root["answers"] = std::move(answers);
  root["answers_lost"] = std::move(answers_lost);
  json::object rest, rest_calls, rest_refused;
  for (const auto& [k, v] : rest_calls_)
    rest_calls[k] = v;
  for (const auto& [k, v] : rest_refused_)
    rest_refused[k] = v;
  rest["calls"] = std::move(rest_calls);
  rest["refused"] = std::move(rest_refused);
  root["rest"] = std::move(rest);
  // The current price of every registered domestic symbol (tests compare
  // a snapshot with it).
  json::object prices;
  for (const auto& [id, s] : sessions_)
    for (const auto& r : s.regs)
      if (auto* st = market_.find(r.tr_key))
        prices[r.tr_key] = st->last;
  root["prices"] = std::move(prices);
  json::object faults;
  faults["delay_acks_ms"] = delay_acks_ms_;
  faults["reject_left"] = reject_left_;
  faults["reject_msg_cd"] = jsv(reject_code_);
  faults["reject_tr_key"] = jsv(reject_key_);
  faults["drop_answers_left"] = drop_answers_left_;
  faults["approval_keys"] = approvals_.size();
  faults["refusing"] = refusing();
  json::array flog;
  for (const auto& l : fault_log_)
    flog.push_back(jsv(l));
  faults["applied"] = std::move(flog);
  root["faults"] = std::move(faults);
  return json::serialize(root);
}

std::string engine::feeds_json() {
  std::map<std::string, std::set<std::string>> fed;
  for (const auto& [id, s] : sessions_) {
    if (s.closing)
      continue;
    for (const auto& r : s.regs)
      if (r.kind != feed::none && r.kind != feed::notice)
        fed[r.tr_id].insert(r.tr_key);
  }
  json::object root;
  for (const auto& [tr, keys] : fed) {
    json::array a;
    for (const auto& k : keys)
      a.emplace_back(jsv(k));
    root[tr] = std::move(a);
  }
  return json::serialize(root);
}

// -- faults --

admin_result engine::fault(std::string_view text) {
  return apply_fault(text);
}

admin_result engine::apply_fault(std::string_view text) {
  auto bad = [](std::string msg) {
    json::object o;
    o["error"] = jsv(msg);
    return admin_result{400, json::serialize(o)};
  };
  // A garbage fault's text may be a whole data frame: tests send frames
  // past 1 MiB in-process (the admin HTTP body stays limited to 1 MiB).
  if (text.size() > 4 * 1024 * 1024)
    return bad("fault body too large");
  boost::system::error_code ec;
  json::parse_options po;
  po.max_depth = 8;
  auto doc = json::parse(text, ec, {}, po);
  if (ec || !doc.is_object())
    return bad("fault body must be a JSON object");
  const auto& o = doc.as_object();
  auto str = [&](std::string_view k, std::string def = {}) {
    auto* v = o.if_contains(k);
    return v && v->is_string() ? std::string{v->as_string()} : def;
  };
  auto num = [&](std::string_view k, std::int64_t def) -> std::int64_t {
    auto* v = o.if_contains(k);
    if (v == nullptr)
      return def;
    if (v->is_int64())
      return v->as_int64();
    if (v->is_uint64())
      return static_cast<std::int64_t>(
          std::min<std::uint64_t>(v->as_uint64(), INT64_MAX));
    if (v->is_double())
      return static_cast<std::int64_t>(v->as_double());
    return def;
  };
  auto duration_ms = [&](std::int64_t def) {
    if (o.contains("seconds"))
      return num("seconds", 0) * 1000;
    return num("ms", def);
  };
  auto kind = str("kind");
  auto target = str("app_key");
  auto targets = [&] {
    std::vector<session*> out;
    for (auto& [id, s] : sessions_)
      if (!s.closing && (target.empty() || s.app_key == target))
        out.push_back(&s);
    return out;
  };
  auto close_frame = [&](bool def) {
    auto* v = o.if_contains("close_frame");
    return v && v->is_bool() ? v->as_bool() : def;
  };
  std::size_t affected = 0;
  if (kind == "drop") {
    bool frame = close_frame(true);
    for (auto* s : targets()) {
      close_session(*s, frame);
      ++affected;
    }
  } else if (kind == "stall") {
    auto ms = duration_ms(0);
    for (auto* s : targets()) {
      s->stalled = true;
      s->stall_until = ms > 0 ? now_ms() + ms : -1;
      ++affected;
    }
  } else if (kind == "garbage") {
    auto t = str("text", "GARBAGE|%%|not a KIS frame");
    for (auto* s : targets()) {
      send(*s, t, false);
      ++affected;
    }
  } else if (kind == "bad_width") {
    auto mode = str("mode", "uneven");
    if (mode != "uneven" && mode != "short")
      return bad("bad_width mode must be \"uneven\" or \"short\"");
    for (auto* s : targets()) {
      std::string tr = str("tr_id");
      std::string key = "005930";
      for (const auto& r : s->regs)
        if (r.kind == feed::trade && (tr.empty() || r.tr_id == tr)) {
          tr = r.tr_id;
          key = r.tr_key;
          break;
        }
      if (tr.empty())
        tr = "H0STCNT0";
      auto* st = market_.find(key);
      if (st == nullptr)
        st = market_.find("005930");
      std::string rec;
      market_.append_trade(*st, kst(), rec);
      std::string payload;
      std::size_t count = 1;
      if (mode == "uneven") {
        // Two records, the second one field short: the count does not
        // divide the field count.
        auto cut = rec.rfind('^');
        payload = rec + '^' + rec.substr(0, cut);
        count = 2;
      } else {
        // One record three fields shorter than the layout.
        payload = rec;
        for (int i = 0; i < 3; ++i)
          payload.resize(payload.rfind('^'));
      }
      send(*s, kis::encode_frame(tr, count, payload), false);
      ++affected;
    }
  } else if (kind == "delay_acks") {
    delay_acks_ms_ = std::max<std::int64_t>(0, duration_ms(0));
  } else if (kind == "reject") {
    auto code = str("msg_cd", "OPSP0007");
    if (code.size() != 8 || !printable(code))
      return bad("reject msg_cd must look like OPSP0007");
    reject_left_ = std::max<std::int64_t>(0, num("count", 1));
    reject_code_ = code;
    reject_key_ = str("tr_key");
    if (reject_key_.size() > 64 || !printable(reject_key_))
      return bad("reject tr_key must be printable, at most 64 characters");
  } else if (kind == "cap") {
    auto c = num("cap", -1);
    if (c < 1 || c > 1000)
      return bad("cap must be 1..1000");
    cap_override_ = static_cast<std::size_t>(c);
  } else if (kind == "forget_approvals" || kind == "drop_answers") {
    // (handled below)
  } else if (kind == "approval_expired") {
    // The approval key of each targeted session runs out: the session
    // stays open and its next subscribe is answered OPSP0011.
    for (auto* s : targets()) {
      for (auto i = approvals_.begin(); i != approvals_.end();) {
        if (!s->app_key.empty() && i->second.app_key == s->app_key)
          i = approvals_.erase(i);
        else
          ++i;
      }
      ++affected;
    }
  } else if (kind == "restart") {
    bool frame = close_frame(false);
    held_.clear();
    auto* fa = o.if_contains("forget_approvals");
    if (fa != nullptr && fa->is_bool() && fa->as_bool())
      approvals_.clear(); // a process restart: no approval key survives
    for (auto* s : targets()) {
      s->no_hold = true;
      close_session(*s, frame);
      ++affected;
    }
  } else if (kind == "refuse") {
    auto ms = duration_ms(-1);
    if (ms < 0)
      return bad("refuse needs \"ms\" or \"seconds\"");
    refuse_until_ = now_ms() + ms;
  } else {
    return bad("unknown fault kind \"" + kind
               + "\" (drop, stall, garbage, bad_width, delay_acks, reject, "
                 "cap, restart, refuse, forget_approvals, drop_answers, "
                 "approval_expired)");
  }
  if (kind == "forget_approvals") {
    // The server forgets approval keys (of `app_key`, or all): every
    // subscribe with one gets OPSP0011; sessions stay open.
    for (auto i = approvals_.begin(); i != approvals_.end();) {
      if (target.empty() || i->second.app_key == target) {
        i = approvals_.erase(i);
      } else {
        ++i;
      }
    }
  } else if (kind == "drop_answers") {
    auto n = num("count", 1);
    if (n < 0 || n > 1000000)
      return bad("drop_answers count must be 0..1000000");
    drop_answers_left_ = n;
  }
  fault_log_.push_back(std::string{text.substr(0, 200)});
  log()->warn("fault {} applied ({} sessions)", kind, affected);
  json::object res;
  res["ok"] = true;
  res["kind"] = jsv(kind);
  res["sessions"] = affected;
  return {200, json::serialize(res)};
}

void engine::load_faults(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error("--faults: cannot open " + path);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#')
      continue;
    auto fail = [&](const std::string& why) {
      throw std::runtime_error("--faults " + path + " line " + std::to_string(n)
                               + ": " + why);
    };
    boost::system::error_code ec;
    auto doc = json::parse(line, ec);
    if (ec || !doc.is_object())
      fail("not a JSON object");
    const auto& o = doc.as_object();
    std::int64_t due = -1;
    if (auto* v = o.if_contains("at_ms"); v && v->is_number())
      due = v->to_number<std::int64_t>();
    else if (auto* k = o.if_contains("at_kst"); k && k->is_string()) {
      int h = 0, m = 0, s = 0;
      if (std::sscanf(k->as_string().c_str(), "%d:%d:%d", &h, &m, &s) != 3)
        fail("at_kst must be HH:MM:SS");
      auto sec = h * 3600 + m * 60 + s - opts_.kst_start;
      if (sec < 0)
        sec += 86400;
      due = static_cast<std::int64_t>(sec) * 1000;
    }
    if (due < 0)
      fail("needs \"at_ms\" (>= 0) or \"at_kst\"");
    auto* kind = o.if_contains("kind");
    if (kind == nullptr || !kind->is_string())
      fail("needs \"kind\"");
    at(due, [this, line] {
      auto r = apply_fault(line);
      if (r.status != 200)
        log()->error("scheduled fault failed: {}", r.body);
    });
  }
}

} // namespace kisrt::sim
