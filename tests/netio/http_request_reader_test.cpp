// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE netio.http_request_reader
#include <caf/test/unit_test.hpp>

#include "net/http_request_reader.hpp"

using namespace kisrt::net;
using state = http_request_reader::state;

namespace {

std::string header_of(const http_server_request& r, const std::string& k) {
  for (auto& [name, value] : r.headers)
    if (name == k)
      return value;
  return "<none>";
}

} // namespace

CAF_TEST(requests come whole fed at once or byte by byte and pipelined) {
  std::string two = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
                    "POST /b?q=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                    "Connection: close\r\n\r\nabc";
  http_request_reader whole;
  CAF_REQUIRE(whole.feed(two) == state::done);
  auto a = whole.take();
  CAF_CHECK_EQUAL(a.method, "GET");
  CAF_CHECK_EQUAL(a.target, "/a");
  CAF_CHECK(whole.keep_alive());
  CAF_REQUIRE(whole.parse() == state::done);
  auto b = whole.take();
  CAF_CHECK_EQUAL(b.target, "/b?q=1");
  CAF_CHECK_EQUAL(b.body, "abc");
  CAF_CHECK(!whole.keep_alive());
  CAF_CHECK(whole.parse() == state::need_more);
  CAF_CHECK_EQUAL(whole.buffered_bytes(), 0u);
  http_request_reader bytes;
  std::size_t done = 0;
  for (char c : two)
    if (bytes.feed({&c, 1}) == state::done) {
      ++done;
      bytes.take();
    }
  CAF_CHECK_EQUAL(done, 2u);
}

CAF_TEST(chunked bodies and trailers within the bounds pass) {
  http_request_reader r;
  CAF_REQUIRE(r.feed("POST /x HTTP/1.1\r\nHost: x\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n"
                     "5\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 1\r\n\r\n")
              == state::done);
  auto req = r.take();
  CAF_CHECK_EQUAL(req.body, "hello world");
  CAF_CHECK_EQUAL(header_of(req, "X-Sum"), "1");
}

// Fed in one piece, a 65,600-byte trailer field reached Beast's
// basic_fields, which throws std::length_error past 64 KiB.
CAF_TEST(a huge trailer field is 431 however it is fed) {
  auto msg = std::string{"POST /x HTTP/1.1\r\nHost: x\r\n"
                         "Transfer-Encoding: chunked\r\n\r\n0\r\nX-Big: "}
             + std::string(65'600, 'a') + "\r\n\r\n";
  http_request_reader once;
  CAF_CHECK(once.feed(msg) == state::failed);
  CAF_CHECK_EQUAL(once.error_status(), 431);
  CAF_CHECK_EQUAL(once.error(), "chunk line or trailer fields too large");
  http_request_reader pieces;
  auto st = state::need_more;
  for (std::size_t i = 0; i < msg.size() && st == state::need_more; i += 4096)
    st = pieces.feed(std::string_view{msg}.substr(i, 4096));
  CAF_CHECK(st == state::failed);
  CAF_CHECK_EQUAL(pieces.error_status(), 431);
}

CAF_TEST(many small trailer fields are refused within the bound) {
  http_limits limits;
  http_request_reader r{limits};
  CAF_REQUIRE(r.feed("POST /x HTTP/1.1\r\nHost: x\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n0\r\n")
              == state::need_more);
  std::string block;
  while (block.size() < 4096)
    block += "X-A: b\r\n";
  std::size_t fed = 0;
  std::size_t most = 0;
  auto st = state::need_more;
  while (st == state::need_more && fed < 10 * 1024 * 1024) {
    st = r.feed(block);
    fed += block.size();
    most = std::max(most, r.buffered_bytes());
  }
  CAF_CHECK(st == state::failed);
  CAF_CHECK_EQUAL(r.error_status(), 431);
  CAF_CHECK_LESS_OR_EQUAL(fed, limits.trailer_bytes + block.size());
  CAF_CHECK_LESS_OR_EQUAL(most, limits.trailer_bytes + block.size());
}

CAF_TEST(malformed and oversized requests name their status) {
  struct {
    std::string input;
    int status;
  } cases[] = {
      {"GARBAGE\r\n\r\n", 400},
      {"GET / HTTPS/1.1\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nNo colon\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 12x\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
       400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n", 413},
      {"GET / HTTP/1.1\r\nX: " + std::string(9000, 'a') + "\r\n\r\n", 431},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;"
           + std::string(9000, 'e') + "\r\n",
       431},
  };
  for (auto& c : cases) {
    http_request_reader r;
    CAF_CHECK(r.feed(c.input) == state::failed);
    CAF_CHECK_EQUAL(r.error_status(), c.status);
    CAF_CHECK_EQUAL(r.buffered_bytes(), 0u);
  }
  // A chunked body over the limit, in chunks each under it.
  http_limits small;
  small.body_bytes = 10;
  http_request_reader r{small};
  CAF_CHECK(r.feed("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "8\r\n12345678\r\n8\r\n12345678\r\n")
            == state::failed);
  CAF_CHECK_EQUAL(r.error_status(), 413);
}
