// SPDX-License-Identifier: Apache-2.0
#include "store/picks_db.hpp"

#include <sqlite3.h>

#include <stdexcept>

namespace kisrt::store {

const char* const picks_schema = R"sql(
CREATE TABLE IF NOT EXISTS daily_picks (
  trade_date INTEGER NOT NULL,          -- KST trading day, YYYYMMDD
  rank       INTEGER NOT NULL CHECK (rank >= 1), -- 1 is the best
  code       TEXT    NOT NULL,          -- 6-character KRX short code
  name       TEXT    NOT NULL DEFAULT '',
  score      REAL    NOT NULL DEFAULT 0,
  source     TEXT    NOT NULL DEFAULT '', -- who picked it (model, file)
  PRIMARY KEY (trade_date, rank),
  UNIQUE (trade_date, code)
);
)sql";

struct picks_db::impl {
  std::string path;
  sqlite3* db = nullptr;

  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("picks database " + path + ": " + what + ": "
                             + (db ? sqlite3_errmsg(db) : "cannot open"));
  }

  void exec(const char* sql, const char* what) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "error";
      sqlite3_free(err);
      throw std::runtime_error("picks database " + path + ": " + what + ": "
                               + msg);
    }
  }
};

namespace {

// Finalizes a statement on every path.
struct statement {
  sqlite3_stmt* s = nullptr;
  ~statement() { sqlite3_finalize(s); }
};

} // namespace

picks_db::picks_db(const std::string& path, bool create)
    : impl_(std::make_unique<impl>()) {
  impl_->path = path;
  auto flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                      : SQLITE_OPEN_READONLY;
  if (sqlite3_open_v2(path.c_str(), &impl_->db, flags, nullptr) != SQLITE_OK) {
    std::string why = impl_->db ? sqlite3_errmsg(impl_->db) : "cannot open";
    sqlite3_close(impl_->db);
    impl_->db = nullptr;
    throw std::runtime_error("picks database " + path + ": " + why);
  }
  sqlite3_busy_timeout(impl_->db, 2000);
  if (create)
    impl_->exec(picks_schema, "creating the schema");
}

picks_db::~picks_db() {
  sqlite3_close(impl_->db);
}

std::vector<pick_entry> picks_db::load(std::int32_t trade_date,
                                       std::size_t limit) {
  statement st;
  const char* sql = "SELECT rank, code, name, score, source FROM daily_picks "
                    "WHERE trade_date = ?1 ORDER BY rank, code LIMIT ?2";
  if (sqlite3_prepare_v2(impl_->db, sql, -1, &st.s, nullptr) != SQLITE_OK)
    impl_->fail("reading daily_picks");
  sqlite3_bind_int(st.s, 1, trade_date);
  sqlite3_bind_int64(st.s, 2,
                     limit == 0 ? -1 : static_cast<sqlite3_int64>(limit));
  std::vector<pick_entry> out;
  int rc;
  auto text = [&](int col) {
    auto p = sqlite3_column_text(st.s, col);
    return p ? std::string{reinterpret_cast<const char*>(p)} : std::string{};
  };
  while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
    pick_entry e;
    e.rank = sqlite3_column_int(st.s, 0);
    e.code = text(1);
    e.name = text(2);
    e.score = sqlite3_column_double(st.s, 3);
    e.source = text(4);
    out.push_back(std::move(e));
  }
  if (rc != SQLITE_DONE)
    impl_->fail("reading daily_picks");
  return out;
}

std::size_t picks_db::replace(std::int32_t trade_date,
                              const std::vector<pick_entry>& picks) {
  return replace_days({{trade_date, picks}}).at(trade_date);
}

std::map<std::int32_t, std::size_t> picks_db::replace_days(
    const std::map<std::int32_t, std::vector<pick_entry>>& days,
    const std::function<void(std::size_t)>& progress) {
  std::map<std::int32_t, std::size_t> replaced;
  impl_->exec("BEGIN IMMEDIATE", "starting a transaction");
  try {
    statement del;
    if (sqlite3_prepare_v2(impl_->db,
                           "DELETE FROM daily_picks WHERE trade_date = ?1", -1,
                           &del.s, nullptr)
        != SQLITE_OK)
      impl_->fail("deleting old picks");
    statement ins;
    if (sqlite3_prepare_v2(impl_->db,
                           "INSERT INTO daily_picks (trade_date, rank, code, "
                           "name, score, source) VALUES (?1, ?2, ?3, ?4, ?5, "
                           "?6)",
                           -1, &ins.s, nullptr)
        != SQLITE_OK)
      impl_->fail("inserting picks");
    std::size_t done = 0;
    for (auto& [trade_date, picks] : days) {
      sqlite3_reset(del.s);
      sqlite3_bind_int(del.s, 1, trade_date);
      if (sqlite3_step(del.s) != SQLITE_DONE)
        impl_->fail("deleting old picks");
      replaced[trade_date] =
          static_cast<std::size_t>(sqlite3_changes(impl_->db));
      for (auto& p : picks) {
        sqlite3_reset(ins.s);
        sqlite3_bind_int(ins.s, 1, trade_date);
        sqlite3_bind_int(ins.s, 2, p.rank);
        sqlite3_bind_text(ins.s, 3, p.code.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins.s, 4, p.name.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(ins.s, 5, p.score);
        sqlite3_bind_text(ins.s, 6, p.source.c_str(), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(ins.s) != SQLITE_DONE)
          impl_->fail("inserting " + p.code + " (rank " + std::to_string(p.rank)
                      + ")");
      }
      if (progress)
        progress(++done);
    }
    impl_->exec("COMMIT", "committing");
    return replaced;
  } catch (...) {
    sqlite3_exec(impl_->db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

} // namespace kisrt::store
