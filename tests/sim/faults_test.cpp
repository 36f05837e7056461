// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE sim.faults
#include <caf/test/unit_test.hpp>

#include <cstdio>
#include <fstream>
#include <thread>

#include <unistd.h>

#include "net/kis/decoder.hpp"
#include "net/kis/requests.hpp"
#include "tests/sim/client.hpp"

using namespace kisrt::sim;
using namespace kisrt::sim::test;
using st = ws_client::status;
namespace kis = kisrt::kis;

namespace {

struct fixture {
  sim_env env;
  std::string ak1 = env.approval("APPKEY1", "SECRET1");

  std::string ask(ws_client& c, const std::string& frame) {
    c.send(frame);
    std::string out;
    if (c.read_control(out) != st::ok)
      return "<no answer>";
    return msg_cd(out);
  }

  // A client holding APPKEY1 with one registration without data.
  void open(ws_client& c) {
    CAF_REQUIRE(c.connect(env.p.ws));
    CAF_REQUIRE_EQUAL(ask(c, env.sub(ak1, "H0STMKO0", "005930")), "OPSP0000");
  }

  void fault(const std::string& json) {
    auto r = env.sim->inject_fault(json);
    CAF_REQUIRE_EQUAL(r.status, 200);
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(sim_faults_tests, fixture)

CAF_TEST(drop with a close frame) {
  ws_client c;
  open(c);
  fault(R"({"kind":"drop"})");
  std::string out;
  CAF_CHECK(c.read(out) == st::closed);
  CAF_CHECK(c.got_close_frame());
}

CAF_TEST(drop without a close frame) {
  ws_client c;
  open(c);
  fault(R"({"kind":"drop","close_frame":false})");
  std::string out;
  CAF_CHECK(c.read(out) == st::closed);
  CAF_CHECK(!c.got_close_frame());
  // The app key is held after the drop, as after any disconnect.
  CAF_REQUIRE(env.wait_sessions(0));
  ws_client d;
  CAF_REQUIRE(d.connect(env.p.ws));
  CAF_CHECK_EQUAL(ask(d, env.sub(ak1, "H0STMKO0", "005930")), "OPSP8996");
}

CAF_TEST(stall keeps the socket open and sends nothing) {
  ws_client c;
  open(c);
  fault(R"({"kind":"stall","ms":30000})");
  // 20 s: no PINGPONG while stalled; acks are swallowed too.
  env.sim->advance_time(std::chrono::seconds(20));
  c.send(env.sub(ak1, "H0STMKO0", "000660"));
  CAF_REQUIRE(env.wait_registrations(2)); // taken, its ack swallowed
  auto s = env.state();
  CAF_CHECK(s.at("sessions").as_array().at(0).at("stalled").as_bool());
  // After the stall the PINGPONG comes again and is the next message.
  env.sim->advance_time(std::chrono::seconds(10));
  env.sim->advance_time(std::chrono::seconds(10));
  std::string out;
  CAF_REQUIRE(c.read(out) == st::ok);
  CAF_CHECK(out.find("PINGPONG") != std::string::npos);
}

CAF_TEST(garbage and bad width frames) {
  ws_client c;
  open(c);
  fault(R"({"kind":"garbage"})");
  std::string out;
  CAF_REQUIRE(c.read(out) == st::ok);
  CAF_CHECK(kis::classify(out) == kis::message_kind::invalid);
  fault(R"({"kind":"bad_width"})");
  CAF_REQUIRE(c.read(out) == st::ok);
  kis::frame_decoder dec;
  auto err = dec.decode(out);
  CAF_CHECK(err.code == kis::errc::uneven_width);
  fault(R"({"kind":"bad_width","mode":"short","tr_id":"H0STCNT0"})");
  CAF_REQUIRE(c.read(out) == st::ok);
  err = dec.decode(out);
  CAF_CHECK(err.code == kis::errc::short_record);
}

CAF_TEST(delay_acks holds answers back) {
  ws_client c;
  open(c);
  fault(R"({"kind":"delay_acks","ms":500})");
  c.send(env.sub(ak1, "H0STMKO0", "000660"));
  // Wait until the simulator has taken the subscribe: the registration
  // shows at once, its ack 500 ms of simulated time later.
  CAF_REQUIRE(env.wait_registrations(2));
  env.sim->advance_time(std::chrono::milliseconds(499));
  auto s = env.state();
  CAF_CHECK_EQUAL(
      s.at("sessions").as_array().at(0).at("frames").to_number<int>(), 0);
  env.sim->advance_time(std::chrono::milliseconds(1));
  std::string out;
  CAF_REQUIRE(c.read(out) == st::ok);
  CAF_CHECK_EQUAL(msg_cd(out), "OPSP0000");
  fault(R"({"kind":"delay_acks","ms":0})");
  CAF_CHECK_EQUAL(ask(c, env.sub(ak1, "H0STMKO0", "035420")), "OPSP0000");
}

CAF_TEST(reject the next N subscribes with a msg_cd) {
  ws_client c;
  open(c);
  fault(R"({"kind":"reject","count":2,"msg_cd":"OPSP0009"})");
  CAF_CHECK_EQUAL(ask(c, env.sub(ak1, "H0STCNT0", "005930")), "OPSP0009");
  CAF_CHECK_EQUAL(ask(c, env.sub(ak1, "H0STCNT0", "005930")), "OPSP0009");
  CAF_CHECK_EQUAL(ask(c, env.sub(ak1, "H0STCNT0", "005930")), "OPSP0000");
}

CAF_TEST(cap lowers the registrations per session) {
  ws_client c;
  open(c);
  fault(R"({"kind":"cap","cap":3})");
  CAF_CHECK_EQUAL(ask(c, env.sub(ak1, "H0STCNT0", "005930")), "OPSP0000");
  CAF_CHECK_EQUAL(ask(c, env.sub(ak1, "H0STCNT0", "000660")), "OPSP0000");
  CAF_CHECK_EQUAL(ask(c, env.sub(ak1, "H0STCNT0", "035420")), "OPSP0008");
  CAF_CHECK_EQUAL(env.state().at("cap").to_number<int>(), 3);
}

CAF_TEST(restart drops every session and frees the app keys) {
  ws_client a, b;
  open(a);
  CAF_REQUIRE(b.connect(env.p.ws));
  auto ak2 = env.approval("APPKEY2", "SECRET2");
  CAF_REQUIRE_EQUAL(ask(b, env.sub(ak2, "H0STMKO0", "005930")), "OPSP0000");
  fault(R"({"kind":"restart"})");
  std::string out;
  CAF_CHECK(a.read(out) == st::closed);
  CAF_CHECK(b.read(out) == st::closed);
  CAF_CHECK(!a.got_close_frame());
  CAF_REQUIRE(env.wait_sessions(0));
  ws_client c;
  CAF_REQUIRE(c.connect(env.p.ws));
  CAF_CHECK_EQUAL(ask(c, env.sub(ak1, "H0STMKO0", "005930")), "OPSP0000");
}

CAF_TEST(refuse connections for a while) {
  fault(R"({"kind":"refuse","seconds":2})");
  // The acceptor closes on the next tick (a few ms of real time).
  bool refused = false;
  for (int i = 0; i < 200 && !refused; ++i) {
    ws_client c;
    refused = !c.connect(env.p.ws);
  }
  CAF_CHECK(refused);
  env.sim->advance_time(std::chrono::seconds(2));
  ws_client d;
  CAF_CHECK(d.connect(env.p.ws));
}

CAF_TEST(forget_approvals answers OPSP0011 until a new key is issued) {
  ws_client c;
  open(c);
  fault(R"({"kind":"forget_approvals"})");
  CAF_CHECK_EQUAL(env.state().at("faults").at("approval_keys").to_number<int>(),
                  0);
  // The socket stays open; every frame with the old key gets OPSP0011.
  CAF_CHECK_EQUAL(ask(c, env.sub(ak1, "H0STCNT0", "005930")), "OPSP0011");
  CAF_CHECK_EQUAL(ask(c, env.sub(ak1, "H0STCNT0", "000660")), "OPSP0011");
  auto fresh = env.approval("APPKEY1", "SECRET1");
  CAF_CHECK_EQUAL(ask(c, env.sub(fresh, "H0STCNT0", "005930")), "OPSP0000");
  // A restart that forgets them too: like killing the process.
  fault(R"({"kind":"restart","forget_approvals":true})");
  std::string out;
  CAF_CHECK(c.read(out) == st::closed);
  CAF_REQUIRE(env.wait_sessions(0));
  ws_client d;
  CAF_REQUIRE(d.connect(env.p.ws));
  CAF_CHECK_EQUAL(ask(d, env.sub(fresh, "H0STCNT0", "005930")), "OPSP0011");
}

CAF_TEST(approval_expired answers OPSP0011 to that session until a new key) {
  ws_client c;
  open(c);
  auto ak2 = env.approval("APPKEY2", "SECRET2");
  ws_client other;
  CAF_REQUIRE(other.connect(env.p.ws));
  CAF_REQUIRE_EQUAL(ask(other, env.sub(ak2, "H0STMKO0", "005930")), "OPSP0000");
  fault(R"({"kind":"approval_expired","app_key":"APPKEY1"})");
  // The socket stays open; the session's key is gone, the other's is not.
  CAF_CHECK_EQUAL(ask(c, env.sub(ak1, "H0STCNT0", "005930")), "OPSP0011");
  CAF_CHECK_EQUAL(ask(other, env.sub(ak2, "H0STCNT0", "005930")), "OPSP0000");
  auto fresh = env.approval("APPKEY1", "SECRET1");
  CAF_CHECK_EQUAL(ask(c, env.sub(fresh, "H0STCNT0", "005930")), "OPSP0000");
}

CAF_TEST(state counts answers per msg_cd and the lost ones apart) {
  ws_client c;
  open(c); // OPSP0000
  CAF_CHECK_EQUAL(ask(c, env.sub(ak1, "H0STMKO0", "005930")), "OPSP0002");
  CAF_CHECK_EQUAL(ask(c, env.sub(ak1, "H0STMKO0", "000660", false)),
                  "OPSP0003");
  // drop_answers: the next answer is swallowed, the socket stays alive.
  fault(R"({"kind":"drop_answers","count":1})");
  c.send(env.sub(ak1, "H0STCNT0", "005930"));
  CAF_REQUIRE(env.wait_registrations(2));
  CAF_CHECK_EQUAL(ask(c, env.sub(ak1, "H0STCNT0", "000660")), "OPSP0000");
  // A stall swallows answers too.
  fault(R"({"kind":"stall","ms":1000})");
  c.send(env.sub(ak1, "H0STMKO0", "005930", false));
  CAF_REQUIRE(env.wait_registrations(2));
  auto s = env.state();
  auto n = [&](const char* book, const char* cd) {
    auto& o = s.at(book).as_object();
    auto* v = o.if_contains(cd);
    return v ? v->to_number<int>() : 0;
  };
  CAF_CHECK_EQUAL(n("answers", "OPSP0000"), 2);
  CAF_CHECK_EQUAL(n("answers", "OPSP0002"), 1);
  CAF_CHECK_EQUAL(n("answers", "OPSP0003"), 1);
  CAF_CHECK_EQUAL(n("answers", "OPSP0001"), 0);
  CAF_CHECK_EQUAL(n("answers_lost", "OPSP0000"), 1);
  CAF_CHECK_EQUAL(n("answers_lost", "OPSP0001"), 1);
}

CAF_TEST(reject with a tr_key refuses only that key) {
  ws_client c;
  open(c);
  fault(R"({"kind":"reject","count":1,"msg_cd":"OPSP8992","tr_key":"000660"})");
  CAF_CHECK_EQUAL(ask(c, env.sub(ak1, "H0STCNT0", "005930")), "OPSP0000");
  CAF_CHECK_EQUAL(ask(c, env.sub(ak1, "H0STCNT0", "000660")), "OPSP8992");
  CAF_CHECK_EQUAL(ask(c, env.sub(ak1, "H0STCNT0", "000660")), "OPSP0000");
}

CAF_TEST(cap can rise again) {
  ws_client c;
  open(c);
  fault(R"({"kind":"cap","cap":2})");
  CAF_CHECK_EQUAL(ask(c, env.sub(ak1, "H0STCNT0", "005930")), "OPSP0000");
  CAF_CHECK_EQUAL(ask(c, env.sub(ak1, "H0STCNT0", "000660")), "OPSP0008");
  fault(R"({"kind":"cap","cap":41})");
  CAF_CHECK_EQUAL(ask(c, env.sub(ak1, "H0STCNT0", "000660")), "OPSP0000");
}

CAF_TEST(the notices of a stalled session count as lost) {
  ws_client c;
  open(c);
  CAF_REQUIRE_EQUAL(ask(c, env.sub(ak1, "H0STCNI0", "user1")), "OPSP0000");
  order_request buy{"12345678", "005930", "buy", 2, 0, {1, 1}};
  CAF_REQUIRE_EQUAL(env.sim->place_order(buy).status, 200);
  env.sim->advance_time(std::chrono::milliseconds(100));
  auto s = env.state();
  CAF_CHECK_EQUAL(s.at("notices").at("sent").to_number<int>(), 3);
  CAF_CHECK_EQUAL(s.at("notices").at("lost").to_number<int>(), 0);
  fault(R"({"kind":"stall"})");
  CAF_REQUIRE_EQUAL(env.sim->place_order(buy).status, 200);
  env.sim->advance_time(std::chrono::milliseconds(100));
  s = env.state();
  CAF_CHECK_EQUAL(s.at("notices").at("sent").to_number<int>(), 3);
  CAF_CHECK_EQUAL(s.at("notices").at("lost").to_number<int>(), 3);
}

CAF_TEST(unknown or malformed faults are refused) {
  CAF_CHECK_EQUAL(env.sim->inject_fault("{").status, 400);
  CAF_CHECK_EQUAL(env.sim->inject_fault(R"({"kind":"meteor"})").status, 400);
  CAF_CHECK_EQUAL(env.sim->inject_fault(R"({"kind":"cap","cap":0})").status,
                  400);
  auto a = env.admin();
  auto r = a.request("POST", "/fault", {}, R"({"kind":"nope"})");
  CAF_CHECK_EQUAL(r.status, 400);
  CAF_CHECK(r.body.find("unknown fault kind") != std::string::npos);
}

CAF_TEST_FIXTURE_SCOPE_END()

CAF_TEST(a faults file schedules faults in simulated time) {
  auto path = std::string{"/tmp/kisrt-sim-faults-"} + std::to_string(::getpid())
              + ".jsonl";
  {
    std::ofstream f(path);
    f << "# drop everyone 5 s after start\n"
      << R"({"at_ms":5000,"kind":"drop","close_frame":true})"
      << "\n"
      << R"({"at_kst":"10:00:02","kind":"cap","cap":2})"
      << "\n";
  }
  auto o = default_options();
  o.faults_file = path;
  sim_env env{o};
  auto ak = env.approval("APPKEY1", "SECRET1");
  ws_client c;
  CAF_REQUIRE(c.connect(env.p.ws));
  c.send(env.sub(ak, "H0STMKO0", "005930"));
  std::string out;
  CAF_REQUIRE(c.read_control(out) == st::ok);
  env.sim->advance_time(std::chrono::seconds(2));
  CAF_CHECK_EQUAL(env.state().at("cap").to_number<int>(), 2);
  env.sim->advance_time(std::chrono::seconds(3));
  CAF_CHECK(c.read(out) == st::closed);
  std::remove(path.c_str());
  // A bad line names itself.
  {
    std::ofstream f(path);
    f << R"({"kind":"drop"})"
      << "\n";
  }
  auto bad = default_options();
  bad.faults_file = path;
  simulator sim{bad};
  bool threw = false;
  try {
    sim.start();
  } catch (const std::exception& e) {
    threw = std::string{e.what()}.find("line 1") != std::string::npos;
  }
  CAF_CHECK(threw);
  std::remove(path.c_str());
}
