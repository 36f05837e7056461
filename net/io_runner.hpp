// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <functional>
#include <memory>

namespace kisrt::net {

/// Owns the Asio io_context and the thread that runs it. Sockets live on
/// this thread; actors talk to them by posting (see ws_client::send) and
/// hear from them through callbacks that send actor messages. Asio types
/// stay out of this header (net/detail/io.hpp has them).
class io_runner {
public:
  io_runner();
  ~io_runner();
  io_runner(const io_runner&) = delete;
  io_runner& operator=(const io_runner&) = delete;

  /// Starts the thread (idempotent).
  void start();

  /// Stops the io_context and joins the thread (idempotent). Pending
  /// handlers are dropped.
  void stop();

  /// Lets pending work finish (closing handshakes, in-flight requests) for
  /// up to `grace`, then stops like stop().
  void drain(std::chrono::milliseconds grace);

  /// Runs `f` on the io thread after `delay` (zero: as soon as possible).
  /// Thread-safe; dropped if the runner stops first.
  void post_after(std::chrono::nanoseconds delay, std::function<void()> f);

  struct impl;
  impl& get() noexcept { return *impl_; }

private:
  std::unique_ptr<impl> impl_;
};

} // namespace kisrt::net
