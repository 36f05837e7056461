// SPDX-License-Identifier: Apache-2.0
// Every actor interface of kisrt, one page: read this to learn the protocol.
#pragma once

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/atoms.hpp"
#include "messages/calendar.hpp"
#include "messages/demand.hpp"
#include "messages/event_batch.hpp"
#include "messages/market_events.hpp"
#include "messages/nodes.hpp"
#include "messages/notices.hpp"
#include "messages/session_messages.hpp"
#include "messages/slot_events.hpp"
#include "messages/slot_outcome.hpp"
#include "messages/slot_snapshot.hpp"
#include "messages/snapshots.hpp"
#include "messages/sources.hpp"
#include "messages/stats.hpp"

namespace kisrt {

/// One connection per app key: owns the socket, never decides slots.
using connection_actor = caf::typed_actor<
    // Sends one subscribe/unsubscribe frame; drops it unless `epoch` is the
    // connection's current epoch.
    caf::reacts_to<wire_command>>;

/// Whoever wants to follow slot decisions (hub, scenario runner, nodes).
using slot_observer_actor = caf::typed_actor<
    // A key got a place on a session (subscribe follows when there is room).
    caf::reacts_to<slot_granted>,
    // The server acknowledged a subscribe.
    caf::reacts_to<slot_active>,
    // A slot is being given up, with the reason.
    caf::reacts_to<slot_evicted>,
    // The server refused a subscribe, with its msg_cd.
    caf::reacts_to<slot_rejected>,
    // Holdings alone exceed capacity: these keys have no place.
    caf::reacts_to<slots_starved>,
    // A session's plan was replayed after it came up.
    caf::reacts_to<session_replayed>,
    // A holding or pick is silent during market hours.
    caf::reacts_to<slot_stale>>;

/// The one owner of slot state.
using slot_arbiter_actor = caf::typed_actor<
    // -- declared demand --
    // Replaces the P1 set (portfolio_sync, from the REST balance).
    caf::reacts_to<holding_set>,
    // Applies one fill's resulting position to the P1 set at once.
    caf::reacts_to<position_update>,
    // Replaces the ranked P2 list (picks_loader).
    caf::reacts_to<pick_list>,
    // Merges P3 candidates with score and time (scanner).
    caf::reacts_to<scan_candidates>,
    // Adds an owner's explicit request at a priority level.
    caf::reacts_to<slot_request>,
    // Withdraws an owner's request (empty key: all of them).
    caf::reacts_to<slot_release>,
    // -- wire side --
    // A connection is up with a new epoch: replay its session's plan.
    caf::reacts_to<session_up>,
    // A connection is down: its registrations are gone.
    caf::reacts_to<session_down>,
    // The server answered a subscribe/unsubscribe (from the decoder).
    caf::reacts_to<sub_ack>,
    // A subscribe/unsubscribe went unanswered past the connection's answer
    // timeout: re-send it (from the connection).
    caf::reacts_to<answer_timeout>,
    // Last-data times of a session's keys, batched (from the hub).
    caf::reacts_to<data_seen_batch>,
    // -- wiring --
    // Names the connection actor that carries `session`'s commands.
    caf::reacts_to<atom::attach, session_id, connection_actor>,
    // Adds an observer of slot events.
    caf::reacts_to<caf::subscribe_atom, slot_observer_actor>,
    // Removes an observer of slot events.
    caf::reacts_to<caf::unsubscribe_atom, slot_observer_actor>,
    // -- the calendar --
    // Trading days learned from KIS (the calendar actor).
    caf::reacts_to<calendar_update>,
    // -- queries --
    // Returns every session and slot.
    caf::replies_to<caf::get_atom, atom::slots>::with<slot_snapshot>,
    // -- timers --
    // Self-sent: due retries, staleness checks, expiries.
    caf::reacts_to<caf::tick_atom>>;

/// An actor interface that reacts to every event type of `List`.
template <class List>
struct market_interface;

template <class... Es>
struct market_interface<caf::detail::type_list<Es...>> {
  using type = caf::typed_actor<caf::reacts_to<Es>...>;
};

/// Receives typed market events (in-process actors or remote nodes): one
/// handler per line of messages/event_list.hpp (trades, books, execution
/// notices, ..., and `fields_event`, the generic record of every other TR
/// with a layout). messages/event_handlers.hpp builds such behaviors.
using market_listener_actor = market_interface<market_event_types>::type;

/// A listener on a remote node: market events, one by one or in batches
/// (the node gate's proxies send batches; remote_market_behavior() in
/// messages/event_batch.hpp unpacks them).
using remote_listener_actor = market_listener_actor::extend<
    // Consecutive events, in the hub's order.
    caf::reacts_to<event_batch>>;

/// The notice-listener side of the decoder: receives execution notices (the
/// critical events of the list), live and unnumbered (portfolio sync, the
/// notice journal). Compare notice_listener_actor below, which receives
/// journaled (numbered) ones.
using notice_sink_actor = market_interface<critical_event_types>::type;

/// Turns raw WebSocket messages into typed events, acks and notices.
using decoder_actor = caf::typed_actor<
    // One WebSocket message of a session, from connection epoch `epoch`.
    caf::reacts_to<caf::receive_atom, session_id, epoch_t, std::string>,
    // Adds a receiver of execution notices (portfolio sync, the notice
    // journal).
    caf::reacts_to<caf::subscribe_atom, notice_sink_actor>,
    // Returns what it counted (live view, metrics).
    caf::replies_to<caf::get_atom, atom::stats>::with<decoder_counters>>;

/// Fans typed events out to subscribers; reports last-data times.
using hub_actor = market_listener_actor::extend<
    // Subscribes a listener to everything.
    caf::reacts_to<caf::subscribe_atom, market_listener_actor>,
    // Subscribes a listener to one (tr_id, tr_key); an empty tr_key means
    // every key of that tr_id.
    caf::reacts_to<caf::subscribe_atom, market_listener_actor, slot_key>,
    // Removes every subscription of a listener.
    caf::reacts_to<caf::unsubscribe_atom, market_listener_actor>,
    // Removes one subscription of a listener.
    caf::reacts_to<caf::unsubscribe_atom, market_listener_actor, slot_key>,
    // Returns what it delivered, dropped and conflated (live view, metrics).
    caf::replies_to<caf::get_atom, atom::stats>::with<hub_counters>,
    // Self-sent: flush last-data times to the arbiter.
    caf::reacts_to<caf::tick_atom>>;

/// One KIS connection: the arbiter's view plus the socket side.
using connection_full_actor = connection_actor::extend<
    // The transport `id` opened.
    caf::reacts_to<caf::open_atom, std::uint64_t>,
    // The transport `id` ended: stage and reason.
    caf::reacts_to<caf::close_atom, std::uint64_t, std::string>,
    // A message arrived on transport `id`.
    caf::reacts_to<caf::receive_atom, std::uint64_t, std::string>,
    // The approval key request succeeded (key) or failed (why).
    caf::reacts_to<approval_result>,
    // Self-sent: due retries, pacing, watchdog.
    caf::reacts_to<caf::tick_atom>,
    // Closes the socket with a close frame (shutdown).
    caf::reacts_to<caf::close_atom>,
    // Returns what it counted (metrics).
    caf::replies_to<caf::get_atom, atom::stats>::with<connection_counters>>;

// -- demand sources: holdings, picks, rankings --

/// Whoever follows holdings besides the arbiter (the scanner skips them).
using holding_listener_actor = caf::typed_actor<
    // The full set of held symbols.
    caf::reacts_to<holding_set>,
    // One fill's resulting position.
    caf::reacts_to<position_update>>;

/// Whoever follows the pick list besides the arbiter (the scanner).
using pick_listener_actor = caf::typed_actor<
    // The ranked pick list, best first.
    caf::reacts_to<pick_list>>;

/// P1 source: holdings from execution notices (notice_sink side, fed by the
/// decoder) and balance snapshots; follows slot events to poll again after a
/// session replay (a reconnect).
using portfolio_sync_actor =
    notice_sink_actor::extend_with<slot_observer_actor>::extend<
        // A balance snapshot (from the balance source, a script or a node):
        // reconcile with the notice state, send the holding_set.
        caf::reacts_to<balance_snapshot>,
        // Polls the balance source now (no-op without one or while a poll
        // is in flight).
        caf::reacts_to<atom::poll>,
        // Returns the held positions, sorted by code.
        caf::replies_to<caf::get_atom, atom::holdings>::with<balance_snapshot>,
        // Returns how the balance polls went (/healthz).
        caf::replies_to<caf::get_atom, atom::poll>::with<portfolio_status>,
        // Self-sent: the periodic poll.
        caf::reacts_to<caf::tick_atom>,
        // Self-sent: a retry after a failed poll, or the follow-up poll when
        // a settle window ends (ignored unless one is due).
        caf::reacts_to<atom::retry>>;

/// P2 source: today's picks from SQLite (at start and daily at 07:20 KST)
/// or from another actor or node.
using picks_loader_actor = caf::typed_actor<
    // Picks for a trading day from another actor or node; today's replace
    // the loaded ones (top N sent as a pick_list), others are ignored.
    caf::reacts_to<pick_set>,
    // Trading days (the calendar actor): no daily reload on a day without
    // trading.
    caf::reacts_to<calendar_update>,
    // Reloads today's picks from the database now.
    caf::reacts_to<atom::poll>,
    // Returns today's picks as sent (top N, best first).
    caf::replies_to<caf::get_atom, atom::picks>::with<pick_set>,
    // Self-sent: the daily refresh.
    caf::reacts_to<caf::tick_atom>,
    // Self-sent: asks the store whether it changed (picks.poll).
    caf::reacts_to<caf::tick_atom, atom::poll>>;

/// Whoever follows the trading calendar (the arbiter, the scanner, the
/// picks loader).
using calendar_listener_actor = caf::typed_actor<
    // Trading days learned from KIS (or the weekday fallback).
    caf::reacts_to<calendar_update>>;

/// Asks KIS which days trade (once a day, cached on disk) and tells its
/// listeners; falls back to weekdays while KIS cannot be asked.
using calendar_actor = caf::typed_actor<
    // Adds a listener; it gets what is known at once, then every update.
    caf::reacts_to<caf::subscribe_atom, calendar_listener_actor>,
    // The holiday call's answer or failure (from the calendar source).
    caf::reacts_to<calendar_update>,
    // Asks KIS now (no-op without a source or while a call is in flight).
    caf::reacts_to<atom::poll>,
    // Returns today's status and how the calls went (/healthz).
    caf::replies_to<caf::get_atom, atom::poll>::with<calendar_status>,
    // Self-sent: the daily call and retries after a failure.
    caf::reacts_to<caf::tick_atom>>;

/// P3 source: ranking polls during market hours -> scored candidates.
using scanner_actor = holding_listener_actor::extend<
    // The ranked pick list (picked symbols are not scanned).
    caf::reacts_to<pick_list>,
    // Ranking rows (from the ranking source, a script or a node).
    caf::reacts_to<ranking_snapshot>,
    // Trading days (the calendar actor): no polls, no candidates on a day
    // without trading.
    caf::reacts_to<calendar_update>,
    // Polls the ranking source now (no-op without one or while a poll
    // is in flight).
    caf::reacts_to<atom::poll>,
    // Returns the candidates that currently qualify.
    caf::replies_to<caf::get_atom, atom::candidates>::with<scan_candidates>,
    // Self-sent: the periodic poll.
    caf::reacts_to<caf::tick_atom>>;

// -- the notice journal (docs/nodes.md, "Notice journal") ------------------

/// Receives journaled execution notices, in sequence order.
using notice_listener_actor = caf::typed_actor<
    // H0STCNI0/H0STCNI9 with its sequence number.
    caf::reacts_to<journaled_notice>,
    // H0GSCNI0/H0GSCNI9 with its sequence number.
    caf::reacts_to<journaled_overseas_notice>>;

/// Numbers and keeps every execution notice (fed by the decoder like
/// portfolio sync) and delivers them to its subscribers: first the ones
/// they missed, then live, in order.
using notice_journal_actor = notice_sink_actor::extend<
    // Replays every kept notice after `since` to the listener, then live
    // ones; answers where the replay starts (this journal's ID and the seq
    // before the first notice the listener gets). Subscribing again moves
    // the listener's place.
    caf::replies_to<caf::subscribe_atom, atom::notices, notice_listener_actor,
                    notice_cursor>::with<notice_cursor>,
    // Stops delivering to a listener.
    caf::reacts_to<caf::unsubscribe_atom, atom::notices, notice_listener_actor>,
    // Returns this journal's ID and last seq.
    caf::replies_to<caf::get_atom, atom::notices>::with<notice_cursor>,
    // Self-sent: continue replays in bounded chunks.
    caf::reacts_to<caf::tick_atom>>;

// -- slot events for people (docs/operations.md, "Slot events") ------------

/// Receives slot outcomes in one shape (log, facade, live table, nodes).
using slot_outcome_listener_actor = caf::typed_actor<
    // One slot outcome.
    caf::reacts_to<slot_outcome>>;

/// Writes slot events to the log, a few lines a second at most.
using slot_log_actor = slot_outcome_listener_actor::extend<
    // Self-sent: the summary of what the rate limit held back is due.
    caf::reacts_to<caf::tick_atom>>;

/// Follows the arbiter (as its observer), turns its events into slot_events
/// with their priority and hands each to the listeners that want it.
using slot_feed_actor = slot_observer_actor::extend<
    // Adds a listener: every event with an empty `owner`, else only the
    // events of keys `owner` requested (a request owner's name).
    caf::reacts_to<caf::subscribe_atom, slot_outcome_listener_actor,
                   std::string>,
    // Removes a listener.
    caf::reacts_to<caf::unsubscribe_atom, slot_outcome_listener_actor>,
    // A copy of a request sent to the arbiter: whose keys are whose.
    caf::reacts_to<slot_request>,
    // A copy of a release sent to the arbiter.
    caf::reacts_to<slot_release>>;

// -- remote nodes (docs/nodes.md) ---------------------------------------------

/// The one actor published to remote nodes: fronts the hub's subscriptions
/// and the arbiter's requests, holds each node to its policy, and cleans up
/// after a node that disconnects or dies. The sender of each message is the
/// node.
using node_gate_actor = caf::typed_actor<
    // A node introduces itself; answers its policy. Refused while another
    // live node holds the name.
    caf::replies_to<node_hello>::with<node_policy>,
    // Subscribes a listener of the node to everything (through the hub).
    caf::reacts_to<caf::subscribe_atom, remote_listener_actor>,
    // Subscribes a listener of the node to one (tr_id, tr_key); an empty
    // tr_key means every key of that tr_id.
    caf::reacts_to<caf::subscribe_atom, remote_listener_actor, slot_key>,
    // Removes every subscription of a listener of the node.
    caf::reacts_to<caf::unsubscribe_atom, remote_listener_actor>,
    // Asks for a slot; refused with an error past the node's policy.
    caf::reacts_to<node_slot_request>,
    // Withdraws one request of the node (empty key: all of them).
    caf::reacts_to<node_slot_release>,
    // Subscribes a listener of the node to the notice journal: every notice
    // after `since`, then live ones (forwarded to the notice journal, which
    // answers; refused when the gateway keeps no journal).
    caf::replies_to<caf::subscribe_atom, atom::notices, notice_listener_actor,
                    notice_cursor>::with<notice_cursor>,
    // Sends a listener of the node the slot events of the node's own
    // requests, or, with `all` (when its policy allows), every slot event.
    caf::reacts_to<caf::subscribe_atom, atom::slots,
                   slot_outcome_listener_actor, bool>,
    // Returns how many nodes are connected (metrics); refused to senders
    // on other nodes.
    caf::replies_to<caf::get_atom, atom::stats>::with<gate_counters>,
    // Today's picks from a node whose policy has may_set_picks (validated,
    // bounded), forwarded to the picks loader; refused with an error
    // otherwise.
    caf::reacts_to<pick_set>,
    // Names the picks loader of this process (a handle on another node is
    // ignored).
    caf::reacts_to<atom::attach, picks_loader_actor>>;

/// The admin server's watch: counts the arbiter's slot events, keeps the
/// latest, and follows the hub's events per key (/metrics, the dashboard).
using admin_watch_actor =
    market_listener_actor::extend_with<slot_observer_actor>::extend<
        // Returns the counts, the latest slot events and data per key.
        caf::replies_to<caf::get_atom, atom::stats>::with<watch_report>>;

/// Price snapshots (actors/snapshot_fetcher.hpp): follows the arbiter and
/// asks REST for a key's price when it becomes active; the answer goes to
/// the hub as a snapshot_event.
using snapshot_fetcher_actor = slot_observer_actor::extend<
    // A price (or why there is none) from the price source, or the
    // self-sent end of a fetch's patience.
    caf::reacts_to<price_answer>>;

} // namespace kisrt
