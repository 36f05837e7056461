// SPDX-License-Identifier: Apache-2.0
#include "store/notice_journal.hpp"

#include <sqlite3.h>

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <stdexcept>

namespace kisrt::store {

namespace {

const char* const schema = R"sql(
CREATE TABLE IF NOT EXISTS notices (
  seq          INTEGER PRIMARY KEY,  -- 1, 2, ... never reused
  trading_date INTEGER NOT NULL,     -- KST day it arrived, YYYYMMDD
  tr_id        TEXT    NOT NULL,     -- H0STCNI0, H0STCNI9, H0GSCNI0, H0GSCNI9
  session      INTEGER NOT NULL,
  received_ms  INTEGER NOT NULL,     -- UTC milliseconds since 1970
  kind         TEXT    NOT NULL,     -- 'domestic' or 'overseas'
  body         TEXT    NOT NULL      -- the record's fields as JSON
);
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql";

namespace json = boost::json;

std::string hms_text(kis::hms t) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u:%02u:%02u", unsigned{t.h}, unsigned{t.m},
                unsigned{t.s});
  return buf;
}

// Reads fields of one stored object; every error names the field.
struct reader {
  const json::object& obj;
  const char* record;

  [[noreturn]] void bad(const char* field, const char* what) const {
    throw std::runtime_error(std::string{"notice journal: "} + record
                             + " field '" + field + "' " + what);
  }
  const json::value& at(const char* field) const {
    auto* v = obj.if_contains(field);
    if (v == nullptr)
      bad(field, "is missing");
    return *v;
  }
  std::string str(const char* field) const {
    auto& v = at(field);
    if (!v.is_string())
      bad(field, "is not a string");
    return std::string{v.get_string()};
  }
  std::int64_t num(const char* field) const {
    auto& v = at(field);
    if (!v.is_int64())
      bad(field, "is not an integer");
    return v.get_int64();
  }
  std::uint8_t small(const char* field) const {
    auto x = num(field);
    if (x < 0 || x > 255)
      bad(field, "is out of range");
    return static_cast<std::uint8_t>(x);
  }
  bool flag(const char* field) const {
    auto& v = at(field);
    if (!v.is_bool())
      bad(field, "is not a boolean");
    return v.get_bool();
  }
  kis::hms time(const char* field) const {
    auto s = str(field);
    unsigned h = 0, m = 0, sec = 0;
    char tail = 0;
    if (s.size() != 8
        || std::sscanf(s.c_str(), "%2u:%2u:%2u%c", &h, &m, &sec, &tail) != 3
        || h > 23 || m > 59 || sec > 59)
      bad(field, "is not HH:MM:SS");
    return kis::hms{static_cast<std::uint8_t>(h), static_cast<std::uint8_t>(m),
                    static_cast<std::uint8_t>(sec)};
  }
};

const json::object& parse_object(const std::string& text, const char* record) {
  static thread_local json::value v;
  json::error_code ec;
  v = json::parse(text, ec);
  if (ec || !v.is_object())
    throw std::runtime_error(std::string{"notice journal: "} + record
                             + " body is not a JSON object");
  return v.get_object();
}

// Finalizes a statement on every path.
struct statement {
  sqlite3_stmt* s = nullptr;
  ~statement() { sqlite3_finalize(s); }
};

std::string new_id() {
  std::random_device rd;
  std::uint64_t x = (std::uint64_t{rd()} << 32) ^ rd();
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(x));
  return buf;
}

} // namespace

// -- the records as JSON --

