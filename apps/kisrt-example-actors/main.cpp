// SPDX-License-Identifier: Apache-2.0
// kisrt-example-actors: embedding level 1 (docs/embedding.md). The gateway
// runs inside this program's own caf::actor_system; our own typed actor
// subscribes to the hub and our demand goes to the arbiter. Here against
// the embedded simulator; pass --config FILE for KIS.
//
//   kisrt-example-actors [--config FILE] [--events N] [TR_ID SYMBOL]...
//
// Prints N events (default 10) of the given keys (default H0STASP0 005930,
// the order book, live before the open too) and exits.
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "apps/common/version.hpp"
#include "apps/kisrt/config_file.hpp"
#include "apps/kisrt/embedded_sim.hpp"
#include "apps/kisrt/gateway.hpp"
#include "apps/kisrt/gateway_handles.hpp"
#include "messages/event_handlers.hpp"
#include "messages/type_ids.hpp"
#include "net/kis/layout.hpp"

namespace {

using namespace kisrt;

// Your actor system must know kisrt's message types.
struct my_config : caf::actor_system_config {
  my_config() {
    add_message_types<caf::id_block::kisrt>();
    set("logger.verbosity", caf::atom("quiet"));
  }
};

struct printer_state {
  int seen = 0;
  int limit = 0;
  caf::actor done; ///< told once `limit` events arrived
  static inline const char* name = "printer";
};

// Our own actor: any market_listener_actor can subscribe to the hub.
market_listener_actor::behavior_type
printer(market_listener_actor::stateful_pointer<printer_state> self, int limit,
        caf::actor done) {
  self->state.limit = limit;
  self->state.done = std::move(done);
  auto count = [self] {
    if (++self->state.seen == self->state.limit)
      caf::anon_send(self->state.done, caf::ok_atom_v);
  };
  // Handlers for the events this printer formats; every other event type
  // (messages/event_list.hpp) goes to the first one.
  return market_behavior<market_listener_actor::behavior_type>(
      [count](const auto& ev) {
        std::cout << ev.tr_id << ' ' << key_of(ev) << '\n';
        count();
      },
      [count](const trade_event& ev) {
        std::cout << ev.tr_id << ' ' << ev.data.symbol << " price "
                  << ev.data.price << " volume " << ev.data.volume << '\n';
        count();
      },
      [count](const book_event& ev) {
        std::cout << ev.tr_id << ' ' << ev.data.symbol << " ask "
                  << ev.data.asks[0].price << " bid " << ev.data.bids[0].price
                  << '\n';
        count();
      },
      [count](const notice_event& ev) {
        std::cout << ev.tr_id << " order " << ev.data.order_no << " filled "
                  << ev.data.fill_qty << " @ " << ev.data.fill_price << '\n';
        count();
      },
      [count](const expected_event& ev) {
        std::cout << ev.tr_id << ' ' << ev.data.symbol << " expected "
                  << ev.data.price << '\n';
        count();
      },
      [count](const fields_event& ev) {
        // Every TR without a typed record: its fields by name.
        std::cout << ev.tr_id << ' ' << ev.data.key;
        kis::for_each_field(ev.data, kis::find_layout(ev.tr_id),
                            [](std::string_view name, std::string_view value) {
                              std::cout << ' ' << name << '=' << value;
                            });
        std::cout << '\n';
        count();
      });
}

} // namespace

int main(int argc, char** argv) {
  if (kisrt::print_version_if_asked(argc, argv, "kisrt-example-actors"))
    return 0;
  app::config_file cfg;
  std::vector<std::string> errors;
  int events = 10;
  std::vector<slot_key> keys;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if ((arg == "--config" || arg == "--events") && i + 1 < argc) {
      if (arg == "--config")
        errors = cfg.load(argv[++i]);
      else
        events = std::atoi(argv[++i]);
    } else if (arg.rfind("--", 0) != 0 && i + 1 < argc) {
      keys.push_back({arg, argv[++i]});
    } else {
      std::cerr << "usage: kisrt-example-actors [--config FILE] [--events N] "
                   "[TR_ID SYMBOL]...\n";
      return 2;
    }
  }
  if (keys.empty())
    keys.push_back({"H0STASP0", "005930"});
  if (!cfg.has("kis.env"))
    cfg.set("kis.sim=true");
  if (!cfg.has("admin.listen"))
    cfg.set("admin.listen=off");
  auto env = [](const char* name) -> std::optional<std::string> {
    if (auto* v = std::getenv(name))
      return std::string{v};
    return std::nullopt;
  };
  auto opts = app::read_options(cfg, env, errors);
  for (auto& e : errors)
    std::cerr << "config: " << e << '\n';
  if (!errors.empty())
    return 2;

  // 1. Your actor system, with kisrt's types; the gateway starts in it.
  my_config sys_cfg;
  caf::actor_system sys{sys_cfg};
  app::gateway gw{opts, app::embedded_simulator()};
  gw.start(sys);
  auto h = gw.handles();

  // 2. Your actor subscribes to the hub for each key, then declares the
  //    demand to the arbiter (it decides the slots; the hub only fans out).
  caf::scoped_actor self{sys};
  auto me = sys.spawn(printer, events, caf::actor{self});
  for (auto& key : keys) {
    caf::anon_send(h.hub, caf::subscribe_atom_v, me, key);
    caf::anon_send(h.arbiter, slot_request{"example", key, pick_priority});
  }

  // 3. Wait for our actor to see enough, then shut down.
  int rc = 0;
  self->receive([](caf::ok_atom) {}, caf::after(std::chrono::seconds{60}) >>
                                         [&] {
                                           std::cerr << "no " << events
                                                     << " events within 60 s\n";
                                           rc = 1;
                                         });
  if (rc == 0)
    std::cout << "received " << events << " events\n" << std::flush;
  caf::anon_send_exit(me, caf::exit_reason::user_shutdown);
  gw.stop();
  return rc;
}
