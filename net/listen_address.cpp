// SPDX-License-Identifier: Apache-2.0
#include "net/listen_address.hpp"

#include <boost/asio/ip/address.hpp>

namespace kisrt::net {

std::string parse_listen_address(std::string_view text, listen_address& out) {
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos)
      return "'" + std::string{text} + "': missing ']' after the IPv6 address";
    host = text.substr(1, close - 1);
    auto rest = text.substr(close + 1);
    if (rest.empty() || rest.front() != ':')
      return "expected [IPv6]:PORT";
    port = rest.substr(1);
    if (host.find(':') == std::string_view::npos)
      return "'" + std::string{host} + "' in brackets is not an IPv6 address";
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos)
      return "expected HOST:PORT or off";
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos)
      return "'" + std::string{host}
             + "': an IPv6 address goes in brackets, e.g. [::1]:PORT";
  }
  if (host.empty())
    return "missing host before ':' (e.g. 127.0.0.1:PORT)";
  if (port.empty() || port.size() > 5
      || port.find_first_not_of("0123456789") != std::string_view::npos
      || std::stoul(std::string{port}) > 65535)
    return "port '" + std::string{port} + "' is not 0..65535";
  std::string ip = host == "localhost" ? "127.0.0.1" : std::string{host};
  boost::system::error_code ec;
  auto addr = boost::asio::ip::make_address(ip, ec);
  if (ec)
    return "'" + std::string{host} + "' is not an IP address or localhost";
  if (text.front() != '[' && addr.is_v6())
    return "'" + std::string{host}
           + "': an IPv6 address goes in brackets, e.g. [::1]:PORT";
  out.host = addr.to_string();
  out.port = static_cast<std::uint16_t>(std::stoul(std::string{port}));
  out.loopback = addr.is_loopback();
  return {};
}

bool is_loopback_address(const std::string& ip) {
  boost::system::error_code ec;
  auto addr = boost::asio::ip::make_address(ip, ec);
  return !ec && addr.is_loopback();
}

} // namespace kisrt::net