std::string to_json(const kis::exec_notice& x) {
  json::object o;
  o["customer_id"] = x.customer_id;
  o["account"] = x.account;
  o["order_no"] = x.order_no;
  o["orig_order_no"] = x.orig_order_no;
  o["order_side"] = static_cast<int>(x.order_side);
  o["kind"] = static_cast<int>(x.kind);
  o["rejected"] = x.rejected;
  o["accepted"] = x.accepted;
  o["symbol"] = x.symbol;
  o["fill_qty"] = x.fill_qty;
  o["fill_price"] = x.fill_price;
  o["order_qty"] = x.order_qty;
  o["order_price"] = x.order_price;
  o["time"] = hms_text(x.time);
  o["name"] = x.name;
  o["exchange"] = static_cast<int>(x.exchange);
  o["correction"] = x.correction;
  return json::serialize(o);
}

std::string to_json(const kis::overseas_notice& x) {
  json::object o;
  o["customer_id"] = x.customer_id;
  o["account"] = x.account;
  o["order_no"] = x.order_no;
  o["orig_order_no"] = x.orig_order_no;
  o["order_side"] = static_cast<int>(x.order_side);
  o["kind"] = static_cast<int>(x.kind);
  o["rejected"] = x.rejected;
  o["accepted"] = x.accepted;
  o["symbol"] = x.symbol;
  o["fill_qty"] = x.fill_qty;
  o["fill_price_raw"] = x.fill_price.raw; // fixed4: ten-thousandths
  o["order_qty"] = x.order_qty;
  o["time"] = hms_text(x.time);
  o["name"] = x.name;
  return json::serialize(o);
}

namespace {

kis::side side_of(const reader& r) {
  auto v = r.small("order_side");
  if (v > 2)
    r.bad("order_side", "is not 0, 1 or 2");
  return static_cast<kis::side>(v);
}

kis::notice_kind kind_of(const reader& r) {
  auto v = r.small("kind");
  if (v != 1 && v != 2)
    r.bad("kind", "is not 1 or 2");
  return static_cast<kis::notice_kind>(v);
}

} // namespace

void from_json(const std::string& text, kis::exec_notice& out) {
  reader r{parse_object(text, "exec_notice"), "exec_notice"};
  out.customer_id = r.str("customer_id");
  out.account = r.str("account");
  out.order_no = r.str("order_no");
  out.orig_order_no = r.str("orig_order_no");
  out.order_side = side_of(r);
  out.kind = kind_of(r);
  out.rejected = r.flag("rejected");
  out.accepted = r.flag("accepted");
  out.symbol = r.str("symbol");
  out.fill_qty = r.num("fill_qty");
  out.fill_price = r.num("fill_price");
  out.order_qty = r.num("order_qty");
  out.order_price = r.num("order_price");
  out.time = r.time("time");
  out.name = r.str("name");
  out.exchange = r.small("exchange");
  out.correction = r.str("correction");
}

void from_json(const std::string& text, kis::overseas_notice& out) {
  reader r{parse_object(text, "overseas_notice"), "overseas_notice"};
  out.customer_id = r.str("customer_id");
  out.account = r.str("account");
  out.order_no = r.str("order_no");
  out.orig_order_no = r.str("orig_order_no");
  out.order_side = side_of(r);
  out.kind = kind_of(r);
  out.rejected = r.flag("rejected");
  out.accepted = r.flag("accepted");
  out.symbol = r.str("symbol");
  out.fill_qty = r.num("fill_qty");
  out.fill_price.raw = r.num("fill_price_raw");
  out.order_qty = r.num("order_qty");
  out.time = r.time("time");
  out.name = r.str("name");
}

// -- the journal --

struct notice_journal::impl {
  std::string path;
  std::string label; // "notice journal PATH" or "notice journal (memory)"
  sqlite3* db = nullptr;
  std::size_t max_rows = 1;
  std::string id;
  std::uint64_t last = 0;

  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error(label + ": " + what + ": "
                             + (db ? sqlite3_errmsg(db) : "cannot open"));
  }

  void exec(const char* sql, const char* what) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "error";
      sqlite3_free(err);
      throw std::runtime_error(label + ": " + what + ": " + msg);
    }
  }

  void prepare(statement& st, const char* sql, const std::string& what) {
    if (sqlite3_prepare_v2(db, sql, -1, &st.s, nullptr) != SQLITE_OK)
      fail(what);
  }

  std::uint64_t scalar(const char* sql, const char* what) {
    statement st;
    prepare(st, sql, what);
    auto rc = sqlite3_step(st.s);
    if (rc != SQLITE_ROW)
      fail(what);
    return static_cast<std::uint64_t>(sqlite3_column_int64(st.s, 0));
  }
};

