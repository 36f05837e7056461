// SPDX-License-Identifier: Apache-2.0
#include "net/io_runner.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/detail/io.hpp"

namespace kisrt::net {

io_runner::io_runner()
    : impl_(std::make_unique<impl>()) {
  // nop
}

io_runner::~io_runner() {
  stop();
}

void io_runner::start() {
  if (impl_->thread.joinable())
    return;
  impl_->work.emplace(impl_->ioc.get_executor());
  std::promise<void> done;
  impl_->finished = done.get_future();
  impl_->thread = std::thread{[this, done = std::move(done)]() mutable {
    impl_->ioc.run();
    done.set_value();
  }};
}

void io_runner::drain(std::chrono::milliseconds grace) {
  impl_->work.reset();
  if (impl_->finished.valid())
    impl_->finished.wait_for(grace);
  stop();
}

void io_runner::post_after(std::chrono::nanoseconds delay,
                           std::function<void()> f) {
  if (delay.count() <= 0) {
    boost::asio::post(impl_->ioc, std::move(f));
    return;
  }
  auto t = std::make_shared<boost::asio::steady_timer>(impl_->ioc, delay);
  t->async_wait([t, f = std::move(f)](const boost::system::error_code& ec) {
    if (!ec)
      f();
  });
}

void io_runner::stop() {
  impl_->work.reset();
  impl_->ioc.stop();
  if (impl_->thread.joinable())
    impl_->thread.join();
}

} // namespace kisrt::net
