// SPDX-License-Identifier: Apache-2.0
// GET /metrics: the Prometheus text exposition format (version 0.0.4),
// written here because Debian packages no Prometheus C++ client. The
// writer and the rendering are pure functions of what the actors answered
// (tests call them directly); docs/operations.md lists every family.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "messages/slot_snapshot.hpp"
#include "messages/stats.hpp"

namespace kisrt::app {

/// The content type of the text exposition format.
inline constexpr const char* metrics_content_type =
    "text/plain; version=0.0.4; charset=utf-8";

/// A label value escaped for the text format: backslash, double quote and
/// line feed.
std::string escape_label_value(std::string_view x);

/// A HELP text escaped for the text format: backslash and line feed.
std::string escape_help(std::string_view x);

/// Writes families in the text format: one HELP and TYPE line per family,
/// then its samples. Names and label names are the caller's constants.
class exposition {
public:
  using labels = std::vector<std::pair<std::string_view, std::string>>;

  /// Starts a family; `type` is counter or gauge.
  void family(std::string_view name, std::string_view type,
              std::string_view help);

  void sample(std::string_view name, const labels& ls, double value);
  void sample(std::string_view name, const labels& ls, std::uint64_t value);
  void sample(std::string_view name, double value) { sample(name, {}, value); }
  void sample(std::string_view name, std::uint64_t value) {
    sample(name, {}, value);
  }

  const std::string& text() const noexcept { return out_; }

private:
  void start(std::string_view name, const labels& ls);
  std::string out_;
};

/// The process as /proc/self shows it.
struct process_stats {
  bool ok = false;
  double cpu_seconds = 0; ///< user + system
  std::uint64_t resident_bytes = 0;
  std::uint64_t open_fds = 0;
  std::uint64_t max_fds = 0;     ///< 0: unknown
  double start_time_seconds = 0; ///< since the epoch; 0: unknown
};

/// Reads /proc/self (stat, fd, limits); `ok` false when it cannot.
process_stats read_process_stats();

/// One REST request count: api (the path's last segment, "token",
/// "approval") and outcome (ok, error).
struct rest_count {
  std::string api;
  std::string outcome;
  std::uint64_t value = 0;
};

/// Counts one REST request of this process (any thread). The label set is
/// bounded: past 64 distinct apis, new ones count as "other".
void count_rest_request(std::string_view api, bool ok);

/// The REST counts so far, sorted by api then outcome.
std::vector<rest_count> rest_counts();

/// The REST api label of a request target ("/uapi/.../inquire-balance?x"
/// -> "inquire-balance").
std::string rest_api_of(std::string_view target);

/// The WebSocket stream's counters (net/stream_server.hpp).
struct stream_counters {
  std::uint64_t clients = 0;   ///< connected now
  std::uint64_t accepted = 0;  ///< upgraded to WebSocket
  std::uint64_t refused = 0;   ///< bad upgrade, TLS or token
  std::uint64_t busy = 0;      ///< stream.max_clients reached
  std::uint64_t slow = 0;      ///< disconnected: could not keep up
  std::uint64_t sent = 0;      ///< frames written
  std::uint64_t conflated = 0; ///< quotes replaced by newer ones
};

/// Everything /metrics shows; what an actor did not answer in time is
/// empty and its families are left out.
struct metrics_input {
  std::optional<slot_snapshot> slots;
  std::optional<decoder_counters> decoder;
  std::optional<hub_counters> hub;
  std::vector<connection_counters> connections;
  std::optional<gate_counters> gate; ///< none when not publishing
  bool publishing = false;
  std::optional<stream_counters> stream; ///< none without --stream
  std::optional<watch_report> watch;
  std::vector<rest_count> rest;
  process_stats process;
  mono_time now{0}; ///< actor clock, for ages
};

using session_namer_fn = std::function<std::string(session_id)>;

/// The exposition of `in`; `name` gives session labels ("s1").
std::string render_metrics(const metrics_input& in,
                           const session_namer_fn& name);

} // namespace kisrt::app
