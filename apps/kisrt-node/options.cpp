// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt-node/options.hpp"

#include "actors/node_gate_checks.hpp"

#include <cstdlib>
#include <string_view>

namespace kisrt::node {

const char* const usage =
    "usage: kisrt-node --gateway HOST:PORT --subscribe TR:KEY,...|all\n"
    "                  [--request TR:KEY:LEVEL,...] [--out FILE] [--name N]\n"
    "                  [--tls --tls-cert FILE --tls-key FILE --tls-cafile F]\n"
    "                  [--count N] [--state FILE] [--slot-events own|all|off]\n"
    "  --gateway H:P   the gateway's --publish address\n"
    "  --subscribe L   TR:KEY pairs (TR alone: every key of it) or all\n"
    "  --request L     slot requests TR:KEY:LEVEL (the gateway's policy\n"
    "                  decides; refusals are printed on stderr)\n"
    "  --out FILE      write event lines to FILE (default stdout)\n"
    "  --name N        this node's name at the gateway (default node-PID)\n"
    "  --tls           connect with TLS (caf::openssl): certificate, key and\n"
    "                  the CA file that signed the gateway's certificate\n"
    "  --count N       exit after N events\n"
    "  --state FILE    remember the last execution notice's place in FILE,\n"
    "                  so a restarted node gets the notices it missed\n"
    "  --slot-events W slot outcomes as {\"event\":\"slot\",...} lines: of\n"
    "                  this node's requests (own, default), every one (all,\n"
    "                  if the gateway's policy allows) or none (off); they\n"
    "                  do not count towards --count\n";

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto pos = s.find(sep, start);
    out.push_back(s.substr(start, pos - start));
    if (pos == std::string::npos)
      return out;
    start = pos + 1;
  }
}

bool parse_uint(const std::string& s, std::uint64_t max, std::uint64_t& out) {
  if (s.empty() || s.size() > 20)
    return false;
  char* end = nullptr;
  auto v = std::strtoull(s.c_str(), &end, 10);
  if (*end != '\0' || s[0] == '-' || v > max)
    return false;
  out = v;
  return true;
}

} // namespace

std::optional<std::string> parse_subscribe(const std::string& text,
                                           options& out) {
  if (text == "all") {
    out.subscribe_all = true;
    return std::nullopt;
  }
  for (auto& item : split(text, ',')) {
    auto parts = split(item, ':');
    if (item.empty() || parts.size() > 2 || parts[0].empty())
      return "--subscribe: '" + item + "' is not TR:KEY or TR";
    slot_key key{parts[0], parts.size() == 2 ? parts[1] : std::string{}};
    // The gate's own checks (actors/node_gate_checks.hpp), here too.
    if (auto why = check_node_key(key, true, node_use::subscribe); !why.empty())
      return "--subscribe: " + why;
    out.subscribe.push_back(std::move(key));
  }
  return std::nullopt;
}

std::optional<std::string> parse_requests(const std::string& text,
                                          options& out) {
  for (auto& item : split(text, ',')) {
    auto parts = split(item, ':');
    std::uint64_t level = 0;
    if (parts.size() != 3 || parts[0].empty() || parts[1].empty())
      return "--request: '" + item + "' is not TR:KEY:LEVEL";
    if (!parse_uint(parts[2], 255, level))
      return "--request: '" + item + "': level '" + parts[2]
             + "' is not 0..255";
    slot_key key{parts[0], parts[1]};
    if (auto why = check_node_key(key, false); !why.empty())
      return "--request: " + why;
    out.requests.push_back({std::move(key), static_cast<priority>(level)});
  }
  return std::nullopt;
}

std::optional<std::string> parse_options(int argc, char** argv, options& out) {
  bool have_subscribe = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value = [&](std::string& v) -> std::optional<std::string> {
      if (i + 1 >= argc)
        return std::string{arg} + " needs a value";
      v = argv[++i];
      return std::nullopt;
    };
    std::string v;
    std::optional<std::string> err;
    if (arg == "--gateway") {
      if ((err = value(v)))
        return err;
      auto colon = v.rfind(':');
      std::uint64_t port = 0;
      if (colon == std::string::npos || colon == 0
          || !parse_uint(v.substr(colon + 1), 65535, port) || port == 0)
        return "--gateway: '" + v + "' is not HOST:PORT (port 1..65535)";
      out.host = v.substr(0, colon);
      out.port = static_cast<std::uint16_t>(port);
    } else if (arg == "--subscribe") {
      if ((err = value(v)) || (err = parse_subscribe(v, out)))
        return err;
      have_subscribe = true;
    } else if (arg == "--request") {
      if ((err = value(v)) || (err = parse_requests(v, out)))
        return err;
    } else if (arg == "--out") {
      if ((err = value(out.out)))
        return err;
    } else if (arg == "--name") {
      if ((err = value(out.name)))
        return err;
    } else if (arg == "--tls") {
      out.tls = true;
    } else if (arg == "--tls-cert") {
      if ((err = value(out.tls_cert)))
        return err;
    } else if (arg == "--tls-key") {
      if ((err = value(out.tls_key)))
        return err;
    } else if (arg == "--tls-cafile") {
      if ((err = value(out.tls_cafile)))
        return err;
    } else if (arg == "--state") {
      if ((err = value(out.state)))
        return err;
      if (out.state.empty())
        return std::string{"--state needs a file name"};
    } else if (arg == "--slot-events") {
      if ((err = value(out.slot_events)))
        return err;
      if (out.slot_events != "own" && out.slot_events != "all"
          && out.slot_events != "off")
        return "--slot-events: '" + out.slot_events
               + "' is not own, all or off";
    } else if (arg == "--count") {
      if ((err = value(v)))
        return err;
      if (!parse_uint(v, UINT64_MAX, out.count))
        return "--count: '" + v + "' is not a number";
    } else {
      return "unknown argument '" + std::string{arg} + "'";
    }
  }
  if (out.host.empty())
    return std::string{"--gateway HOST:PORT is required"};
  if (!have_subscribe)
    return std::string{"--subscribe is required (TR:KEY,... or all)"};
  if (out.tls
      && (out.tls_cert.empty() || out.tls_key.empty()
          || out.tls_cafile.empty()))
    return std::string{"--tls needs --tls-cert, --tls-key and --tls-cafile "
                       "(CAF's TLS authenticates both sides)"};
  if (!out.tls
      && !(out.tls_cert.empty() && out.tls_key.empty()
           && out.tls_cafile.empty()))
    return std::string{"--tls-cert/--tls-key/--tls-cafile need --tls"};
  return std::nullopt;
}

} // namespace kisrt::node
