// SPDX-License-Identifier: Apache-2.0
// The slot model: all slot state of every session, as a plain class. The
// slot_arbiter actor is a thin wrapper; tests and benchmarks drive this
// class directly. Time is always an argument, never read here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "actors/slot_config.hpp"
#include "actors/trading_calendar.hpp"
#include "messages/demand.hpp"
#include "messages/session_messages.hpp"
#include "messages/slot_events.hpp"
#include "messages/slot_snapshot.hpp"

namespace kisrt {

using slot_event =
    std::variant<slot_granted, slot_active, slot_evicted, slot_rejected,
                 slots_starved, session_replayed, slot_stale>;

/// What one step of the model wants sent: wire commands (in order) and
/// events for observers.
struct slot_outputs {
  std::vector<wire_command> commands;
  std::vector<slot_event> events;
  void clear() {
    commands.clear();
    events.clear();
  }
};

class slot_model {
public:
  explicit slot_model(slot_config cfg);

  // -- declared demand --------------------------------------------------------

  /// Replaces the P1 set.
  void set_holdings(const std::vector<std::string>& symbols, mono_time now,
                    slot_outputs& out);

  /// Adds (quantity > 0) or removes (0) one holding.
  void update_position(const position_update& x, mono_time now,
                       slot_outputs& out);

  /// Replaces the ranked P2 list.
  void set_picks(const std::vector<std::string>& ranked, mono_time now,
                 slot_outputs& out);

  /// Merges P3 candidates (a known symbol gets the new score and time).
  void add_candidates(const std::vector<scan_candidate>& xs, mono_time now,
                      slot_outputs& out);

  /// Adds or updates an owner's explicit request.
  void request(const slot_request& x, mono_time now, slot_outputs& out);

  /// Withdraws an owner's request (empty key: all of the owner's).
  void release(const slot_release& x, mono_time now, slot_outputs& out);

  // -- wire side --------------------------------------------------------------

  /// A session is up with `epoch` (must grow): replays its plan.
  void on_up(session_id s, epoch_t epoch, mono_time now, slot_outputs& out);

  /// A session is down: its registrations are gone.
  void on_down(session_id s, epoch_t epoch, mono_time now, slot_outputs& out);

  /// A server answer; ignored unless it matches the key's outstanding
  /// command in the session's current epoch.
  void on_ack(const sub_ack& x, mono_time now, slot_outputs& out);

  /// The connection got no answer to a command in time: the same command
  /// goes out again (the key keeps counting against the cap). Ignored
  /// unless it matches the key's outstanding command in the session's
  /// current epoch.
  void on_answer_timeout(const answer_timeout& x, mono_time now,
                         slot_outputs& out);

  /// Last-data times from the hub.
  void on_data(const data_seen_batch& x);

  /// Periodic work: staleness, due retries, lapsed candidates (dropped
  /// only here), hold times. A key counts as silent only while its TR's
  /// market is in session (`open`, from the calendar and the hours).
  void tick(mono_time now, const open_markets& open, slot_outputs& out);

  /// As above with every market in session (`market_open`) or none.
  void tick(mono_time now, bool market_open, slot_outputs& out) {
    open_markets open;
    open.all = market_open;
    tick(now, open, out);
  }

  // -- queries ----------------------------------------------------------------

  slot_snapshot snapshot() const;

  const slot_config& config() const noexcept { return cfg_; }

  /// Registrations counted against the cap: pending + active + releasing.
  std::uint32_t used(session_id s) const;

  /// The cap in force: the configured cap, lowered by OPSP0008.
  std::uint32_t effective_cap(session_id s) const;

  /// True if the key has an owner of `kind`.
  bool owned_by(const slot_key& key, owner_kind kind) const;

  /// True if the key has a holding among its owners.
  bool held(const slot_key& key) const;

  /// Probes of the learned cap sent so far (see slot_config::cap_probe).
  std::uint64_t cap_probes() const noexcept { return cap_probes_; }

  /// Number of keys known (wanted or still on the wire).
  std::size_t size() const noexcept { return entries_.size(); }

  /// Scanner updates taken without a plan because they could not change
  /// it (see slot_config::skip_futile_plans).
  std::uint64_t plans_skipped() const noexcept { return plans_skipped_; }

  /// Waiting scanner candidates parked in the score index, outside the
  /// per-plan walk.
  std::size_t parked() const noexcept { return parked_.size(); }

private:
  // The TRs of a holding or pick: the overseas lists for an overseas key.
  const std::vector<std::string>& holding_trs_for(const std::string& s) const {
    return slot_config::trs_for(s, cfg_.holding_trs, cfg_.overseas_holding_trs);
  }
  const std::vector<std::string>& pick_trs_for(const std::string& s) const {
    return slot_config::trs_for(s, cfg_.pick_trs, cfg_.overseas_pick_trs);
  }

  enum class wire_state : std::uint8_t { none, pending, active, releasing };

  struct owner_entry {
    owner_kind kind = owner_kind::request;
    std::string name;
    priority level = lowest_priority;
    std::int64_t order = 0; ///< pick rank, request sequence
    double score = 0;       ///< scan score
    mono_time seen{0};      ///< scan: last seen by the scanner
  };

  struct entry;

  /// Orders parked candidates as a plan ranks waiting ones: best score
  /// first, then key order.
  struct park_less {
    bool operator()(const entry* x, const entry* y) const;
  };

  using park_index = std::set<entry*, park_less>;

