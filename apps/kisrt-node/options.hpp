// SPDX-License-Identifier: Apache-2.0
// kisrt-node's command line: what to connect to, subscribe and request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "messages/nodes.hpp"

namespace kisrt::node {

struct options {
  std::string host;
  std::uint16_t port = 0;
  std::string name; ///< default: "node-<pid>"
  bool subscribe_all = false;
  std::vector<slot_key> subscribe; ///< an empty tr_key: every key of tr_id
  std::vector<node_slot_request> requests;
  std::string out; ///< empty: stdout
  bool tls = false;
  std::string tls_cert;
  std::string tls_key;
  std::string tls_cafile;
  /// Exit after this many events (0: run until killed).
  std::uint64_t count = 0;
  /// Where the last notice's place (journal ID and seq) is kept across
  /// restarts; empty: in memory only (docs/nodes.md, "Notice journal").
  std::string state;
  /// Slot events written as {"event":"slot",...} lines: those of this
  /// node's requests ("own", the default), every one ("all", when the
  /// gateway's policy allows) or none ("off").
  std::string slot_events = "own";
};

/// Parses argv; returns an error text naming the argument, or nothing.
std::optional<std::string> parse_options(int argc, char** argv, options& out);

/// "H0STCNT0:005930,H0STASP0" (a TR alone: every key) or "all".
std::optional<std::string> parse_subscribe(const std::string& text,
                                           options& out);

/// "H0STASP0:000660:2,..." (TR:KEY:LEVEL, level 0..255).
std::optional<std::string> parse_requests(const std::string& text,
                                          options& out);

extern const char* const usage;

} // namespace kisrt::node
