// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt/stream.hpp"

#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

#include "actors/stream_gate.hpp"
#include "apps/kisrt/slots_json.hpp"
#include "net/io_runner.hpp"
#include "net/listen_address.hpp"
#include "net/stream_server.hpp"

namespace kisrt::app {

std::string check_stream_exposure(bool loopback, bool tls, bool token,
                                  bool allow_plaintext_remote) {
  if (loopback || allow_plaintext_remote || (tls && token))
    return {};
  std::string missing;
  if (!tls)
    missing = "TLS (stream.certificate and stream.key, or the publish "
              "certificate)";
  if (!token)
    missing += std::string{missing.empty() ? "" : " and "}
               + "a bearer token (stream.token_env)";
  return "is not a loopback address: the stream needs " + missing
         + " there, or stream.allow_plaintext_remote = true";
}

stream_options read_stream_options(
    config_file& cfg,
    const std::function<std::optional<std::string>(const char*)>& env) {
  stream_options o;
  auto listen = cfg.get_string("stream.listen", "off");
  o.allow_plaintext_remote =
      cfg.get_bool("stream.allow_plaintext_remote", false);
  o.certificate = cfg.get_string("stream.certificate");
  o.key = cfg.get_string("stream.key");
  auto pass_var = cfg.get_string("stream.passphrase_env");
  if (o.certificate.empty() && o.key.empty()) {
    // The publish certificate serves the stream too (server side only).
    o.certificate = cfg.get_string("publish.certificate");
    o.key = cfg.get_string("publish.key");
    if (pass_var.empty())
      pass_var = cfg.get_string("publish.passphrase_env");
  }
  if (o.certificate.empty() != o.key.empty())
    cfg.error(o.key.empty() ? "stream.key" : "stream.certificate",
              "stream.certificate and stream.key go together");
  if (!pass_var.empty()) {
    if (auto v = env(pass_var.c_str()))
      o.passphrase = *v;
    else
      cfg.error("stream.passphrase_env",
                "environment variable " + pass_var + " is not set");
  }
  auto token_var = cfg.get_string("stream.token_env");
  if (!token_var.empty()) {
    if (auto v = env(token_var.c_str()); v && !v->empty())
      o.token = *v;
    else
      cfg.error("stream.token_env",
                "environment variable " + token_var + " is not set");
    if (!o.token.empty() && o.token.size() < 16)
      cfg.error("stream.token_env",
                "the token in " + token_var + " is shorter than 16 characters");
  }
  o.max_clients =
      static_cast<std::size_t>(cfg.get_int("stream.max_clients", 64, 1, 4096));
  o.max_frame = static_cast<std::size_t>(
      cfg.get_int("stream.max_frame", 16 * 1024, 256, 1 << 20));
  o.max_queue = static_cast<std::size_t>(
      cfg.get_int("stream.max_queue", 20000, 16, 10'000'000));
  o.max_subscriptions = static_cast<std::size_t>(
      cfg.get_int("stream.max_subscriptions", 256, 1, 100'000));
  o.handshake_timeout =
      cfg.get_duration("stream.handshake_timeout", o.handshake_timeout);
  o.idle_timeout = cfg.get_duration("stream.idle_timeout", o.idle_timeout);
  if (o.handshake_timeout.count() <= 0 || o.idle_timeout.count() <= 0)
    cfg.error("stream.handshake_timeout",
              "stream.handshake_timeout and stream.idle_timeout must be "
              "above 0");
  if (listen != "off") {
    net::listen_address addr;
    if (auto why = net::parse_listen_address(listen, addr); !why.empty()) {
      cfg.error("stream.listen", why);
    } else {
      o.enabled = true;
      o.host = addr.host;
      o.port = addr.port;
      o.loopback = addr.loopback;
      if (auto why =
              check_stream_exposure(addr.loopback, o.tls(), !o.token.empty(),
                                    o.allow_plaintext_remote);
          !why.empty())
        cfg.error("stream.listen", "'" + listen + "' " + why);
    }
  }
  return o;
}

stream_handles start_stream(caf::actor_system& sys, const stream_options& o,
                            const hub_actor& hub,
                            const slot_arbiter_actor& arbiter,
                            const slot_feed_actor& feed,
                            std::vector<std::string> session_names) {
  stream_handles h;
  h.io = std::make_shared<net::io_runner>();
  // The gate first (the server's callbacks talk to it), writing through a
  // forwarder that reaches the server once it is bound.
  struct forward : net::stream_out {
    std::weak_ptr<net::stream_server> to;
    void send(std::uint64_t id, std::string text,
              std::string_view key) override {
      if (auto s = to.lock())
        s->send(id, std::move(text), key);
    }
    void close(std::uint64_t id, std::string reason) override {
      if (auto s = to.lock())
        s->close(id, std::move(reason));
    }
  };
  auto fwd = std::make_shared<forward>();
  stream_gate_config gc;
  gc.policy = o.policy;
  gc.policy.authenticated = !o.token.empty();
  gc.policy.max_nodes = o.max_clients;
  gc.max_subscriptions = o.max_subscriptions;
  stream_gate_deps deps;
  deps.hub = hub;
  deps.arbiter = arbiter;
  deps.feed = feed;
  deps.out = fwd;
  auto names =
      std::make_shared<std::vector<std::string>>(std::move(session_names));
  deps.slots_json = [names](const slot_snapshot& snap) {
    return slots_json(snap, [names](session_id id) {
      return id < names->size() ? (*names)[id] : "s" + std::to_string(id + 1);
    });
  };
  h.gate = sys.spawn(stream_gate, std::move(gc), std::move(deps));
  net::stream_server_options so;
  so.host = o.host;
  so.port = o.port;
  so.certificate = o.certificate;
  so.key = o.key;
  so.passphrase = o.passphrase;
  so.bearer_token = o.token;
  so.max_clients = o.max_clients;
  so.max_frame = o.max_frame;
  so.max_queue = o.max_queue;
  so.handshake_timeout = o.handshake_timeout;
  so.idle_timeout = o.idle_timeout;
  net::stream_callbacks cbs;
  auto gate = h.gate;
  cbs.opened = [gate](std::uint64_t id, const std::string& peer) {
    caf::anon_send(gate, caf::open_atom_v, id, peer);
  };
  cbs.message = [gate](std::uint64_t id, std::string&& text) {
    caf::anon_send(gate, caf::receive_atom_v, id, std::move(text));
  };
  cbs.closed = [gate](std::uint64_t id, const std::string& why) {
    caf::anon_send(gate, caf::close_atom_v, id, why);
  };
  cbs.log = [](const std::string& line) { spdlog::warn("{}", line); };
  try {
    h.server = std::make_shared<net::stream_server>(*h.io, so, std::move(cbs));
  } catch (...) {
    caf::anon_send_exit(h.gate, caf::exit_reason::user_shutdown);
    throw;
  }
  fwd->to = h.server;
  h.io->start();
  spdlog::info("stream: ws{}://{}:{}{}", o.tls() ? "s" : "", o.host,
               h.server->port(), o.token.empty() ? "" : " (bearer token)");
  return h;
}

void stop_stream(stream_handles& h, std::chrono::milliseconds grace) {
  if (h.server)
    h.server->stop();
  if (h.gate)
    caf::anon_send_exit(h.gate, caf::exit_reason::user_shutdown);
  if (h.io)
    h.io->drain(grace);
  h.server.reset();
  h.io.reset();
}

} // namespace kisrt::app
