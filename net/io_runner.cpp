// SPDX-License-Identifier: Apache-2.0
#include "net/io_runner.hpp"

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
  impl_->thread = std::thread{[this] { impl_->ioc.run(); }};
}

void io_runner::stop() {
  impl_->work.reset();
  impl_->ioc.stop();
  if (impl_->thread.joinable())
    impl_->thread.join();
}

} // namespace kisrt::net
