// SPDX-License-Identifier: Apache-2.0
// Control JSON from the server and subscribe requests from clients (the
// simulator reads those): parse errors are values, depth is bounded.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "net/kis/control.hpp"
#include "net/kis/requests.hpp"

using namespace kisrt::kis;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string_view text{reinterpret_cast<const char*>(data), size};
  control_message m;
  if (!parse_control(text, m))
    (void)classify_msg_cd(m.msg_cd);
  subscription_request req;
  (void)parse_subscription(text, req);
  return 0;
}
