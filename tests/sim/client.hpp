// SPDX-License-Identifier: Apache-2.0
// Test clients for the simulator (Beast lives in client.cpp only): a
// WebSocket client and an HTTP(S) client, every wait bounded.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "sim/simulator.hpp"

namespace kisrt::sim::test {

using namespace std::chrono_literals;

class ws_client {
public:
  enum class status { ok, timeout, closed };

  ws_client();
  ~ws_client();

  /// Connects and upgrades; false (and `error()`) on failure.
  bool connect(std::uint16_t port, const std::string& path = "/tryitout");
  void send(const std::string& text);
  void send_pong(const std::string& payload);
  void send_ping(const std::string& payload);
  /// Reads one message within `timeout`.
  status read(std::string& out, std::chrono::milliseconds timeout = 3000ms);
  /// Reads until a message that is not a data frame nor a PINGPONG (when
  /// `skip_noise`), i.e. the next control answer.
  status read_control(std::string& out,
                      std::chrono::milliseconds timeout = 3000ms);
  /// True when the last `closed` came with a close frame.
  bool got_close_frame() const;
  /// Pong frames received (answers to send_ping).
  int pongs() const;
  void close();
  std::string error() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

struct http_response {
  int status = 0;
  /// Header names exactly as sent.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string header(const std::string& name) const;
  boost::json::value json() const;
};

class http_client {
public:
  /// `tls`: HTTPS without certificate verification (self-signed).
  http_client(std::uint16_t port, bool tls);
  ~http_client();
  http_response
  request(const std::string& method, const std::string& target,
          const std::vector<std::pair<std::string, std::string>>& headers = {},
          const std::string& body = {},
          std::chrono::milliseconds timeout = 5000ms);

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Two accounts with holdings, manual clock at 10:00:00 KST, quiet logs.
options default_options();

/// A running simulator plus the helpers most tests need.
struct sim_env {
  explicit sim_env(options o = default_options());
  ~sim_env();
  std::unique_ptr<simulator> sim;
  ports p;
  options opts;

  http_client rest() const;
  http_client admin() const;
  std::string approval(const std::string& key, const std::string& secret);
  std::string token(const std::string& key, const std::string& secret);
  boost::json::value state();
  /// Waits (bounded) until /state shows `n` sessions.
  bool wait_sessions(std::size_t n, std::chrono::milliseconds timeout = 3000ms);
  /// Waits (bounded) until the first session shows `n` registrations (the
  /// simulator has taken a frame whose answer may be delayed or dropped).
  bool wait_registrations(std::size_t n,
                          std::chrono::milliseconds timeout = 3000ms);
  /// A connected client that subscribed once (so it holds `key`'s app key).
  std::string sub(const std::string& approval, const std::string& tr_id,
                  const std::string& tr_key, bool subscribe = true) const;
};

/// Field of a control JSON: body.msg_cd etc.
std::string msg_cd(const std::string& control);
std::string jstr(const boost::json::value& v, const char* a,
                 const char* b = nullptr, const char* c = nullptr);

} // namespace kisrt::sim::test
