// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt/slot_events.hpp"

#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/slot_feed.hpp"
#include "actors/slot_log.hpp"
#include "messages/type_ids.hpp"

namespace kisrt::app {

slot_event_actors start_slot_events(caf::actor_system& sys,
                                    std::vector<std::string> session_names) {
  slot_event_actors out{
      sys.spawn(slot_feed, slot_feed_state::default_max_listeners), {}};
  slot_log_config lc;
  lc.session_names = std::move(session_names);
  out.log = sys.spawn(slot_log, std::move(lc));
  // The log before the feed observes the arbiter: it misses no event.
  caf::anon_send(out.feed, caf::subscribe_atom_v,
                 slot_outcome_listener_actor{out.log}, std::string{});
  return out;
}

} // namespace kisrt::app
