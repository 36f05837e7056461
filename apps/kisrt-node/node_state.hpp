// SPDX-License-Identifier: Apache-2.0
// kisrt-node's place in the gateway's notice journal: which notices its
// subscription covers, the last one it wrote (kept in --state FILE across
// restarts), and what a newly arrived notice means for it.
#pragma once

#include <optional>
#include <string>

#include "apps/kisrt-node/options.hpp"
#include "messages/notices.hpp"

namespace kisrt::node {

/// H0STCNI0, H0STCNI9 (domestic) and H0GSCNI0, H0GSCNI9 (overseas).
bool is_notice_tr(const std::string& tr_id);

/// True when the node's --subscribe covers notices at all.
bool wants_notices(const options& o);

/// True when the node's --subscribe covers a notice of `tr_id` for the
/// HTS ID `key`.
bool wants_notice(const options& o, const std::string& tr_id,
                  const std::string& key);

/// Reads a state file (`journal=ID` and `seq=N` lines). A missing file
/// leaves `out` as it is; anything else unreadable is an error text naming
/// the file and line.
std::optional<std::string> read_state(const std::string& path,
                                      notice_cursor& out);

/// Writes a state file atomically (PATH.tmp, fsync, rename); an error text
/// on failure.
std::optional<std::string> write_state(const std::string& path,
                                       const notice_cursor& place);

/// What a notice at `at` means for a node whose last notice is `last`.
enum class notice_step {
  next,        ///< the one after `last` (or the first one seen)
  duplicate,   ///< at or before `last` in the same journal: skip it
  gap,         ///< later than the next: some are no longer kept
  new_journal, ///< another journal (a gateway with a new journal)
};
notice_step classify(const notice_cursor& last, const notice_cursor& at);

/// The node's place after the gateway answered a (re)subscription with
/// `start`: `start` unless the node already has a later notice of the
/// same journal (the listener may see live notices before the answer).
notice_cursor merge_start(const notice_cursor& last,
                          const notice_cursor& start);

} // namespace kisrt::node
