// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt/publish.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/binary_deserializer.hpp>
#include <caf/io/middleman.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <caf/io/basp_broker.hpp>
#include <caf/io/network/multiplexer.hpp>

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "actors/node_gate.hpp"
#include "net/listen_address.hpp"
#include "net/publish_relay.hpp"

namespace kisrt::app {

bool is_loopback(const std::string& host) {
  return host == "localhost" || net::is_loopback_address(host);
}

namespace {

node_limits read_limits(config_file& cfg, const std::string& section,
                        node_limits fallback) {
  node_limits out;
  out.max_priority = static_cast<priority>(cfg.get_int(
      section + ".max_priority", fallback.max_priority, 1, lowest_priority));
  out.max_slots = static_cast<std::uint32_t>(
      cfg.get_int(section + ".max_slots", fallback.max_slots, 0, 10000));
  out.all_slot_events =
      cfg.get_bool(section + ".all_slot_events", fallback.all_slot_events);
  if (section != "nodes") {
    out.allow_unauthenticated =
        cfg.get_bool(section + ".allow_unauthenticated", false);
    out.may_set_picks = cfg.get_bool(section + ".may_set_picks", false);
  }
  return out;
}

} // namespace

publish_options read_publish_options(config_file& cfg,
                                     std::vector<std::string>& errors) {
  publish_options o;
  auto listen = cfg.get_string("publish.listen", "off");
  if (listen != "off") {
    o.enabled = true;
    auto colon = listen.rfind(':');
    // "PORT" or ":PORT" bind to loopback.
    auto host =
        colon == std::string::npos ? std::string{} : listen.substr(0, colon);
    auto port = colon == std::string::npos ? listen : listen.substr(colon + 1);
    if (!host.empty())
      o.host = host;
    char* end = nullptr;
    auto p = std::strtol(port.c_str(), &end, 10);
    if (port.empty() || *end != '\0' || p < 0 || p > 65535)
      cfg.error("publish.listen",
                "'" + listen
                    + "': expected [HOST:]PORT (port 0..65535) or off");
    else
      o.port = static_cast<std::uint16_t>(p);
  }
  // Mutual TLS is the only way off loopback: it keeps unauthenticated
  // peers from ever reaching CAF's BASP (docs/security.md).
  if (cfg.get_bool("publish.allow_plaintext_remote", false))
    cfg.error("publish.allow_plaintext_remote",
              "is no longer accepted: off loopback, nodes connect through "
              "mutual TLS only (publish.certificate, publish.key, "
              "publish.cafile)");
  o.certificate = cfg.get_string("publish.certificate");
  o.key = cfg.get_string("publish.key");
  o.cafile = cfg.get_string("publish.cafile");
  if (auto var = cfg.get_string("publish.passphrase_env"); !var.empty()) {
    if (auto* v = std::getenv(var.c_str()))
      o.passphrase = v;
    else
      errors.push_back("key 'publish.passphrase_env': environment variable "
                       + var + " is not set");
  }
  if (o.certificate.empty() != o.key.empty())
    cfg.error(o.key.empty() ? "publish.key" : "publish.certificate",
              "publish.certificate and publish.key go together");
  if (o.tls() && o.cafile.empty())
    cfg.error("publish.cafile",
              "required with publish.certificate: CAF's TLS authenticates "
              "both sides, so nodes present certificates signed by this CA");
  if (o.enabled && !is_loopback(o.host) && !o.tls())
    cfg.error("publish.listen",
              "'" + o.host
                  + "' is not a loopback address: set publish.certificate, "
                    "publish.key and publish.cafile for mutual TLS");
  o.heartbeat = cfg.get_duration("publish.heartbeat", o.heartbeat);
  o.timeout = cfg.get_duration("publish.timeout", o.timeout);
  if (o.heartbeat.count() <= 0 || o.timeout < 2 * o.heartbeat)
    cfg.error("publish.timeout",
              "must be at least twice publish.heartbeat (and that above 0)");
  o.max_message = static_cast<std::uint32_t>(
      cfg.get_int("publish.max_message", o.max_message, 4096, 256 << 20));
  o.handshake_timeout =
      cfg.get_duration("publish.handshake_timeout", o.handshake_timeout);
  if (o.handshake_timeout.count() <= 0)
    cfg.error("publish.handshake_timeout", "must be above 0");
  o.max_connections = static_cast<std::size_t>(
      cfg.get_int("publish.max_connections",
                  static_cast<std::int64_t>(o.max_connections), 1, 4096));
  o.nodes.max_slots_total = static_cast<std::uint32_t>(
      cfg.get_int("nodes.max_slots_total", o.nodes.max_slots_total, 0, 10000));
  o.nodes.batch_max = static_cast<std::uint32_t>(
      cfg.get_int("nodes.batch_max", o.nodes.batch_max, 1, 4096));
  o.nodes.batch_delay = std::chrono::microseconds{cfg.get_int(
      "nodes.batch_delay_us", o.nodes.batch_delay.count(), 0, 100000)};
  o.nodes.authenticated = o.tls();
  o.nodes.defaults = read_limits(cfg, "nodes", o.nodes.defaults);
  for (auto& sec : cfg.sections("node."))
    o.nodes.by_name[sec.substr(5)] = read_limits(cfg, sec, o.nodes.defaults);
  return o;
}

void configure_publish(caf::actor_system_config& cfg,
                       const publish_options& opts) {
  if (!opts.enabled)
    return;
  cfg.load<caf::io::middleman>();
  // Heartbeats both ways (kisrt-node sends them too) and a timeout: a
  // node whose machine vanishes without closing its socket still counts as
  // gone, and its requests are released.
  cfg.set("middleman.heartbeat-interval", caf::timespan{opts.heartbeat});
  cfg.set("middleman.connection-timeout", caf::timespan{opts.timeout});
  // TLS is terminated by the relay (net/publish_relay.hpp), not by
  // caf::openssl, so that the gate learns each node's certificate subject.
}

std::uint16_t start_node_gate(caf::actor_system& sys, net::io_runner& io,
                              const publish_options& o, const hub_actor& hub,
                              const slot_arbiter_actor& arbiter,
                              node_gate_actor& gate,
                              std::unique_ptr<net::publish_relay>& relay,
                              std::optional<notice_journal_actor> journal,
                              std::optional<slot_feed_actor> feed) {
  auto nodes = o.nodes;
  if (o.tls())
    nodes.subjects = std::make_shared<node_subjects>();
  gate = sys.spawn(node_gate, nodes, hub, arbiter, std::move(journal),
                   std::move(feed));
  // The relay listens, terminates TLS (mutual; CAF's own TLS does not show
  // the peer's certificate) and checks every BASP header; CAF gets the
  // gateway's end of a socket pair per connection, as its BASP broker
  // takes a connected scribe for a published actor (the `publish_atom,
  // scribe_ptr` handler of caf/io/basp_broker in 0.17.6), and writes its
  // server handshake for the gate on it.
  auto& mm = sys.middleman();
  auto basp = mm.named_broker<caf::io::basp_broker>(caf::atom("BASP"));
  auto whom = caf::actor_cast<caf::strong_actor_ptr>(gate);
  auto sigs = sys.message_types(gate);
  auto* backend = &mm.backend();
  net::publish_relay_options ro;
  ro.host = o.host;
  ro.port = o.port;
  ro.max_message = o.max_message;
  ro.handshake_timeout = o.handshake_timeout;
  ro.max_connections = o.max_connections;
  ro.certificate = o.certificate;
  ro.key = o.key;
  ro.cafile = o.cafile;
  ro.passphrase = o.passphrase;
  net::relay_identity identity;
  if (auto subjects = nodes.subjects) {
    // The node id bytes of the BASP handshake, read back as CAF's node id:
    // the gate sees the same id as the sender's node.
    identity = [subjects, sysp = &sys](const std::string& bytes,
                                       const std::string& subject, bool up) {
      caf::binary_deserializer src{*sysp, bytes.data(), bytes.size()};
      caf::node_id nid;
      if (auto err = src(nid))
        return;
      if (up)
        subjects->add(to_string(nid), subject);
      else
        subjects->remove(to_string(nid));
    };
  }
  // The published-actor key of the BASP broker: any fixed number works,
  // the relay's port is the natural one (set once it is bound).
  auto key = std::make_shared<std::atomic<std::uint16_t>>(0);
  relay = std::make_unique<net::publish_relay>(
      io, ro,
      [basp, whom, sigs, backend, key](int fd) {
        auto scribe = backend->new_scribe(fd);
        if (!scribe)
          return false;
        caf::anon_send(basp, caf::publish_atom_v, std::move(scribe),
                       key->load(), whom, sigs);
        return true;
      },
      [](const std::string& why) { spdlog::warn("node gate: {}", why); },
      std::move(identity));
  key->store(relay->port());
  return relay->port();
}

} // namespace kisrt::app