  // Fields every plan reads come first: they share a cache line, and a
  // plan walks thousands of entries.
  struct entry {
    // Derived from the owners by refresh_rank() whenever they change.
    bool owned = false;
    priority level = lowest_priority;
    owner_kind kind = owner_kind::request;
    bool rejected_for_good = false;
    bool cap_rejected = false;
    bool granted_valid = false;
    wire_state wire = wire_state::none;
    // What the snapshot shows and since when.
    slot_state shown = slot_state::requested;
    // Where the plan puts the key; `home` is its first session, where a
    // holding that moved away returns.
    session_id planned = no_session;
    // What is on the wire: at most one command in flight per key.
    session_id wired = no_session;
    session_id shown_session = no_session;
    std::uint32_t idx = 0; ///< position in key order
    std::uint32_t retries = 0;
    session_id home = no_session;
    double rank_b = 0;       ///< minus the scan score
    std::int64_t rank_a = 0; ///< pick rank, request arrival, notice session
    mono_time retry_at{0};
    mono_time granted{0}; ///< original grant time (kept across replays)
    // Colder state.
    slot_key key;
    std::vector<owner_entry> owners;
    epoch_t epoch = 0;
    mono_time active_since{0};
    mono_time last_data{0};
    bool stale_reported = false;
    bool resubscribe = false;
    /// A waiting scanner candidate kept in `parked_` only: no plan visits
    /// it unless it is among the best `room` of them.
    bool parked = false;
    park_index::iterator park_pos; ///< valid while parked
    mono_time since{0};
  };

  /// What add_owner() found before it changed the entry.
  struct owner_change {
    entry& e;
    bool was_new;
    bool owned_before;
    owner_kind kind_before;
    priority level_before;
  };

  struct session_state {
    session_config cfg;
    bool up = false;
    epoch_t epoch = 0;
    std::uint32_t learned = 0;
    /// The earliest time of the next cap probe (set by OPSP0008).
    mono_time probe_at{0};
    // Scratch of the current plan.
    std::int64_t budget = 0;
    std::uint32_t used = 0;
  };

  struct rank_item {
    priority level;
    std::uint8_t tier;
    std::int64_t a;
    double b;
    std::uint32_t idx; ///< key order, kept here to spare a pointer chase
    entry* e;
  };

  // -- demand helpers ---------------------------------------------------------

  owner_change add_owner(const slot_key& key, owner_entry x);
  void remove_owner(const slot_key& key, owner_kind kind,
                    const std::string& name);
  void refresh_rank(entry& e);
  void add_holding(const std::string& symbol);
  void remove_holding(const std::string& symbol);

  // -- planning ---------------------------------------------------------------

  /// Recomputes the plan and emits the difference to the wire.
  void reconcile(mono_time now, slot_outputs& out);
  void expire_candidates(mono_time now);
  void assign(mono_time now, slot_outputs& out);
  void send_diff(mono_time now, slot_outputs& out);
  void finish(mono_time now, slot_outputs& out);
  /// Updates what the snapshot shows (state, session, since).
  void show(entry& e, mono_time now);
  void move_to(entry& e, session_id target, evict_reason why, mono_time now,
               slot_outputs& out);
  session_id choose_session(const entry& e, bool holding) const;
  static bool rank_less(const rank_item& x, const rank_item& y) noexcept;
  session_id best_session(bool up_only) const;

  // -- state helpers ----------------------------------------------------------

  session_state* find_session(session_id s);
  const session_state* find_session(session_id s) const;
  bool is_up(session_id s) const;
  bool protected_scan(const entry& e, mono_time now) const;
  bool recyclable(const entry& e, mono_time now) const;
  std::uint32_t registered(session_id s) const;
  std::uint32_t wire_limit(const session_state& s) const;
  mono_time backoff(std::uint32_t retries) const;
  static slot_state public_state(const entry& e);
  /// Entries in key order (rebuilt when keys come or go): iterating a
  /// vector is much cheaper than walking the map on every plan.
  const std::vector<entry*>& ordered() const;
  /// The entries a plan walks, in key order: all but the parked ones.
  std::vector<entry*>& live() const;
  void insert_live(entry& e);
  bool park_eligible(const entry& e) const;
  void park(entry& e);
  void unpark(entry& e);

  slot_config cfg_;
  std::vector<session_state> sessions_; // sorted by id
  std::map<slot_key, entry> entries_;
  std::set<std::string> holdings_;
  std::vector<std::string> picks_;
  std::int64_t request_seq_ = 0;
  open_markets open_;
  std::vector<slot_key> starved_;
  std::vector<rank_item> order_; // reused buffers
  std::vector<rank_item> tail_;
  std::vector<rank_item> waiting_;
  mutable std::vector<entry*> ordered_;
  mutable bool keys_changed_ = true;
  bool erase_pending_ = false;
  mutable std::vector<entry*> live_;
  mutable std::uint64_t ordered_gen_ = 0; ///< rebuilds of ordered_
  mutable std::uint64_t live_gen_ = ~std::uint64_t{0};
  park_index parked_;
  // Facts about the last plan, for skipping futile ones.
  bool saturated_ = false;    ///< no place a waiting candidate could take
  bool fixed_point_ = false;  ///< the last plan changed nothing
  bool demand_waits_ = false; ///< the last plan left demand without a place
  std::uint64_t cap_probes_ = 0;
  mono_time next_due_{0}; ///< the first time a timer changes the plan
  std::uint64_t plans_skipped_ = 0;
};

} // namespace kisrt
