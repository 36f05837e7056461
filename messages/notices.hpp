// SPDX-License-Identifier: Apache-2.0
// The gateway's journal of execution notices (docs/nodes.md, "Notice
// journal"): every notice gets a sequence number, and a subscriber that
// (re)joins asks for the ones after the last number it saw.
#pragma once

#include <cstdint>
#include <string>

#include <caf/meta/type_name.hpp>

#include "messages/market_events.hpp"

namespace kisrt {

/// A place in a journal: after notice `seq` of journal `journal` (an ID
/// the journal keeps for its whole life, so a number of another journal,
/// e.g. an in-memory one of an earlier gateway run, is never mistaken).
/// As a subscription's start: an empty `journal` asks for live notices
/// only; another journal's ID for every notice still kept.
struct notice_cursor {
  std::string journal;
  std::uint64_t seq = 0;
  friend bool operator==(const notice_cursor& a, const notice_cursor& b) {
    return a.journal == b.journal && a.seq == b.seq;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, notice_cursor& x) {
  return f(caf::meta::type_name("notice_cursor"), x.journal, x.seq);
}

/// A domestic execution notice with its place in the journal.
struct journaled_notice {
  notice_cursor at;
  notice_event notice;
  friend bool operator==(const journaled_notice& a, const journaled_notice& b) {
    return a.at == b.at && a.notice == b.notice;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, journaled_notice& x) {
  return f(caf::meta::type_name("journaled_notice"), x.at, x.notice);
}

/// An overseas execution notice with its place in the journal.
struct journaled_overseas_notice {
  notice_cursor at;
  overseas_notice_event notice;
  friend bool operator==(const journaled_overseas_notice& a,
                         const journaled_overseas_notice& b) {
    return a.at == b.at && a.notice == b.notice;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f,
                                        journaled_overseas_notice& x) {
  return f(caf::meta::type_name("journaled_overseas_notice"), x.at, x.notice);
}

} // namespace kisrt
