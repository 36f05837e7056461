// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE sim.ws
#include <caf/test/unit_test.hpp>

#include "net/kis/control.hpp"
#include "net/kis/decoder.hpp"
#include "net/kis/frame.hpp"
#include "net/kis/records.hpp"
#include "net/kis/requests.hpp"
#include "sim/engine.hpp"
#include "tests/sim/client.hpp"

using namespace kisrt::sim;
using namespace kisrt::sim::test;
using st = ws_client::status;

namespace {

struct fixture {
  sim_env env;
  std::string ak1 = env.approval("APPKEY1", "SECRET1");

  // Sends one frame and returns the answer's msg_cd.
  std::string ask(ws_client& c, const std::string& frame) {
    c.send(frame);
    std::string out;
    if (c.read_control(out) != st::ok)
      return "<no answer>";
    return msg_cd(out);
  }

  std::string subscribe(ws_client& c, const std::string& tr_id,
                        const std::string& tr_key, bool sub = true) {
    return ask(c, env.sub(ak1, tr_id, tr_key, sub));
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(sim_ws_tests, fixture)

CAF_TEST(subscribe success carries key and iv and the exact ack shape) {
  ws_client c;
  CAF_REQUIRE(c.connect(env.p.ws));
  c.send(env.sub(ak1, "H0STCNT0", "005930"));
  std::string out;
  CAF_REQUIRE(c.read_control(out) == st::ok);
  kisrt::kis::control_message m;
  CAF_REQUIRE(!kisrt::kis::parse_control(out, m));
  CAF_CHECK_EQUAL(m.tr_id, "H0STCNT0");
  CAF_CHECK_EQUAL(m.tr_key, "005930");
  CAF_CHECK_EQUAL(m.rt_cd, "0");
  CAF_CHECK_EQUAL(m.msg_cd, "OPSP0000");
  CAF_CHECK_EQUAL(m.msg1, "SUBSCRIBE SUCCESS");
  CAF_CHECK_EQUAL(m.key.size(), 32u);
  CAF_CHECK_EQUAL(m.iv.size(), 16u);
  CAF_CHECK(!m.encrypted);
  // The notice TR is encrypted: encrypt "Y", same session key.
  c.send(env.sub(ak1, "H0STCNI0", "user1"));
  kisrt::kis::control_message n;
  CAF_REQUIRE(c.read_control(out) == st::ok);
  CAF_REQUIRE(!kisrt::kis::parse_control(out, n));
  CAF_CHECK(n.encrypted);
  CAF_CHECK_EQUAL(n.msg_cd, "OPSP0000");
  CAF_CHECK_EQUAL(n.key, m.key);
  // A second session gets its own key.
  c.close();
  CAF_REQUIRE(env.wait_sessions(0));
  env.sim->advance_time(std::chrono::seconds(6));
  ws_client c2;
  CAF_REQUIRE(c2.connect(env.p.ws, "/"));
  c2.send(env.sub(ak1, "H0STCNT0", "005930"));
  kisrt::kis::control_message m2;
  CAF_REQUIRE(c2.read_control(out) == st::ok);
  CAF_REQUIRE(!kisrt::kis::parse_control(out, m2));
  CAF_CHECK_EQUAL(m2.msg_cd, "OPSP0000");
  CAF_CHECK_NOT_EQUAL(m2.key, m.key);
}

CAF_TEST(every ack code the client can provoke) {
  ws_client c;
  CAF_REQUIRE(c.connect(env.p.ws));
  CAF_CHECK_EQUAL(subscribe(c, "H0STCNT0", "005930"), "OPSP0000");
  CAF_CHECK_EQUAL(subscribe(c, "H0STCNT0", "005930"), "OPSP0002");
  CAF_CHECK_EQUAL(subscribe(c, "H0STCNT0", "005930", false), "OPSP0001");
  CAF_CHECK_EQUAL(subscribe(c, "H0STCNT0", "005930", false), "OPSP0003");
  CAF_CHECK_EQUAL(subscribe(c, "H0XXXXX0", "005930"), "OPSP8991");
  CAF_CHECK_EQUAL(subscribe(c, "H0STCNI9", "user1"), "OPSP8991");
  CAF_CHECK_EQUAL(subscribe(c, "H0STCNT0", "999999"), "OPSP8992");
  CAF_CHECK_EQUAL(subscribe(c, "H0STCNT0", "5930"), "OPSP8992");
  CAF_CHECK_EQUAL(subscribe(c, "H0STCNT0", ""), "OPSP8993");
  CAF_CHECK_EQUAL(subscribe(c, "HDFSCNT0", "DXXXAAPL"), "OPSP8992");
  CAF_CHECK_EQUAL(subscribe(c, "HDFSCNT0", "DNASAAPL"), "OPSP0000");
  CAF_CHECK_EQUAL(ask(c, "not json"), "OPSP9998");
  CAF_CHECK_EQUAL(ask(c, R"({"body":{}})"), "OPSP9997");
  CAF_CHECK_EQUAL(ask(c, R"({"header":{"custtype":"P"}})"), "OPSP9996");
  CAF_CHECK_EQUAL(
      ask(c, R"({"header":{"approval_key":"x","custtype":"X","tr_type":"1"}})"),
      "OPSP8998");
  CAF_CHECK_EQUAL(
      ask(c, R"({"header":{"approval_key":"x","custtype":"P","tr_type":"0"}})"),
      "OPSP8997");
  CAF_CHECK_EQUAL(
      ask(c, R"({"header":{"approval_key":"x","custtype":"P","tr_type":"1"}})"),
      "OPSP9992");
  CAF_CHECK_EQUAL(ask(c, env.sub("no-such-approval", "H0STCNT0", "005930")),
                  "OPSP0011");
  // Corporate customers must send appsecret and personalseckey.
  auto corp = kisrt::kis::encode_subscription(
      ak1, kisrt::kis::tr_type::subscribe, "H0STCNT0", "000660", "B");
  CAF_CHECK_EQUAL(ask(c, corp), "OPSP8995");
  // Another app key's approval on this session.
  auto ak2 = env.approval("APPKEY2", "SECRET2");
  CAF_CHECK_EQUAL(ask(c, env.sub(ak2, "H0STCNT0", "000660")), "OPSP0010");
  // Deep or huge JSON never crashes the simulator.
  CAF_CHECK_EQUAL(ask(c, std::string(2000, '[') + std::string(2000, ']')),
                  "OPSP9998");
  CAF_CHECK_EQUAL(ask(c, "{\"header\":\"" + std::string(500000, 'a') + "\"}"),
                  "OPSP9997");
  CAF_CHECK_EQUAL(subscribe(c, "H0STASP0", "000660"), "OPSP0000");
}

CAF_TEST(the 42nd registration gets OPSP0008 and unsubscribing frees a slot) {
  ws_client c;
  CAF_REQUIRE(c.connect(env.p.ws));
  CAF_REQUIRE_EQUAL(subscribe(c, "H0STCNI0", "user1"), "OPSP0000");
  auto state = env.state();
  std::vector<std::string> codes;
  // 40 market-data registrations over two TRs.
  const char* list[] = {"005930", "000660", "035420", "035720", "005380",
                        "000270", "051910", "006400", "373220", "207940",
                        "068270", "005490", "105560", "055550", "012330",
                        "028260", "066570", "003550", "017670", "030200"};
  int ok = 0;
  for (const char* code : list) {
    ok += subscribe(c, "H0STCNT0", code) == "OPSP0000";
    ok += subscribe(c, "H0STASP0", code) == "OPSP0000";
  }
  CAF_CHECK_EQUAL(ok, 40);
  CAF_CHECK_EQUAL(subscribe(c, "H0STPGM0", "005930"), "OPSP0008");
  // Already registered still answers OPSP0002 at the cap.
  CAF_CHECK_EQUAL(subscribe(c, "H0STCNT0", "005930"), "OPSP0002");
  CAF_CHECK_EQUAL(subscribe(c, "H0STCNT0", "005930", false), "OPSP0001");
  CAF_CHECK_EQUAL(subscribe(c, "H0STPGM0", "005930"), "OPSP0000");
  auto s = env.state();
  auto& sess = s.at("sessions").as_array().at(0).as_object();
  CAF_CHECK_EQUAL(sess.at("registrations").as_array().size(), 41u);
  CAF_CHECK_EQUAL(sess.at("app_key").as_string(), "APPKEY1");
}

CAF_TEST(second session of an app key gets OPSP8996 and the key stays held) {
  ws_client a;
  CAF_REQUIRE(a.connect(env.p.ws));
  CAF_REQUIRE_EQUAL(subscribe(a, "H0STCNT0", "005930"), "OPSP0000");
  ws_client b;
  CAF_REQUIRE(b.connect(env.p.ws));
  b.send(env.sub(ak1, "H0STCNT0", "000660"));
  std::string out;
  CAF_REQUIRE(b.read_control(out) == st::ok);
  std::string expected =
      R"x({"header":{"tr_id":"(null)","tr_key":"","encrypt":"N"},)x"
      R"x("body":{"rt_cd":"9","msg_cd":"OPSP8996","msg1":"ALREADY IN USE appkey"}})x";
  CAF_CHECK_EQUAL(out, expected);
  CAF_CHECK(b.read(out) == st::closed);
  CAF_CHECK(b.got_close_frame());
  // After a disconnect the key stays busy for --hold-after-close.
  a.close();
  CAF_REQUIRE(env.wait_sessions(0));
  ws_client c;
  CAF_REQUIRE(c.connect(env.p.ws));
  CAF_CHECK_EQUAL(subscribe(c, "H0STCNT0", "005930"), "OPSP8996");
  env.sim->advance_time(std::chrono::milliseconds(5001));
  ws_client d;
  CAF_REQUIRE(d.connect(env.p.ws));
  CAF_CHECK_EQUAL(subscribe(d, "H0STCNT0", "005930"), "OPSP0000");
  // Another app key is independent.
  ws_client e;
  CAF_REQUIRE(e.connect(env.p.ws));
  auto ak2 = env.approval("APPKEY2", "SECRET2");
  CAF_CHECK_EQUAL(ask(e, env.sub(ak2, "H0STCNT0", "005930")), "OPSP0000");
}

CAF_TEST(a wrong HTS ID for the notice drops the connection) {
  ws_client c;
  CAF_REQUIRE(c.connect(env.p.ws));
  c.send(env.sub(ak1, "H0STCNI0", "someone-else"));
  std::string out;
  CAF_CHECK(c.read(out) == st::closed);
}

CAF_TEST(PINGPONG timeout closes a silent client) {
  ws_client c;
  CAF_REQUIRE(c.connect(env.p.ws));
  CAF_REQUIRE_EQUAL(subscribe(c, "H0STMKO0", "005930"), "OPSP0000");
  env.sim->advance_time(std::chrono::seconds(10));
  std::string out;
  CAF_REQUIRE(c.read(out) == st::ok);
  kisrt::kis::control_message m;
  CAF_REQUIRE(!kisrt::kis::parse_control(out, m));
  CAF_CHECK(m.kind == kisrt::kis::control_kind::pingpong);
  CAF_CHECK_EQUAL(m.datetime, "20250102100010");
  // Timeout 30 s after the first unanswered PINGPONG (t=10): at t=40 the
  // fourth PINGPONG goes out and the session is closed.
  for (int i = 0; i < 3; ++i) {
    env.sim->advance_time(std::chrono::seconds(10));
    CAF_REQUIRE(c.read(out) == st::ok);
    CAF_CHECK(out.find("PINGPONG") != std::string::npos);
  }
  CAF_CHECK(c.read(out) == st::closed);
  CAF_CHECK(c.got_close_frame());
  CAF_CHECK(env.wait_sessions(0));
  auto s = env.state();
  CAF_CHECK_EQUAL(s.at("pingpong").at("answered").to_number<std::uint64_t>(),
                  0u);
}

CAF_TEST(PINGPONG answered by text keeps the session) {
  ws_client c;
  CAF_REQUIRE(c.connect(env.p.ws));
  CAF_REQUIRE_EQUAL(subscribe(c, "H0STMKO0", "005930"), "OPSP0000");
  for (int i = 0; i < 5; ++i) {
    env.sim->advance_time(std::chrono::seconds(10));
    std::string out;
    for (;;) {
      CAF_REQUIRE(c.read(out) == st::ok);
      if (out.find("PINGPONG") != std::string::npos)
        break;
    }
    c.send(out);
    CAF_REQUIRE_EQUAL(subscribe(c, "H0STPGM0", "005930", i % 2 == 0),
                      i % 2 == 0 ? "OPSP0000" : "OPSP0001");
  }
  auto s = env.state();
  CAF_CHECK_EQUAL(s.at("sessions").as_array().size(), 1u);
  CAF_CHECK_EQUAL(s.at("pingpong").at("answered").to_number<std::uint64_t>(),
                  5u);
}

CAF_TEST(PINGPONG answered by a pong frame counts unless strict) {
  ws_client c;
  CAF_REQUIRE(c.connect(env.p.ws));
  CAF_REQUIRE_EQUAL(subscribe(c, "H0STMKO0", "005930"), "OPSP0000");
  env.sim->advance_time(std::chrono::seconds(10));
  std::string out;
  do {
    CAF_REQUIRE(c.read(out) == st::ok);
  } while (out.find("PINGPONG") == std::string::npos);
  c.send_pong(out);
  // The pong is processed before the next text frame on the same socket.
  CAF_CHECK_EQUAL(subscribe(c, "H0STPGM0", "005930"), "OPSP0000");
  auto s = env.state();
  CAF_CHECK_EQUAL(s.at("pingpong").at("answered").to_number<std::uint64_t>(),
                  1u);
  // Client pings are answered with pongs.
  c.send_ping("hello");
  CAF_CHECK_EQUAL(subscribe(c, "H0STPGM0", "000660"), "OPSP0000");
  CAF_CHECK_GREATER_OR_EQUAL(c.pongs(), 1);
}

CAF_TEST(strict mode ignores pong frames) {
  auto o = default_options();
  o.pingpong_strict = true;
  o.pingpong_interval = std::chrono::seconds(1);
  o.pingpong_timeout = std::chrono::seconds(3);
  sim_env strict{o};
  auto ak = strict.approval("APPKEY1", "SECRET1");
  ws_client c;
  CAF_REQUIRE(c.connect(strict.p.ws));
  CAF_REQUIRE_EQUAL(ask(c, strict.sub(ak, "H0STMKO0", "005930")), "OPSP0000");
  std::string out;
  for (int i = 0; i < 4; ++i) {
    strict.sim->advance_time(std::chrono::seconds(1));
    CAF_REQUIRE(c.read(out) == st::ok);
    c.send_pong(out);
  }
  CAF_CHECK(c.read(out) == st::closed);
}

CAF_TEST(market data frames decode with the project codec) {
  auto o = default_options();
  o.rate = 2000;
  o.batch_max = 10;
  sim_env e{o};
  auto ak = e.approval("APPKEY1", "SECRET1");
  ws_client c;
  CAF_REQUIRE(c.connect(e.p.ws));
  CAF_REQUIRE_EQUAL(ask(c, e.sub(ak, "H0STCNT0", "005930")), "OPSP0000");
  CAF_REQUIRE_EQUAL(ask(c, e.sub(ak, "H0STASP0", "005930")), "OPSP0000");
  e.sim->advance_time(std::chrono::milliseconds(100));
  kisrt::kis::frame_decoder dec;
  std::int64_t last_cum = 0;
  std::size_t trades = 0, books = 0, batched = 0;
  std::string out;
  while (trades + books < 200 && c.read(out, 2000ms) == st::ok) {
    if (kisrt::kis::classify(out) != kisrt::kis::message_kind::data)
      continue;
    CAF_REQUIRE(!dec.decode(out));
    if (dec.header().count > 1)
      ++batched;
    CAF_CHECK_LESS_OR_EQUAL(dec.header().count, 10u);
    for (std::size_t ri = 0; ri < dec.records().size(); ++ri) {
      auto r = dec.records()[ri];
      if (dec.header().tr_id == "H0STCNT0") {
        kisrt::kis::trade t;
        CAF_REQUIRE(!kisrt::kis::decode(r, t));
        CAF_CHECK_EQUAL(r.size(), 46u);
        CAF_CHECK_EQUAL(t.symbol, "005930");
        CAF_CHECK_EQUAL(t.date, 20250102);
        CAF_CHECK_GREATER(t.cum_volume, last_cum);
        last_cum = t.cum_volume;
        CAF_CHECK(t.low <= t.price && t.price <= t.high);
        CAF_CHECK_EQUAL(t.price % 100, 0); // tick 100 between 50k and 200k
        auto prev = t.price - t.change;
        CAF_CHECK(t.price <= prev * 13 / 10 && t.price >= prev * 7 / 10);
        ++trades;
      } else {
        kisrt::kis::order_book b;
        CAF_REQUIRE(!kisrt::kis::decode(r, b));
        CAF_CHECK(b.asks[0].price > b.bids[0].price);
        for (int i = 1; i < 10; ++i) {
          if (b.asks[i].price != 0) {
            CAF_CHECK_GREATER(b.asks[i].price, b.asks[i - 1].price);
          }
          if (b.bids[i].price != 0) {
            CAF_CHECK_LESS(b.bids[i].price, b.bids[i - 1].price);
          }
        }
        ++books;
      }
    }
  }
  CAF_CHECK_GREATER(trades, 50u);
  CAF_CHECK_GREATER(books, 50u);
  CAF_CHECK_GREATER(batched, 0u);
  auto s = e.state();
  CAF_CHECK_GREATER(s.at("frames").at("H0STCNT0").to_number<std::uint64_t>(),
                    0u);
}

CAF_TEST(stamped trades carry the time their frame went to the socket) {
  auto now_ns = [] {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  auto o = default_options();
  o.rate = 2000;
  o.batch_max = 5;
  o.stamp_trades = true;
  sim_env e{o};
  auto ak = e.approval("APPKEY1", "SECRET1");
  ws_client c;
  CAF_REQUIRE(c.connect(e.p.ws));
  CAF_REQUIRE_EQUAL(ask(c, e.sub(ak, "H0STCNT0", "005930")), "OPSP0000");
  CAF_REQUIRE_EQUAL(ask(c, e.sub(ak, "H0STASP0", "005930")), "OPSP0000");
  auto before = now_ns();
  e.sim->advance_time(std::chrono::milliseconds(100));
  kisrt::kis::frame_decoder dec;
  std::size_t trades = 0, books = 0;
  std::string out;
  while ((trades < 20 || books == 0) && c.read(out, 2000ms) == st::ok) {
    auto after = now_ns();
    if (kisrt::kis::classify(out) != kisrt::kis::message_kind::data)
      continue;
    CAF_REQUIRE(!dec.decode(out));
    for (std::size_t ri = 0; ri < dec.records().size(); ++ri) {
      auto r = dec.records()[ri];
      if (dec.header().tr_id == "H0STCNT0") {
        kisrt::kis::trade t;
        CAF_REQUIRE(!kisrt::kis::decode(r, t));
        CAF_CHECK_EQUAL(r[14].size(), 20u); // zero-padded, fixed width
        CAF_CHECK_GREATER_OR_EQUAL(t.cum_value, before);
        CAF_CHECK_LESS_OR_EQUAL(t.cum_value, after);
        ++trades;
      } else {
        kisrt::kis::order_book b;
        CAF_CHECK(!kisrt::kis::decode(r, b)); // other TRs are left alone
        ++books;
      }
    }
  }
  CAF_CHECK_GREATER_OR_EQUAL(trades, 20u);
  CAF_CHECK_GREATER(books, 0u);
}

CAF_TEST(restamp_trades fills only the placeholders of trade frames) {
  std::string rec;
  for (int i = 0; i < 46; ++i)
    rec += (i ? "^" : "") + std::string(i == 14 ? 20 : 1, i == 14 ? '0' : '7');
  auto frame = "0|H0STCNT0|002|" + rec + "^" + rec;
  CAF_REQUIRE(restamp_trades(frame, 12345));
  std::vector<std::string_view> fields;
  auto payload = std::string_view{frame}.substr(15);
  CAF_REQUIRE_EQUAL(kisrt::kis::split_fields(payload, fields), 92u);
  CAF_CHECK_EQUAL(fields[14], "00000000000000012345");
  CAF_CHECK_EQUAL(fields[46 + 14], "00000000000000012345");
  CAF_CHECK_EQUAL(fields[13], "7");
  // Already stamped (no placeholder left), a book frame, a notice, control.
  CAF_CHECK(!restamp_trades(frame, 99));
  CAF_CHECK_EQUAL(fields[14], "00000000000000012345");
  std::string book = "0|H0STASP0|001|" + rec;
  CAF_CHECK(!restamp_trades(book, 1));
  std::string enc = "1|H0STCNI0|001|abc";
  CAF_CHECK(!restamp_trades(enc, 1));
  std::string ctl = R"({"header":{"tr_id":"PINGPONG"}})";
  CAF_CHECK(!restamp_trades(ctl, 1));
}

CAF_TEST(wrong path is refused) {
  ws_client c;
  CAF_CHECK(!c.connect(env.p.ws, "/elsewhere"));
  ws_client d;
  CAF_CHECK(d.connect(env.p.ws, "/tryitout"));
}

CAF_TEST_FIXTURE_SCOPE_END()

CAF_TEST(expected prices before the open then trades and US symbols) {
  auto o = default_options();
  o.kst_start = 8 * 3600 + 40 * 60;
  o.rate = 300;
  sim_env e{o};
  auto ak = e.approval("APPKEY1", "SECRET1");
  ws_client c;
  CAF_REQUIRE(c.connect(e.p.ws));
  std::string out;
  for (auto [tr, key] :
       {std::pair{"H0STANC0", "005930"}, std::pair{"H0STCNT0", "005930"},
        std::pair{"HDFSCNT0", "DNASAAPL"}}) {
    c.send(e.sub(ak, tr, key));
    CAF_REQUIRE(c.read_control(out) == st::ok);
    CAF_REQUIRE_EQUAL(msg_cd(out), "OPSP0000");
  }
  e.sim->advance_time(std::chrono::milliseconds(100));
  kisrt::kis::frame_decoder dec;
  bool anc = false, us = false;
  std::int64_t expected = 0;
  while (!(anc && us) && c.read(out) == st::ok) {
    if (kisrt::kis::classify(out) != kisrt::kis::message_kind::data)
      continue;
    CAF_REQUIRE(!dec.decode(out));
    auto tr = dec.header().tr_id;
    CAF_CHECK_NOT_EQUAL(tr, "H0STCNT0"); // market not open yet
    auto n = dec.records().size();
    if (tr == "H0STANC0") {
      kisrt::kis::expected_trade x;
      CAF_REQUIRE(!kisrt::kis::decode(dec.records()[n - 1], x));
      expected = x.price;
      anc = true;
    } else if (tr == "HDFSCNT0") {
      kisrt::kis::overseas_trade t;
      CAF_REQUIRE(!kisrt::kis::decode(dec.records()[0], t));
      CAF_CHECK_EQUAL(t.symbol, "AAPL");
      us = true;
    }
  }
  CAF_REQUIRE(anc && us);
  // 20 minutes later the market is open and H0STCNT0 streams.
  e.sim->advance_time(std::chrono::minutes(20));
  e.sim->advance_time(std::chrono::milliseconds(100));
  bool trade = false;
  while (!trade && c.read(out) == st::ok) {
    if (kisrt::kis::classify(out) != kisrt::kis::message_kind::data)
      continue;
    CAF_REQUIRE(!dec.decode(out));
    if (dec.header().tr_id == "H0STCNT0") {
      kisrt::kis::trade t;
      CAF_REQUIRE(!kisrt::kis::decode(dec.records()[0], t));
      CAF_CHECK_GREATER(t.open, 0);
      CAF_CHECK_EQUAL(t.time.h, 9);
      trade = true;
    }
  }
  CAF_CHECK(trade);
  CAF_CHECK_GREATER(expected, 0);
}
