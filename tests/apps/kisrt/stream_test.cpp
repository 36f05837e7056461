// SPDX-License-Identifier: Apache-2.0
// The gateway's WebSocket stream end to end (docs/stream.md): the gateway
// with its embedded simulator in this process, clients over real loopback
// sockets. Subscribe, request within the node policy, refusal past it (the
// message checked), release when a client goes away; the exposure rule off
// loopback; bounded ops. Every wait is bounded.
#define CAF_SUITE app.stream
#include <caf/test/unit_test.hpp>

#include <caf/actor_system.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "apps/kisrt/embedded_sim.hpp"
#include "apps/kisrt/gateway.hpp"
#include "apps/kisrt/stream.hpp"
#include "messages/type_ids.hpp"
#include "tests/apps/kisrt/options_fixture.hpp"
#include "tests/common/actor_config.hpp"
#include "tests/net/ws_probe.hpp"

using namespace kisrt;
using namespace kisrt::app;
using namespace std::chrono_literals;

namespace {

const char* base_config = "[kis]\nsim = true\n"
                          "[sim]\nrate = 50\nkst_start = 09:30:00\n"
                          "[demand]\nholdings = 005930\n"
                          "[admin]\nlisten = off\n"
                          "[stream]\nlisten = 127.0.0.1:0\n"
                          "[nodes]\nmax_slots = 1\n";

struct fixture {
  test::quiet_test_config cfg;
  caf::actor_system sys{cfg};
  std::optional<gateway> gw;

  explicit fixture(const std::string& extra = {},
                   const std::map<std::string, std::string>& env = {}) {
    std::vector<std::string> errors;
    auto o = test::read_config(base_config + extra, errors, env);
    if (!errors.empty())
      CAF_FAIL("config: " << errors.front());
    gw.emplace(o, embedded_simulator());
    gw->start(sys);
  }

  ~fixture() { gw->stop(500ms); }

  std::string url() const {
    return "ws://127.0.0.1:" + std::to_string(gw->stream_port()) + "/";
  }
};

bool has(const std::string& s, const std::string& what) {
  return s.find(what) != std::string::npos;
}

// The /slots document as `c` gets it (the first frame with "sessions").
std::string slots_of(test::ws_probe& c) {
  c.send(R"({"op":"slots"})");
  return c.next_with("\"sessions\"").value_or("");
}

} // namespace

CAF_TEST(
    a client subscribes requests within its policy and is refused past it) {
  fixture f;
  CAF_REQUIRE_GREATER(f.gw->stream_port(), 0);
  test::ws_probe a{f.url()};
  CAF_REQUIRE(a.wait_open());
  // Nothing before hello.
  a.send(R"({"op":"subscribe","tr_id":"H0STCNT0","keys":["005930"]})");
  CAF_CHECK_EQUAL(a.next().value_or(""),
                  R"({"event":"error","op":"subscribe","message":"say hello )"
                  R"(first: {\"op\":\"hello\",\"name\":...}"})");
  a.send(R"({"op":"hello","name":"alpha"})");
  CAF_CHECK_EQUAL(a.next().value_or(""),
                  R"({"event":"hello","name":"alpha","owner":"stream:alpha",)"
                  R"("max_priority":2,"max_slots":1})");
  // Subscribe: the holding's trades, as kisrt-node writes them.
  a.send(R"({"op":"subscribe","tr_id":"H0STCNT0","keys":["005930"]})");
  auto trade = a.next_with(R"("event":"trade")").value_or("");
  CAF_CHECK(has(trade, R"("tr_id":"H0STCNT0","key":"005930","data":{)"));
  // A request within the policy: its slot events follow.
  a.send(R"({"op":"request","tr_id":"H0STASP0","key":"000660","priority":3})");
  auto slot = a.next_with(R"("event":"slot")").value_or("");
  CAF_CHECK(has(slot, R"("tr_id":"H0STASP0","key":"000660","priority":3,)"));
  CAF_CHECK(has(slot, R"("state":"granted")")
            || has(slot, R"("state":"active")"));
  // Past it: priority, then the number of requests.
  a.send(R"({"op":"request","tr_id":"H0STCNT0","key":"035420","priority":1})");
  CAF_CHECK_EQUAL(
      a.next_with(R"("event":"error")").value_or(""),
      R"({"event":"error","op":"request","message":"node 'alpha' )"
      R"x(may ask for priority 2 to 255, not 1 (H0STCNT0:035420)"})x");
  a.send(R"({"op":"request","tr_id":"H0STCNT0","key":"035420","priority":3})");
  CAF_CHECK_EQUAL(
      a.next_with(R"("event":"error")").value_or(""),
      R"({"event":"error","op":"request","message":"node 'alpha' )"
      R"(holds 1 of its 1 slot requests; release one before asking )"
      R"(for H0STCNT0:035420"})");
  // A bad key names itself.
  a.send(R"({"op":"request","tr_id":"H0STCNT0","key":"../x","priority":3})");
  CAF_CHECK(has(a.next_with(R"("event":"error")").value_or(""),
                "slot request refused: H0STCNT0 key '../x' is not a "
                "domestic stock code"));
  // The arbiter shows the request under the client's owner name.
  CAF_CHECK(has(slots_of(a), R"("stream:alpha")"));
}

