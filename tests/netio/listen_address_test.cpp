// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE netio.listen_address
#include <caf/test/unit_test.hpp>

#include "net/listen_address.hpp"

using namespace kisrt::net;

namespace {

std::string parse(const std::string& text, listen_address& out) {
  out = {};
  return parse_listen_address(text, out);
}

} // namespace

CAF_TEST(the documented forms parse and loopback is judged on the address) {
  listen_address a;
  struct {
    const char* text;
    const char* host;
    std::uint16_t port;
    bool loopback;
  } ok[] = {
      {"127.0.0.1:8080", "127.0.0.1", 8080, true},
      {"localhost:0", "127.0.0.1", 0, true},
      {"127.255.3.4:65535", "127.255.3.4", 65535, true},
      {"[::1]:9", "::1", 9, true},
      {"0.0.0.0:0", "0.0.0.0", 0, false},
      {"[::]:0", "::", 0, false},
      {"128.0.0.1:1", "128.0.0.1", 1, false},
      {"10.0.0.5:80", "10.0.0.5", 80, false},
      {"[::ffff:127.0.0.1]:80", "::ffff:127.0.0.1", 80, false},
      {"[::2]:80", "::2", 80, false},
  };
  for (auto& c : ok) {
    CAF_MESSAGE(c.text);
    CAF_CHECK_EQUAL(parse(c.text, a), "");
    CAF_CHECK_EQUAL(a.host, c.host);
    CAF_CHECK_EQUAL(a.port, c.port);
    CAF_CHECK_EQUAL(a.loopback, c.loopback);
  }
  // A string prefix is not an address.
  CAF_CHECK(!is_loopback_address("127.example.com"));
  CAF_CHECK(is_loopback_address("127.0.0.2"));
  CAF_CHECK(!is_loopback_address("::ffff:127.0.0.1"));
}

CAF_TEST(bad addresses name what is wrong) {
  listen_address a;
  CAF_CHECK_EQUAL(parse("nowhere", a), "expected HOST:PORT or off");
  CAF_CHECK_EQUAL(parse(":::0", a),
                  "'::': an IPv6 address goes in brackets, e.g. [::1]:PORT");
  CAF_CHECK_EQUAL(parse("::1:80", a),
                  "'::1': an IPv6 address goes in brackets, e.g. [::1]:PORT");
  CAF_CHECK_EQUAL(parse("[::1:80", a),
                  "'[::1:80': missing ']' after the IPv6 address");
  CAF_CHECK_EQUAL(parse("[::1]80", a), "expected [IPv6]:PORT");
  CAF_CHECK_EQUAL(parse("[127.0.0.1]:80", a),
                  "'127.0.0.1' in brackets is not an IPv6 address");
  CAF_CHECK_EQUAL(parse("example.com:80", a),
                  "'example.com' is not an IP address or localhost");
  CAF_CHECK_EQUAL(parse("127.1:80", a),
                  "'127.1' is not an IP address or localhost");
  CAF_CHECK_EQUAL(parse(":80", a),
                  "missing host before ':' (e.g. 127.0.0.1:PORT)");
  for (auto port : {"", "x", "65536", "-1", "+80", " 80", "123456"})
    CAF_CHECK_EQUAL(parse(std::string{"127.0.0.1:"} + port, a),
                    "port '" + std::string{port} + "' is not 0..65535");
}
