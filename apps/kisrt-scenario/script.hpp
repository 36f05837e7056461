// SPDX-License-Identifier: Apache-2.0
// The scenario language (docs/scenarios.md): parsing into statements with
// positions, and checking each statement's shape, so a syntax error names
// file, line and column before anything runs.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kisrt::scenario {

/// `at HH:MM:SS` (absolute KST time of day) or `at +5s` / `at +250ms`.
struct time_spec {
  bool relative = false;
  std::chrono::milliseconds value{0}; ///< since midnight, or the offset
};

struct word {
  std::string text;
  int column = 0; ///< 1-based
};

/// One statement: `verb` is the first word (two for `server X`, `expect X`),
/// positional words and `key=value` options follow.
struct statement {
  int line = 0;
  int column = 0;
  std::optional<time_spec> at;
  std::string verb;
  std::vector<word> args;
  std::map<std::string, word> options;
  /// The source line, for failure reports.
  std::string source;

  /// Option value or `fallback`.
  std::string option(const std::string& key,
                     const std::string& fallback = {}) const;
};

struct script {
  std::string file;
  std::string name; ///< from `scenario "..."`
  int name_line = 0;
  std::vector<statement> statements;
};

struct parse_error {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;
  std::string to_string() const;
};

/// Parses a file's text. A file may hold several scenarios: each
/// `scenario` line starts a new one. Returns the first error, if any.
std::optional<parse_error> parse(std::string_view text, const std::string& file,
                                 std::vector<script>& out);

/// Verbs the language knows, with their shapes (for docs and errors).
const std::vector<std::string>& known_verbs();

} // namespace kisrt::scenario
