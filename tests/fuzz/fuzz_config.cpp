// SPDX-License-Identifier: Apache-2.0
// The gateway's configuration parser (apps/kisrt/config_file.cpp): any text
// gives errors, never a crash, a hang or an unbounded allocation; typed
// reads of whatever it stored are checked the same way.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "apps/kisrt/config_file.hpp"

using kisrt::app::config_file;
using namespace std::chrono_literals;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string_view text{reinterpret_cast<const char*>(data), size};
  config_file cfg;
  (void)cfg.parse(text, "fuzz.conf");
  // The first line also goes through --set.
  (void)cfg.set(text.substr(0, text.find('\n')));
  (void)config_file::quote(text);
  // Keys a fuzzer finds by comparison (the map lookups are string compares).
  for (const char* key :
       {"a", "kis.env", "s.a", "s.b", "connection.idle_timeout",
        "slots.tr.holding", "session.s1.app_key"}) {
    (void)cfg.get_string(key);
    (void)cfg.get_int(key, 0, -1000, 1000);
    (void)cfg.get_double(key, 0, -1e9, 1e9);
    (void)cfg.get_bool(key, false);
    auto d = cfg.get_duration(key, 1s, 10s, 1h);
    if (d < 10s && d != 1s)
      __builtin_trap(); // out of bounds slipped through
    (void)cfg.get_duration(key, 1s);
    (void)cfg.get_list(key);
    cfg.error(key, "fuzz");
  }
  (void)cfg.sections("session.");
  (void)cfg.unused_keys();
  return 0;
}
