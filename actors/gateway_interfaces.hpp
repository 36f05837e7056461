// SPDX-License-Identifier: Apache-2.0
// Typed interfaces of the wire side (connection, decoder, hub). They move
// into messages/actors.hpp with the rest of the protocol.
#pragma once

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/actors.hpp"

namespace kisrt {

/// Turns raw WebSocket messages into typed events, acks and notices.
using decoder_actor = caf::typed_actor<
    // One WebSocket message of a session, from connection epoch `epoch`.
    caf::reacts_to<caf::receive_atom, session_id, epoch_t, std::string>,
    // Adds a receiver of execution notices (portfolio sync).
    caf::reacts_to<caf::subscribe_atom, market_listener_actor>>;

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
    // The approval key request succeeded (true, key) or failed (false, why).
    caf::reacts_to<caf::put_atom, bool, std::string>,
    // Self-sent: due retries, pacing, watchdog.
    caf::reacts_to<caf::tick_atom>,
    // Closes the socket with a close frame (shutdown).
    caf::reacts_to<caf::close_atom>>;

} // namespace kisrt
