// SPDX-License-Identifier: Apache-2.0
// The `expect` lines of the scenario language: evaluated against the
// arbiter's slot snapshot, the events an observer saw and the commands the
// server read per session. Shared by the scripted and the live runner.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "actors/slot_model.hpp"
#include "apps/kisrt-scenario/script.hpp"
#include "apps/kisrt-scenario/scripted_kis.hpp"
#include "messages/slot_snapshot.hpp"
#include "messages/sources.hpp"

namespace kisrt::scenario {

/// An arbiter event and when the observer got it.
struct timed_event {
  mono_time at;
  slot_event ev;
};

using event_log = std::shared_ptr<std::vector<timed_event>>;
using trace_fn = std::shared_ptr<std::function<void(const std::string&)>>;

/// A statement that cannot run (bad session, time going backwards).
struct script_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct failure {
  std::string expected;
  std::string actual;
};

/// "s1" for session 0, "--" for no session.
std::string session_name(session_id s);

/// Session 0 for "s1".
session_id session_of(const std::string& name);

/// "holding,pick,request:node7".
std::string owners_text(const std::vector<owner_ref>& xs);

/// The positions of a `holdings CODE[:QTY] ...` line (quantity 1 when
/// none is given), as a balance inquiry would report them.
balance_snapshot balance_of(const statement& st);

/// The non-empty parts of a comma-separated list.
std::set<std::string> split_set(const std::string& s);

/// Evaluates `expect` lines against a slot snapshot, the events seen so far
/// and the commands the server read per session (shared by the scripted
/// and the live runner).
struct checker {
  std::uint32_t sessions;
  const std::vector<timed_event>& events;
  std::vector<kis_session>& wire;
  std::function<std::string(mono_time)> clock_text;

  /// The session a word names; a script_error when it does not exist.
  session_id parse_session(const word& w) const;

  /// The `session=` option, if any.
  std::optional<session_id> session_option(const statement& st) const;

  static slot_key key_of(const statement& st);
  static std::string key_text(const slot_key& k);
  std::string slot_text(const slot_info& s) const;

  /// Every slot of `k` as text, for "actual:".
  std::string key_state(const slot_snapshot& snap, const slot_key& k) const;

  /// Checks one `expect` line; nullopt when it holds. `snap` is not read by
  /// `expect sent` and `expect no-sent`.
  std::optional<failure> expect(const statement& st, const slot_snapshot& snap);

  std::optional<failure> expect_slots(const statement& st,
                                      const slot_snapshot& snap);
  std::optional<failure> expect_sent(const statement& st);
};

} // namespace kisrt::scenario
