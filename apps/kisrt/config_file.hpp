// SPDX-License-Identifier: Apache-2.0
// The gateway's configuration file: INI-style sections and `key = value`
// lines, every key addressable as `section.key` and overridable on the
// command line (`--set section.key=value`). Values are typed on read, and
// every error names the key, where it came from and why.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kisrt::app {

class config_file {
public:
  // -- limits (docs/configuration.md, "Bounds") --------------------------

  /// A configuration file larger than this is refused unread.
  static constexpr std::size_t max_file_bytes = 1 << 20;
  /// A value (or a `--set` assignment's value) longer than this is refused.
  static constexpr std::size_t max_value_bytes = 4096;
  /// Section and key names longer than this are refused.
  static constexpr std::size_t max_name_bytes = 128;
  /// The longest duration any key takes unless it says otherwise.
  static constexpr std::chrono::milliseconds max_duration =
      std::chrono::hours{24 * 7};

  /// `'text'` for an error message: at most 32 bytes of `text` (then
  /// "...(N bytes)"), control and non-ASCII bytes as `\xNN`. Errors quote
  /// values only through this, so a huge or binary value is never echoed.
  static std::string quote(std::string_view text);

  /// "100ms", "10s", "5m", "1h" (the largest unit that divides it).
  static std::string format_duration(std::chrono::milliseconds d);

  struct entry {
    std::string value;
    std::string origin; ///< "FILE:LINE" or "--set"
    mutable bool used = false;
  };

  /// Parses `text` (named `name` in errors). Returns the errors found;
  /// parsing goes on past a bad line.
  std::vector<std::string> parse(std::string_view text,
                                 const std::string& name);

  /// Reads and parses a file; an unreadable file, or one larger than
  /// max_file_bytes (such as /dev/zero), is one error.
  std::vector<std::string> load(const std::string& path);

  /// Applies `key=value` from the command line; an error if malformed.
  std::optional<std::string> set(std::string_view assignment);

  bool has(const std::string& key) const { return values_.count(key) > 0; }

  // -- typed reads: absent keys give the default; bad values add an error --

  std::string get_string(const std::string& key, std::string fallback = {});
  std::int64_t get_int(const std::string& key, std::int64_t fallback,
                       std::int64_t min, std::int64_t max);
  double get_double(const std::string& key, double fallback, double min,
                    double max);
  bool get_bool(const std::string& key, bool fallback);
  /// "500ms", "30s", "5m", "23h", "1.5s"; a bare number is seconds. The
  /// number is digits with an optional fraction (no sign, exponent, hex,
  /// inf or nan); a value outside [min, max] is an error naming the bounds.
  std::chrono::milliseconds
  get_duration(const std::string& key, std::chrono::milliseconds fallback,
               std::chrono::milliseconds min = std::chrono::milliseconds{0},
               std::chrono::milliseconds max = max_duration);
  /// Comma-separated, trimmed, empty items dropped.
  std::vector<std::string> get_list(const std::string& key,
                                    std::vector<std::string> fallback = {});

  /// Section names that start with `prefix` (e.g. "session." gives
  /// "session.s1", "session.s2"), sorted.
  std::vector<std::string> sections(std::string_view prefix) const;

  /// Keys that start with `prefix` (e.g. "calendar.session." gives
  /// "calendar.session.20251113"), sorted.
  std::vector<std::string> keys(std::string_view prefix) const;

  /// Adds an error for `key` (for checks done by the caller).
  void error(const std::string& key, const std::string& why);

  /// Keys that were set but never read: almost always typos.
  std::vector<std::string> unused_keys() const;

  /// Errors of typed reads and error() so far.
  const std::vector<std::string>& errors() const noexcept { return errors_; }

private:
  const entry* find(const std::string& key) const;

  std::map<std::string, entry> values_;
  std::vector<std::string> errors_;
};

} // namespace kisrt::app
