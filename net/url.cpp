// SPDX-License-Identifier: Apache-2.0
#include "net/url.hpp"

#include <cctype>

namespace kisrt::net {

std::string parse_url(std::string_view text, url& out) {
  out = url{};
  auto sep = text.find("://");
  if (sep == std::string_view::npos)
    return "missing scheme (expected ws://, wss://, http:// or https://)";
  for (char c : text.substr(0, sep))
    out.scheme +=
        static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string default_port;
  if (out.scheme == "ws" || out.scheme == "http")
    default_port = "80";
  else if (out.scheme == "wss" || out.scheme == "https")
    default_port = "443";
  else
    return "unsupported scheme '" + out.scheme + "'";
  auto rest = text.substr(sep + 3);
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  if (slash != std::string_view::npos)
    out.target = std::string{rest.substr(slash)};
  if (authority.empty())
    return "missing host";
  if (authority.find('@') != std::string_view::npos)
    return "credentials in URLs are not supported";
  if (authority.front() == '[') { // IPv6 literal
    auto close = authority.find(']');
    if (close == std::string_view::npos)
      return "unterminated IPv6 literal";
    out.host = std::string{authority.substr(1, close - 1)};
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':')
        return "junk after IPv6 literal";
      out.port = std::string{after.substr(1)};
    }
  } else {
    auto colon = authority.rfind(':');
    out.host = std::string{authority.substr(0, colon)};
    if (colon != std::string_view::npos)
      out.port = std::string{authority.substr(colon + 1)};
  }
  if (out.host.empty())
    return "missing host";
  if (out.port.empty()) {
    out.port = default_port;
  } else {
    for (char c : out.port)
      if (c < '0' || c > '9')
        return "port '" + out.port + "' is not a number";
    if (out.port.size() > 5 || std::stoul(out.port) > 65535)
      return "port '" + out.port + "' is out of range";
  }
  return {};
}

} // namespace kisrt::net
