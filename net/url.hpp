// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace kisrt::net {

/// The parts of a ws://, wss://, http:// or https:// URL.
struct url {
  std::string scheme; ///< lower case
  std::string host;
  std::string port; ///< the scheme's default when absent
  std::string target = "/";

  bool secure() const noexcept { return scheme == "wss" || scheme == "https"; }
};

/// Parses `text`; on failure returns a reason naming what is wrong, else an
/// empty string.
std::string parse_url(std::string_view text, url& out);

} // namespace kisrt::net
