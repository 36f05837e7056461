// SPDX-License-Identifier: Apache-2.0
// Access tokens cached on disk per app key (0600), reused while valid and
// never requested more than once a minute (KIS answers EGW00133 then).
// The directory must be ours and not writable by group or others; files
// are read and written without following symlinks (docs/security.md).
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

  /// The cached entry of `app_key`, if any. A directory that is not ours or
  /// is writable by group or others, and a file that is a symlink, not
  /// 0600 or not ours, are refused with a reason in `error` (which never
  /// holds the token).
  std::optional<entry> load(std::string_view app_key, std::string& error) const;

  /// Writes atomically: a fresh `.NAME.tmp-RANDOM` in the same directory,
  /// created with O_EXCL | O_NOFOLLOW and 0600, fsynced, then renamed over
  /// the file. Refuses a directory `load` would refuse.
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
  /// The directory, opened and checked (ours, no group/other write); -1
  /// with `error` set otherwise.
  int open_dir(std::string& error) const;

  std::string dir_;
};

/// Parses KIS's "YYYY-MM-DD HH:MM:SS" (KST) into unix seconds; -1 if bad.
std::int64_t parse_kst_datetime(std::string_view text) noexcept;

} // namespace kisrt::net