notice_journal::notice_journal(const std::string& path, std::size_t max_rows)
    : impl_(std::make_unique<impl>()) {
  auto& d = *impl_;
  d.path = path.empty() ? ":memory:" : path;
  d.label = path.empty() ? "notice journal (memory)" : "notice journal " + path;
  d.max_rows = max_rows == 0 ? 1 : max_rows;
  if (!path.empty()) {
    // Account numbers and orders: readable by the owner only (SQLite gives
    // its -wal and -shm files the database file's mode).
    auto fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
      throw std::runtime_error(d.label + ": cannot create or open the file: "
                               + std::strerror(errno));
    ::close(fd);
  }
  if (sqlite3_open_v2(d.path.c_str(), &d.db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr)
      != SQLITE_OK) {
    std::string why = d.db ? sqlite3_errmsg(d.db) : "cannot open";
    sqlite3_close(d.db);
    d.db = nullptr;
    throw std::runtime_error(d.label + ": " + why);
  }
  try {
    sqlite3_busy_timeout(d.db, 2000);
    if (!path.empty()) {
      // WAL: a crash loses at most the last commits, never the file.
      d.exec("PRAGMA journal_mode=WAL", "switching to WAL");
      d.exec("PRAGMA synchronous=NORMAL", "setting synchronous");
    }
    d.exec(schema, "creating the schema");
    {
      statement st;
      d.prepare(st, "SELECT value FROM meta WHERE key = 'journal_id'",
                "reading the journal ID");
      auto rc = sqlite3_step(st.s);
      if (rc == SQLITE_ROW) {
        auto p = sqlite3_column_text(st.s, 0);
        d.id = p ? reinterpret_cast<const char*>(p) : "";
      } else if (rc != SQLITE_DONE) {
        d.fail("reading the journal ID");
      }
    }
    if (d.id.empty()) {
      d.id = new_id();
      statement st;
      d.prepare(st,
                "INSERT OR REPLACE INTO meta (key, value) "
                "VALUES ('journal_id', ?1)",
                "writing the journal ID");
      sqlite3_bind_text(st.s, 1, d.id.c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_step(st.s) != SQLITE_DONE)
        d.fail("writing the journal ID");
    }
    d.last = d.scalar("SELECT coalesce(max(seq), 0) FROM notices",
                      "reading the last sequence number");
  } catch (...) {
    sqlite3_close(d.db);
    d.db = nullptr;
    throw;
  }
}

notice_journal::~notice_journal() {
  sqlite3_close(impl_->db);
}

const std::string& notice_journal::id() const noexcept {
  return impl_->id;
}

std::uint64_t notice_journal::last_seq() const noexcept {
  return impl_->last;
}

std::uint64_t notice_journal::first_seq() const {
  auto first = impl_->scalar("SELECT coalesce(min(seq), 0) FROM notices",
                             "reading the first sequence number");
  return first == 0 ? impl_->last + 1 : first;
}

std::size_t notice_journal::size() const {
  return static_cast<std::size_t>(
      impl_->scalar("SELECT count(*) FROM notices", "counting notices"));
}

