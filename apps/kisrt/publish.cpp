// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt/publish.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/openssl/publish.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <cstdlib>
#include <stdexcept>

#include "actors/node_gate.hpp"

namespace kisrt::app {

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

namespace {

node_limits read_limits(config_file& cfg, const std::string& section,
                        node_limits fallback) {
  node_limits out;
  out.max_priority = static_cast<priority>(cfg.get_int(
      section + ".max_priority", fallback.max_priority, 1, lowest_priority));
  out.max_slots = static_cast<std::uint32_t>(
      cfg.get_int(section + ".max_slots", fallback.max_slots, 0, 10000));
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
  o.allow_plaintext_remote =
      cfg.get_bool("publish.allow_plaintext_remote", false);
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
  if (o.enabled && !is_loopback(o.host) && !o.tls()
      && !o.allow_plaintext_remote)
    cfg.error("publish.listen",
              "'" + o.host
                  + "' is not a loopback address: set publish.certificate "
                    "and publish.key for TLS, or allow plaintext explicitly "
                    "(--allow-plaintext-remote)");
  o.heartbeat = cfg.get_duration("publish.heartbeat", o.heartbeat);
  o.timeout = cfg.get_duration("publish.timeout", o.timeout);
  if (o.heartbeat.count() <= 0 || o.timeout < 2 * o.heartbeat)
    cfg.error("publish.timeout",
              "must be at least twice publish.heartbeat (and that above 0)");
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
  if (!opts.tls())
    return;
  cfg.load<caf::openssl::manager>();
  cfg.openssl_certificate = opts.certificate;
  cfg.openssl_key = opts.key;
  cfg.openssl_passphrase = opts.passphrase;
  cfg.openssl_cafile = opts.cafile;
}

std::uint16_t start_node_gate(caf::actor_system& sys, const publish_options& o,
                              const hub_actor& hub,
                              const slot_arbiter_actor& arbiter,
                              node_gate_actor& gate,
                              std::optional<notice_journal_actor> journal) {
  gate = sys.spawn(node_gate, o.nodes, hub, arbiter, std::move(journal));
  // SO_REUSEADDR: a restarted gateway gets its port back at once, so
  // nodes reconnect to the address they know.
  auto res = o.tls()
                 ? caf::openssl::publish(gate, o.port, o.host.c_str(), true)
                 : sys.middleman().publish(gate, o.port, o.host.c_str(), true);
  if (!res)
    throw std::runtime_error("cannot publish the node gate on " + o.host + ":"
                             + std::to_string(o.port) + ": "
                             + sys.render(res.error()));
  return *res;
}

} // namespace kisrt::app
