// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt/logging.hpp"

#include <algorithm>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "apps/kisrt/config_file.hpp"

namespace kisrt::app {

const char* const log_levels = "trace, debug, info, warn, error, off";

const char* const log_pattern = "%Y-%m-%dT%H:%M:%S.%e%z [%n] [%^%l%$] %v";

bool valid_log_level(const std::string& level) {
  for (const char* x : {"trace", "debug", "info", "warn", "error", "off"})
    if (level == x)
      return true;
  return false;
}

std::string read_log_level(config_file& cfg) {
  auto level = cfg.get_string("log.level", "info");
  if (!valid_log_level(level)) {
    cfg.error("log.level",
              "is " + config_file::quote(level) + ", not one of " + log_levels);
    return "info";
  }
  return level;
}

void log_ring::push(std::string line) {
  std::lock_guard<std::mutex> guard{mtx_};
  lines_.push_back(std::move(line));
  while (lines_.size() > max_)
    lines_.pop_front();
}

std::vector<std::string> log_ring::last(std::size_t n) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto k = std::min(n, lines_.size());
  return {lines_.end() - static_cast<std::ptrdiff_t>(k), lines_.end()};
}

namespace {

class ring_sink : public spdlog::sinks::base_sink<std::mutex> {
public:
  explicit ring_sink(std::shared_ptr<log_ring> ring)
      : ring_(std::move(ring)) {}

protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t buf;
    formatter_->format(msg, buf);
    std::string line(buf.data(), buf.size());
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
      line.pop_back();
    ring_->push(std::move(line));
  }
  void flush_() override {
    // nop
  }

private:
  std::shared_ptr<log_ring> ring_;
};

} // namespace

void setup_logging(const std::string& level, std::shared_ptr<log_ring> ring) {
  std::shared_ptr<spdlog::logger> logger;
  if (ring)
    logger = std::make_shared<spdlog::logger>(
        "kisrt", std::make_shared<ring_sink>(std::move(ring)));
  else
    logger = std::make_shared<spdlog::logger>(
        "kisrt", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  logger->set_pattern(log_pattern);
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(std::move(logger));
  // The level also gates what actors check with spdlog::should_log.
  spdlog::set_level(spdlog::level::from_str(level));
}

} // namespace kisrt::app
