// SPDX-License-Identifier: Apache-2.0
#include "sim/simulator.hpp"

#include <atomic>
#include <future>
#include <optional>
#include <stdexcept>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include "sim/engine.hpp"
#include "sim/log.hpp"
#include "sim/net.hpp"

namespace kisrt::sim {

namespace asio = boost::asio;

namespace {} // namespace

struct simulator::impl {
  options opts;
  std::unique_ptr<asio::io_context> ioc;
  std::unique_ptr<engine> eng;
  std::unique_ptr<listener> ws, rest, admin;
  std::unique_ptr<asio::steady_timer> timer;
  std::thread thread;
  std::promise<void> done;
  std::atomic<bool> started{false};
  std::atomic<bool> stopped{false};

  void arm() {
    timer->expires_after(opts.tick);
    timer->async_wait([this](boost::system::error_code ec) {
      if (ec || stopped)
        return;
      eng->tick();
      ws->set_refusing(eng->refusing());
      arm();
    });
  }

  // Runs `f` on the simulator's thread and waits for its result.
  template <class F>
  auto call(F f) -> decltype(f()) {
    if (!started || stopped)
      throw std::logic_error("kisrt-sim: simulator not running");
    std::packaged_task<decltype(f())()> task{std::move(f)};
    auto fut = task.get_future();
    asio::post(*ioc, [&task] { task(); });
    return fut.get();
  }
};

simulator::simulator(options opts)
    : impl_(std::make_unique<impl>()) {
  impl_->opts = std::move(opts);
}

simulator::~simulator() {
  stop();
}

const options& simulator::config() const noexcept {
  return impl_->opts;
}

ports simulator::start() {
  auto& d = *impl_;
  if (d.started)
    throw std::logic_error("kisrt-sim: already started");
  if (!set_log_level(d.opts.log_level))
    throw std::runtime_error("--log-level: unknown level " + d.opts.log_level);
  d.ioc = std::make_unique<asio::io_context>(1);
  d.eng = std::make_unique<engine>(d.opts);
  if (!d.opts.faults_file.empty())
    d.eng->load_faults(d.opts.faults_file);
  std::optional<tls_material> tls;
  if (!d.opts.rest_plain) {
    if (!d.opts.cert_file.empty() || !d.opts.key_file.empty()) {
      if (d.opts.cert_file.empty() || d.opts.key_file.empty())
        throw std::runtime_error("--cert and --key go together");
      tls = load_tls(d.opts.cert_file, d.opts.key_file);
    } else {
      tls = make_self_signed();
    }
  }
  auto bind_fail = [](const char* what, std::uint16_t port,
                      const std::exception& e) {
    return std::runtime_error(std::string{what} + ": cannot listen on port "
                              + std::to_string(port) + ": " + e.what());
  };
  try {
    d.ws = make_ws_listener(*d.ioc, *d.eng, d.opts.bind, d.opts.ws_port,
                            d.opts.max_queue_bytes);
  } catch (const std::exception& e) {
    throw bind_fail("--ws-port", d.opts.ws_port, e);
  }
  try {
    d.rest = make_http_listener(*d.ioc, *d.eng, d.opts.bind, d.opts.rest_port,
                                http_role::rest, tls ? &*tls : nullptr);
  } catch (const std::exception& e) {
    throw bind_fail("--rest-port", d.opts.rest_port, e);
  }
  try {
    d.admin = make_http_listener(*d.ioc, *d.eng, "127.0.0.1", d.opts.admin_port,
                                 http_role::admin, nullptr);
  } catch (const std::exception& e) {
    throw bind_fail("--admin-port", d.opts.admin_port, e);
  }
  d.timer = std::make_unique<asio::steady_timer>(*d.ioc);
  d.arm();
  d.started = true;
  d.thread = std::thread([&d] {
    try {
      d.ioc->run();
    } catch (const std::exception& e) {
      log()->critical("network thread failed: {}", e.what());
    }
    d.done.set_value();
  });
  ports p{d.ws->port(), d.rest->port(), d.admin->port()};
  log()->info("listening: ws {} rest {} ({}) admin {}", p.ws, p.rest,
              d.opts.rest_plain ? "http" : "https", p.admin);
  return p;
}

void simulator::stop() {
  auto& d = *impl_;
  if (!d.started || d.stopped)
    return;
  auto fut = d.done.get_future();
  asio::post(*d.ioc, [&d] {
    d.stopped = true;
    d.timer->cancel();
    d.eng->close_all();
    d.ws->stop();
    d.rest->stop();
    d.admin->stop();
  });
  // Give close frames a moment, then stop whatever still waits on peers.
  if (fut.wait_for(std::chrono::milliseconds(300)) != std::future_status::ready)
    d.ioc->stop();
  d.thread.join();
  d.stopped = true;
  d.ws.reset();
  d.rest.reset();
  d.admin.reset();
  d.timer.reset();
  d.eng.reset();
  d.ioc.reset();
  log()->info("stopped");
}

admin_result simulator::place_order(const order_request& req) {
  return impl_->call([&] { return impl_->eng->place_order(req); });
}

admin_result simulator::inject_fault(const std::string& json) {
  return impl_->call([&] { return impl_->eng->fault(json); });
}

std::string simulator::state_json() {
  return impl_->call([&] { return impl_->eng->state_json(); });
}

void simulator::advance_time(std::chrono::milliseconds d) {
  impl_->call([&] {
    impl_->eng->advance(d);
    impl_->eng->tick();
    impl_->ws->set_refusing(impl_->eng->refusing());
  });
}

} // namespace kisrt::sim
