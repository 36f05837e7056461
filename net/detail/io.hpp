// SPDX-License-Identifier: Apache-2.0
// Private to net/: the Asio side of io_runner.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <future>
#include <optional>
#include <thread>

#include "net/io_runner.hpp"

namespace kisrt::net {

struct io_runner::impl {
  boost::asio::io_context ioc{1};
  std::optional<
      boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>
      work;
  std::thread thread;
  std::future<void> finished; ///< ready when run() returned
};

} // namespace kisrt::net
