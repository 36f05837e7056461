// SPDX-License-Identifier: Apache-2.0
// Blocking helpers for tests that drive kisrt processes: read a child's
// output line with a deadline, GET an admin endpoint (or POST to the
// simulator's) on loopback.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace kisrt::test {

/// Reads until '\n' or EOF, waiting at most `timeout` in total.
inline std::string read_line(int fd, std::chrono::milliseconds timeout) {
  std::string line;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char c;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return line;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0)
      return line;
    if (::read(fd, &c, 1) != 1 || c == '\n')
      return line;
    line += c;
  }
}

/// Blocking request on loopback with a receive timeout; returns the body.
inline std::string http_request(int port, const std::string& method,
                                const std::string& path,
                                const std::string& payload = {}) {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{5, 0};
  ::setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    auto req =
        method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
    if (!payload.empty())
      req += "Content-Type: application/json\r\nContent-Length: "
             + std::to_string(payload.size()) + "\r\n";
    req += "\r\n" + payload;
    if (::write(s, req.data(), req.size())
        == static_cast<ssize_t>(req.size())) {
      char buf[4096];
      ssize_t n;
      while ((n = ::read(s, buf, sizeof(buf))) > 0)
        out.append(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(s);
  auto body = out.find("\r\n\r\n");
  return body == std::string::npos ? out : out.substr(body + 4);
}

/// Blocking GET on loopback with a receive timeout; returns the body.
inline std::string http_get(int port, const std::string& path) {
  return http_request(port, "GET", path);
}

/// Blocking POST of a JSON body (the simulator's admin API).
inline std::string http_post(int port, const std::string& path,
                             const std::string& json) {
  return http_request(port, "POST", path, json);
}

} // namespace kisrt::test
