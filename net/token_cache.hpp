// SPDX-License-Identifier: Apache-2.0
// Access tokens cached on disk per app key (0600), reused while valid and
// never requested more than once a minute (KIS answers EGW00133 then).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kisrt::net {

class token_cache {
public:
  struct entry {
    std::string token;
    std::int64_t expires_at = 0;   ///< unix seconds
    std::int64_t last_request = 0; ///< unix seconds of the last issuance call
  };

  /// Files go to `dir` (created with 0700 if missing).
  explicit token_cache(std::string dir);

  /// The cached entry of `app_key`, if any. A file that is not 0600 or not
  /// ours is refused with a reason in `error` (secrets stay private).
  std::optional<entry> load(std::string_view app_key, std::string& error) const;

  /// Writes atomically (temporary file with 0600, then rename).
  bool store(std::string_view app_key, const entry& e,
             std::string& error) const;

  /// Path of the file for `app_key` (named by a hash, not the key).
  std::string path_for(std::string_view app_key) const;

  /// True when `e` stays valid for at least `margin` seconds after `now`.
  static bool usable(const entry& e, std::int64_t now,
                     std::int64_t margin = 600) noexcept {
    return !e.token.empty() && e.expires_at > now + margin;
  }

  /// True when a new issuance call is allowed at `now`.
  static bool may_request(const entry& e, std::int64_t now) noexcept {
    return e.last_request == 0 || now >= e.last_request + 60;
  }

private:
  std::string dir_;
};

/// Parses KIS's "YYYY-MM-DD HH:MM:SS" (KST) into unix seconds; -1 if bad.
std::int64_t parse_kst_datetime(std::string_view text) noexcept;

} // namespace kisrt::net
