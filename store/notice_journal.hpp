// SPDX-License-Identifier: Apache-2.0
// The notice journal's storage (SQLite, WAL): every execution notice the
// gateway received, numbered, bounded (docs/nodes.md, "Notice journal").
//   notices(seq, trading_date, tr_id, session, received_ms, kind, body)
//   meta(key, value)  -- 'journal_id'
// `body` is the decoded record as a JSON object whose members are the
// record's fields (names and order of its inspect()), so the journal reads
// in the sqlite3 shell too. No actors here; actors/notice_journal wraps it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "messages/market_events.hpp"

namespace kisrt::store {

/// One kept notice.
struct journal_entry {
  std::uint64_t seq = 0;
  std::int32_t trading_date = 0; ///< KST YYYYMMDD when it arrived
  std::int64_t received_ms = 0;  ///< UTC milliseconds since 1970
  std::variant<notice_event, overseas_notice_event> notice;
  friend bool operator==(const journal_entry& a, const journal_entry& b) {
    return a.seq == b.seq && a.trading_date == b.trading_date
           && a.received_ms == b.received_ms && a.notice == b.notice;
  }
};

/// The record as the JSON object stored in `body`, and back. from_json
/// throws std::runtime_error naming the field that is missing or wrong.
std::string to_json(const kis::exec_notice& x);
std::string to_json(const kis::overseas_notice& x);
void from_json(const std::string& text, kis::exec_notice& out);
void from_json(const std::string& text, kis::overseas_notice& out);

class notice_journal {
public:
  /// Opens (creating if needed) the journal at `path`; an empty path keeps
  /// it in memory (gone when the process ends). Keeps at most `max_rows`
  /// notices (at least 1), dropping the oldest. Sequence numbers continue
  /// after the largest kept one. Throws std::runtime_error naming the path
  /// and SQLite's reason.
  notice_journal(const std::string& path, std::size_t max_rows);
  ~notice_journal();
  notice_journal(const notice_journal&) = delete;
  notice_journal& operator=(const notice_journal&) = delete;

  /// This journal's ID: 16 hex digits, made when the database was created
  /// (a new one for every in-memory journal).
  const std::string& id() const noexcept;

  /// The largest sequence number given out so far (0: none yet).
  std::uint64_t last_seq() const noexcept;

  /// The smallest kept sequence number (last_seq() + 1 when empty).
  std::uint64_t first_seq() const;

  /// Keeps one notice under the next sequence number and returns it; drops
  /// the oldest past the bound. On a write error the number is still used
  /// (last_seq() moves on, so later notices never reuse it) and
  /// std::runtime_error is thrown.
  std::uint64_t
  append(std::int32_t trading_date, std::int64_t received_ms,
         const std::variant<notice_event, overseas_notice_event>& notice);

  /// Kept notices with seq > `after`, in order, at most `limit`.
  std::vector<journal_entry> since(std::uint64_t after, std::size_t limit);

  /// How many notices are kept.
  std::size_t size() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace kisrt::store
