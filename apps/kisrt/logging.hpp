// SPDX-License-Identifier: Apache-2.0
// The gateway's log: its level (`log.level`, `--log-level`), ISO 8601
// timestamps with the UTC offset, and, while the live table owns the
// terminal, a ring of the latest lines that the table shows under itself
// instead of letting them scroll through it.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace kisrt::app {

class config_file;

/// The levels `log.level` takes: trace, debug, info, warn, error, off.
extern const char* const log_levels;

/// Reads `log.level` (default "info"); a bad value is an error naming the
/// key and the levels.
std::string read_log_level(config_file& cfg);

/// Whether `level` is one of log_levels.
bool valid_log_level(const std::string& level);

/// The pattern of every log line: "2026-12-02T14:03:07.123+09:00 [kisrt]
/// [warn] text" (local time with its UTC offset).
extern const char* const log_pattern;

/// The latest log lines, bounded; filled by a log sink on any thread, read
/// by the live table.
class log_ring {
public:
  explicit log_ring(std::size_t max = 200)
      : max_(max) {}

  void push(std::string line);

  /// The last `n` lines, oldest first.
  std::vector<std::string> last(std::size_t n) const;

private:
  mutable std::mutex mtx_;
  std::deque<std::string> lines_;
  std::size_t max_;
};

/// Sets spdlog's default logger: to stderr, or (with `ring`) into the ring
/// only, at `level` with log_pattern.
void setup_logging(const std::string& level,
                   std::shared_ptr<log_ring> ring = nullptr);

} // namespace kisrt::app
