// SPDX-License-Identifier: Apache-2.0
#include "store/picks_watch.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <sys/stat.h>

namespace kisrt::store {

struct picks_watch::impl {
  std::string path;
  sqlite3* db = nullptr;
  bool known = false; ///< a baseline was taken
  bool exists = false;
  dev_t dev = 0;
  ino_t ino = 0;
  std::int64_t version = -1;

  void close() {
    sqlite3_close(db);
    db = nullptr;
    version = -1;
  }

  bool open() {
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr)
        != SQLITE_OK) {
      close();
      return false;
    }
    sqlite3_busy_timeout(db, 200);
    return true;
  }

  // data_version of the open connection; -1 when it cannot be read.
  std::int64_t read_version() {
    sqlite3_stmt* st = nullptr;
    std::int64_t v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA data_version", -1, &st, nullptr)
            == SQLITE_OK
        && sqlite3_step(st) == SQLITE_ROW)
      v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
  }
};

picks_watch::picks_watch(std::string path)
    : impl_(std::make_unique<impl>()) {
  impl_->path = std::move(path);
}

picks_watch::~picks_watch() {
  impl_->close();
}

bool picks_watch::changed() {
  auto& d = *impl_;
  struct stat st {};
  bool exists = ::stat(d.path.c_str(), &st) == 0;
  bool first = !d.known;
  d.known = true;
  if (!exists) {
    bool was = d.exists;
    d.exists = false;
    d.close();
    return !first && was;
  }
  if (!d.exists || d.db == nullptr || st.st_dev != d.dev
      || st.st_ino != d.ino) {
    // Appeared, replaced, or not readable before: a new baseline.
    d.close();
    d.exists = true;
    d.dev = st.st_dev;
    d.ino = st.st_ino;
    if (!d.open())
      return false;
    d.version = d.read_version();
    return !first;
  }
  auto v = d.read_version();
  if (v < 0 || v == d.version)
    return false;
  d.version = v;
  return true;
}

} // namespace kisrt::store
