// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE netio.http_server
#include <caf/test/unit_test.hpp>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "net/http_client.hpp"
#include "net/http_server.hpp"
#include "net/io_runner.hpp"

using namespace kisrt::net;
using namespace std::chrono_literals;

namespace {

struct fixture {
  io_runner io;
  io_runner client_io;

  fixture() {
    io.start();
    client_io.start();
  }

  http_response call(std::uint16_t port, http_request req) {
    http_options opts;
    parse_url("http://127.0.0.1:" + std::to_string(port), opts.base);
    http_client c{client_io, opts};
    std::mutex mx;
    std::condition_variable cv;
    std::optional<http_response> res;
    c.async_request(std::move(req), [&](http_response r) {
      std::lock_guard<std::mutex> g{mx};
      res = std::move(r);
      cv.notify_all();
    });
    std::unique_lock<std::mutex> g{mx};
    if (!cv.wait_for(g, 10s, [&] { return res.has_value(); }))
      return http_response{0, {}, {}, "test: no answer within 10 s"};
    return *res;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(http_server_tests, fixture)

CAF_TEST(handlers answer later from another thread) {
  std::vector<std::thread> workers;
  http_server srv{io, "127.0.0.1", 0,
                  [&](http_server_request req, http_respond respond) {
                    if (req.target != "/healthz") {
                      respond({404, {}, R"({"error":"not found"})", {}});
                      return;
                    }
                    // Answer from another thread, as an actor would.
                    workers.emplace_back([respond] {
                      respond({200, {{"x-test", "1"}}, R"({"ok":true})", {}});
                    });
                  }};
  CAF_REQUIRE_NOT_EQUAL(srv.port(), 0);
  http_request req;
  req.target = "/healthz";
  auto res = call(srv.port(), req);
  CAF_CHECK_EQUAL(res.error, "");
  CAF_CHECK_EQUAL(res.status, 200);
  CAF_CHECK_EQUAL(res.body, R"({"ok":true})");
  CAF_CHECK_EQUAL(res.header("X-Test"), "1");
  CAF_CHECK_EQUAL(res.header("content-type"), "application/json");
  req.target = "/nope";
  res = call(srv.port(), req);
  CAF_CHECK_EQUAL(res.status, 404);
  for (auto& w : workers)
    w.join();
}

CAF_TEST(oversized bodies are refused with 413) {
  http_server srv{io, "127.0.0.1", 0, [](http_server_request, http_respond r) {
                    r({200, {}, "{}", {}});
                  }};
  http_request req;
  req.method = "POST";
  req.target = "/x";
  req.body.assign(2 * 1024 * 1024, 'x');
  auto res = call(srv.port(), req);
  CAF_CHECK(res.status == 413 || !res.error.empty());
}

CAF_TEST(a bad address is a clear error) {
  std::string what = "no error";
  try {
    http_server srv{io, "not-an-ip", 0, {}};
  } catch (const std::exception& e) {
    what = e.what();
  }
  CAF_CHECK_EQUAL(what, "admin address 'not-an-ip' is not an IP address");
}

CAF_TEST_FIXTURE_SCOPE_END()