std::uint64_t notice_journal::append(
    std::int32_t trading_date, std::int64_t received_ms,
    const std::variant<notice_event, overseas_notice_event>& notice) {
  auto& d = *impl_;
  auto seq = ++d.last;
  std::string body;
  const std::string* tr_id = nullptr;
  session_id session = 0;
  const char* kind = nullptr;
  if (auto* n = std::get_if<notice_event>(&notice)) {
    body = to_json(n->data);
    tr_id = &n->tr_id;
    session = n->session;
    kind = "domestic";
  } else {
    auto& o = std::get<overseas_notice_event>(notice);
    body = to_json(o.data);
    tr_id = &o.tr_id;
    session = o.session;
    kind = "overseas";
  }
  d.exec("BEGIN IMMEDIATE", "starting a transaction");
  try {
    statement ins;
    d.prepare(ins,
              "INSERT INTO notices (seq, trading_date, tr_id, session, "
              "received_ms, kind, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
              "storing notice " + std::to_string(seq));
    sqlite3_bind_int64(ins.s, 1, static_cast<sqlite3_int64>(seq));
    sqlite3_bind_int(ins.s, 2, trading_date);
    sqlite3_bind_text(ins.s, 3, tr_id->c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(ins.s, 4, static_cast<int>(session));
    sqlite3_bind_int64(ins.s, 5, received_ms);
    sqlite3_bind_text(ins.s, 6, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins.s, 7, body.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(ins.s) != SQLITE_DONE)
      d.fail("storing notice " + std::to_string(seq));
    // The bound: seq is dense, so the oldest kept is last - max + 1.
    if (seq > d.max_rows) {
      statement del;
      d.prepare(del, "DELETE FROM notices WHERE seq <= ?1",
                "dropping old notices");
      sqlite3_bind_int64(del.s, 1,
                         static_cast<sqlite3_int64>(seq - d.max_rows));
      if (sqlite3_step(del.s) != SQLITE_DONE)
        d.fail("dropping old notices");
    }
    d.exec("COMMIT", "committing");
  } catch (...) {
    sqlite3_exec(d.db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  return seq;
}

std::vector<journal_entry> notice_journal::since(std::uint64_t after,
                                                 std::size_t limit) {
  auto& d = *impl_;
  statement st;
  d.prepare(st,
            "SELECT seq, trading_date, received_ms, tr_id, session, kind, "
            "body FROM notices WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            "reading notices");
  // SQLite integers are signed: a cursor past INT64_MAX reads nothing.
  if (after > static_cast<std::uint64_t>(INT64_MAX))
    return {};
  sqlite3_bind_int64(st.s, 1, static_cast<sqlite3_int64>(after));
  sqlite3_bind_int64(st.s, 2,
                     limit == 0 ? -1 : static_cast<sqlite3_int64>(limit));
  std::vector<journal_entry> out;
  auto text = [&](int col) {
    auto p = sqlite3_column_text(st.s, col);
    return p ? std::string{reinterpret_cast<const char*>(p)} : std::string{};
  };
  int rc;
  while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
    journal_entry e;
    e.seq = static_cast<std::uint64_t>(sqlite3_column_int64(st.s, 0));
    e.trading_date = sqlite3_column_int(st.s, 1);
    e.received_ms = sqlite3_column_int64(st.s, 2);
    auto tr_id = text(3);
    auto session = static_cast<session_id>(sqlite3_column_int(st.s, 4));
    auto kind = text(5);
    auto body = text(6);
    try {
      if (kind == "overseas") {
        overseas_notice_event ev{session, std::move(tr_id), {}};
        from_json(body, ev.data);
        e.notice = std::move(ev);
      } else if (kind == "domestic") {
        notice_event ev{session, std::move(tr_id), {}};
        from_json(body, ev.data);
        e.notice = std::move(ev);
      } else {
        throw std::runtime_error("kind '" + kind.substr(0, 32)
                                 + "' is not domestic or overseas");
      }
    } catch (const std::exception& ex) {
      throw std::runtime_error(d.label + ": notice " + std::to_string(e.seq)
                               + ": " + ex.what());
    }
    out.push_back(std::move(e));
  }
  if (rc != SQLITE_DONE)
    d.fail("reading notices");
  return out;
}

} // namespace kisrt::store
