// SPDX-License-Identifier: Apache-2.0
// What the demand sources read: balance snapshots (portfolio_sync), pick
// entries (picks_loader) and ranking rows (scanner). A source can be fed
// these from REST, a file, a script or another node.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <caf/timespan.hpp>

namespace kisrt {

/// One held position as the balance inquiry reports it.
struct holding_qty {
  std::string code;
  std::int64_t qty = 0;
  friend bool operator==(const holding_qty& a, const holding_qty& b) {
    return a.code == b.code && a.qty == b.qty;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, holding_qty& x) {
  return f(caf::meta::type_name("holding_qty"), x.code, x.qty);
}

/// Every page of a balance inquiry, or why it failed (`error` non-empty:
/// `rows` is then ignored). Rows with quantity 0 are not holdings.
struct balance_snapshot {
  std::vector<holding_qty> rows;
  std::string error;
  friend bool operator==(const balance_snapshot& a, const balance_snapshot& b) {
    return a.rows == b.rows && a.error == b.error;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, balance_snapshot& x) {
  return f(caf::meta::type_name("balance_snapshot"), x.rows, x.error);
}

/// How portfolio_sync's balance polls went (for /healthz). Times are on
/// the actor clock.
struct portfolio_status {
  bool has_source = false;       ///< polls a balance source at all
  bool last_poll_ok = false;     ///< the last answered poll succeeded
  bool polling = false;          ///< a poll is in flight
  std::string last_error;        ///< of the last failed poll (no secrets)
  caf::timespan last_success{0}; ///< when the last good poll was answered
  std::uint32_t failures = 0;    ///< consecutive failed polls
  friend bool operator==(const portfolio_status& a, const portfolio_status& b) {
    return a.has_source == b.has_source && a.last_poll_ok == b.last_poll_ok
           && a.polling == b.polling && a.last_error == b.last_error
           && a.last_success == b.last_success && a.failures == b.failures;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, portfolio_status& x) {
  return f(caf::meta::type_name("portfolio_status"), x.has_source,
           x.last_poll_ok, x.polling, x.last_error, x.last_success, x.failures);
}

/// One daily pick (row of `daily_picks`); rank 1 is the best.
struct pick_entry {
  std::int32_t rank = 0;
  std::string code;
  std::string name;
  double score = 0;
  std::string source;
  friend bool operator==(const pick_entry& a, const pick_entry& b) {
    return a.rank == b.rank && a.code == b.code && a.name == b.name
           && a.score == b.score && a.source == b.source;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pick_entry& x) {
  return f(caf::meta::type_name("pick_entry"), x.rank, x.code, x.name, x.score,
           x.source);
}

/// The picks of one trading day (`trade_date` YYYYMMDD), in any order.
struct pick_set {
  std::int32_t trade_date = 0;
  std::vector<pick_entry> picks;
  friend bool operator==(const pick_set& a, const pick_set& b) {
    return a.trade_date == b.trade_date && a.picks == b.picks;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pick_set& x) {
  return f(caf::meta::type_name("pick_set"), x.trade_date, x.picks);
}

/// One row of a fluctuation or volume ranking.
struct ranking_entry {
  std::string code;
  double change_pct = 0; ///< prdy_ctrt
  std::int64_t volume = 0;
  friend bool operator==(const ranking_entry& a, const ranking_entry& b) {
    return a.code == b.code && a.change_pct == b.change_pct
           && a.volume == b.volume;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ranking_entry& x) {
  return f(caf::meta::type_name("ranking_entry"), x.code, x.change_pct,
           x.volume);
}

/// A ranking poll's rows (both rankings merged), or why it failed.
struct ranking_snapshot {
  std::vector<ranking_entry> rows;
  std::string error;
  friend bool operator==(const ranking_snapshot& a, const ranking_snapshot& b) {
    return a.rows == b.rows && a.error == b.error;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ranking_snapshot& x) {
  return f(caf::meta::type_name("ranking_snapshot"), x.rows, x.error);
}

} // namespace kisrt
