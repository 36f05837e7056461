// SPDX-License-Identifier: Apache-2.0
// A blocking loopback TCP client for tests that send what a well-behaved
// HTTP client would not: every read has a deadline (poll), nothing sleeps.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace kisrt::test {

class raw_client {
public:
  /// A socket not yet connected (connect() later).
  raw_client()
      : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    // nop
  }

  explicit raw_client(std::uint16_t port)
      : raw_client() {
    connect(port);
  }

  ~raw_client() {
    if (fd_ >= 0)
      ::close(fd_);
  }

  raw_client(const raw_client&) = delete;
  raw_client& operator=(const raw_client&) = delete;

  int fd() const noexcept { return fd_; }

  bool connect(std::uint16_t port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr))
           == 0;
  }

  /// False once the peer is gone.
  bool send(std::string_view s) {
    while (!s.empty()) {
      auto n = ::send(fd_, s.data(), s.size(), MSG_NOSIGNAL);
      if (n <= 0)
        return false;
      s.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  /// Whether bytes (or EOF) are waiting, without waiting.
  bool readable() const {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0;
  }

  /// Reads one response (headers and a Content-Length body) within
  /// `timeout`; whatever arrived when the time is up or the peer closed.
  std::string read_response(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string in;
    for (;;) {
      auto end = in.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::size_t len = 0;
        auto cl = in.find("Content-Length: ");
        if (cl != std::string::npos && cl < end)
          len = std::strtoul(in.c_str() + cl + 16, nullptr, 10);
        if (in.size() >= end + 4 + len)
          return in.substr(0, end + 4 + len);
      }
      char buf[4096];
      auto n = read_some(buf, sizeof(buf), deadline);
      if (n <= 0)
        return in;
      in.append(buf, static_cast<std::size_t>(n));
    }
  }

  /// Reads until the peer closes (true) or `timeout` passes (false).
  bool wait_closed(std::chrono::milliseconds timeout,
                   std::string* got = nullptr) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      char buf[4096];
      auto n = read_some(buf, sizeof(buf), deadline);
      if (n == 0 || n == -1)
        return true; // EOF or reset
      if (n == -2)
        return false;
      if (got)
        got->append(buf, static_cast<std::size_t>(n));
    }
  }

  static int status_of(const std::string& response) {
    if (response.rfind("HTTP/1.1 ", 0) != 0 || response.size() < 12)
      return 0;
    return std::atoi(response.c_str() + 9);
  }

private:
  // > 0: bytes; 0: EOF; -1: error; -2: deadline passed.
  long read_some(char* buf, std::size_t size,
                 std::chrono::steady_clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return -2;
    pollfd p{fd_, POLLIN, 0};
    auto r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r == 0)
      return -2;
    if (r < 0)
      return -1;
    auto n = ::recv(fd_, buf, size, 0);
    return n < 0 ? -1 : static_cast<long>(n);
  }

  int fd_;
};

} // namespace kisrt::test
