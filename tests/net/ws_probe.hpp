// SPDX-License-Identifier: Apache-2.0
// A WebSocket client for tests and benchmarks of the gateway's stream:
// net::ws_client with its frames in a queue, read with bounded waits.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "net/io_runner.hpp"
#include "net/url.hpp"
#include "net/ws_client.hpp"

namespace kisrt::test {

class ws_probe {
public:
  /// Connects to `url` (ws:// or wss://) on its own io thread.
  explicit ws_probe(const std::string& url, std::string token = {},
                    net::tls_options tls = {}) {
    net::ws_options o;
    net::parse_url(url, o.endpoint);
    o.tls = tls;
    o.bearer_token = std::move(token);
    auto st = st_;
    net::ws_callbacks cbs;
    cbs.opened = [st] {
      std::lock_guard<std::mutex> g{st->mtx};
      st->open = true;
      st->cv.notify_all();
    };
    cbs.message = [st](std::string&& text) {
      std::lock_guard<std::mutex> g{st->mtx};
      st->frames.push_back(std::move(text));
      ++st->count;
      st->cv.notify_all();
    };
    cbs.closed = [st](const std::string& stage, const std::string& why) {
      std::lock_guard<std::mutex> g{st->mtx};
      st->closed = stage + ": " + why;
      st->cv.notify_all();
    };
    io_.start();
    client_ = net::make_ws_client(io_, std::move(o), std::move(cbs));
    client_->start();
  }

  ~ws_probe() {
    client_->abort();
    io_.stop();
  }

  /// True once the handshake passed (false: closed first, or timeout).
  bool wait_open(std::chrono::milliseconds t = std::chrono::seconds{10}) {
    std::unique_lock<std::mutex> lk{st_->mtx};
    st_->cv.wait_for(lk, t, [&] { return st_->open || st_->closed; });
    return st_->open;
  }

  void send(std::string text) { client_->send(std::move(text)); }

  void close() { client_->close(); }

  /// The next frame, or nothing after `t` or once closed and drained.
  std::optional<std::string>
  next(std::chrono::milliseconds t = std::chrono::seconds{10}) {
    std::unique_lock<std::mutex> lk{st_->mtx};
    st_->cv.wait_for(lk, t,
                     [&] { return !st_->frames.empty() || st_->closed; });
    if (st_->frames.empty())
      return std::nullopt;
    auto out = std::move(st_->frames.front());
    st_->frames.pop_front();
    return out;
  }

  /// The next frame containing `what` (others are skipped).
  std::optional<std::string>
  next_with(const std::string& what,
            std::chrono::milliseconds t = std::chrono::seconds{20}) {
    auto deadline = std::chrono::steady_clock::now() + t;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0)
        return std::nullopt;
      auto f = next(left);
      if (!f)
        return std::nullopt;
      if (f->find(what) != std::string::npos)
        return f;
    }
  }

  /// Why the connection ended ("read: closed by server (code 1008, ...)"),
  /// or nothing while it is open after `t`.
  std::optional<std::string>
  closed(std::chrono::milliseconds t = std::chrono::seconds{10}) {
    std::unique_lock<std::mutex> lk{st_->mtx};
    st_->cv.wait_for(lk, t, [&] { return st_->closed.has_value(); });
    return st_->closed;
  }

  /// Frames received so far.
  std::uint64_t count() {
    std::lock_guard<std::mutex> g{st_->mtx};
    return st_->count;
  }

  /// Waits until `n` frames arrived in total (false at timeout or close).
  bool wait_count(std::uint64_t n,
                  std::chrono::milliseconds t = std::chrono::seconds{30}) {
    std::unique_lock<std::mutex> lk{st_->mtx};
    st_->cv.wait_for(lk, t, [&] { return st_->count >= n || st_->closed; });
    return st_->count >= n;
  }

  /// Drops queued frames (benchmarks count only).
  void clear() {
    std::lock_guard<std::mutex> g{st_->mtx};
    st_->frames.clear();
  }

private:
  struct state {
    std::mutex mtx;
    std::condition_variable cv;
    std::deque<std::string> frames;
    std::uint64_t count = 0;
    bool open = false;
    std::optional<std::string> closed;
  };
  std::shared_ptr<state> st_ = std::make_shared<state>();
  net::io_runner io_;
  std::shared_ptr<net::ws_client> client_;
};

} // namespace kisrt::test