CAF_TEST(a client that goes away loses its requests) {
  fixture f;
  test::ws_probe b{f.url()};
  CAF_REQUIRE(b.wait_open());
  b.send(R"({"op":"hello","name":"beta"})");
  CAF_REQUIRE(b.next_with(R"("event":"hello")"));
  {
    test::ws_probe a{f.url()};
    CAF_REQUIRE(a.wait_open());
    a.send(R"({"op":"hello","name":"alpha"})");
    CAF_REQUIRE(a.next_with(R"("event":"hello")"));
    a.send(
        R"({"op":"request","tr_id":"H0STASP0","key":"000660","priority":3})");
    CAF_REQUIRE(a.next_with(R"("key":"000660")"));
    CAF_CHECK(has(slots_of(b), R"("stream:alpha")"));
    // The name is taken while alpha is connected.
    test::ws_probe twin{f.url()};
    CAF_REQUIRE(twin.wait_open());
    twin.send(R"({"op":"hello","name":"alpha"})");
    CAF_CHECK(has(twin.next().value_or(""),
                  "node name 'alpha' is held by another live node"));
    a.close();
    CAF_CHECK(a.closed().has_value());
  }
  // Released: the arbiter no longer knows the owner (bounded retries: the
  // close reaches the gate through the io thread).
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i)
    gone = !has(slots_of(b), R"("stream:alpha")");
  CAF_CHECK(gone);
  // And the name is free again.
  test::ws_probe again{f.url()};
  CAF_REQUIRE(again.wait_open());
  again.send(R"({"op":"hello","name":"alpha"})");
  CAF_CHECK(has(again.next().value_or(""), R"("event":"hello")"));
}

CAF_TEST(hostile ops are answered with an error and bounded) {
  fixture f;
  test::ws_probe a{f.url()};
  CAF_REQUIRE(a.wait_open());
  a.send("not json");
  CAF_CHECK(has(a.next().value_or(""), R"("op":"","message":"not JSON)"));
  a.send(R"({"op":"hello","name":"x","a":[[[[[[1]]]]]]})");
  CAF_CHECK(has(a.next().value_or(""), "not JSON"));
  a.send(R"({"op":"fly"})");
  CAF_CHECK(has(a.next().value_or(""), R"("op":"fly","message":"unknown op)"));
  a.send(R"({"op":"hello","name":"a b"})");
  CAF_CHECK(has(a.next().value_or(""), "may hold only letters"));
  a.send(R"({"op":"hello","name":"gamma"})");
  CAF_REQUIRE(a.next_with(R"("event":"hello")"));
  std::string many = R"({"op":"subscribe","tr_id":"H0STCNT0","keys":[)";
  for (int i = 0; i < 300; ++i)
    many += std::string{i > 0 ? "," : ""} + "\"005930\"";
  many += "]}";
  a.send(many);
  CAF_CHECK(
      has(a.next().value_or(""), R"("keys\" holds 300 keys, at most 256)"));
  // A frame past stream.max_frame closes the connection.
  a.send(R"({"op":"slots","x":")" + std::string(20000, 'x') + "\"}");
  CAF_CHECK(a.closed().has_value());
}

CAF_TEST(off loopback the stream needs TLS and a token or an explicit opt out) {
  CAF_CHECK_EQUAL(check_stream_exposure(true, false, false, false), "");
  CAF_CHECK_EQUAL(check_stream_exposure(false, true, true, false), "");
  CAF_CHECK_EQUAL(check_stream_exposure(false, false, false, true), "");
  CAF_CHECK(has(check_stream_exposure(false, true, false, false),
                "needs a bearer token (stream.token_env)"));
  CAF_CHECK(has(check_stream_exposure(false, false, true, false),
                "needs TLS (stream.certificate"));
  std::vector<std::string> errors;
  test::read_config("[kis]\nsim = true\n[stream]\nlisten = 0.0.0.0:0\n",
                    errors);
  CAF_CHECK(test::any_contains(errors, "key 'stream.listen': '0.0.0.0:0' is "
                                       "not a loopback address"));
  errors.clear();
  auto o =
      test::read_config("[kis]\nsim = true\n[stream]\nlisten = 0.0.0.0:0\n"
                        "certificate = /c.pem\nkey = /k.pem\ntoken_env = TOK\n",
                        errors, {{"TOK", "0123456789abcdef0123"}});
  CAF_CHECK(errors.empty());
  CAF_CHECK(o.stream.enabled && !o.stream.loopback && o.stream.tls());
  CAF_CHECK_EQUAL(o.stream.token, "0123456789abcdef0123");
  errors.clear();
  o = test::read_config("[kis]\nsim = true\n[stream]\nlisten = 0.0.0.0:0\n"
                        "allow_plaintext_remote = true\n",
                        errors);
  CAF_CHECK(errors.empty());
  errors.clear();
  test::read_config("[kis]\nsim = true\n[stream]\ntoken_env = TOK\n", errors,
                    {{"TOK", "short"}});
  CAF_CHECK(test::any_contains(errors, "shorter than 16 characters"));
}

CAF_TEST(a token guards the stream on any address) {
  fixture f{"[stream]\ntoken_env = TOK\n", {{"TOK", "0123456789abcdef-token"}}};
  {
    test::ws_probe none{f.url()};
    CAF_CHECK(!none.wait_open());
  }
  test::ws_probe ok{f.url(), "0123456789abcdef-token"};
  CAF_CHECK(ok.wait_open());
}
