// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE gateway.decoder_core
#include <caf/test/unit_test.hpp>

#include <fstream>
#include <map>
#include <vector>

#include "actors/decoder_core.hpp"
#include "net/kis/encode.hpp"
#include "net/kis/requests.hpp"

using namespace kisrt;

namespace {

struct collector {
  std::vector<sub_ack> acks;
  std::vector<trade_event> trades;
  std::vector<notice_event> notices;
  std::vector<book_event> books;
  std::vector<std::string> errors;
  std::vector<std::string> session_errors;

  void operator()(sub_ack&& x) { acks.push_back(std::move(x)); }
  void operator()(trade_event&& x) { trades.push_back(std::move(x)); }
  void operator()(notice_event&& x) { notices.push_back(std::move(x)); }
  void operator()(book_event&& x) { books.push_back(std::move(x)); }
  template <class T>
  void operator()(T&&) {
    // other event types are not used here
  }
  void bad(session_id, const kis::codec_error& err, std::string_view) {
    errors.push_back(err.to_string());
  }
  void session_error(session_id, const kis::control_message& m) {
    session_errors.push_back(m.msg_cd);
  }
};

std::map<std::string, std::string> vector_file() {
  std::ifstream in{KISRT_TEST_DATA "/aes-notice.txt"};
  std::map<std::string, std::string> kv;
  std::string line;
  while (std::getline(in, line))
    if (auto eq = line.find('='); eq != std::string::npos && line[0] != '#')
      kv[line.substr(0, eq)] = line.substr(eq + 1);
  return kv;
}

std::string trade_payload(const char* sym, int price) {
  std::vector<std::string> f(46, "0");
  f[0] = sym;
  f[1] = "093001";
  f[2] = std::to_string(price);
  f[3] = "2";
  f[12] = "10";
  f[33] = "20250102";
  std::string payload;
  kis::append_record(payload, f);
  return payload;
}

} // namespace

CAF_TEST(acks become sub_acks and bring the notice key) {
  auto v = vector_file();
  decoder_core dec;
  collector out;
  dec.decode(1, 1, v["frame"], out); // no key yet
  CAF_REQUIRE_EQUAL(out.errors.size(), 1u);
  CAF_CHECK(out.errors[0].find("missing_key") != std::string::npos);
  auto ack = kis::encode_ack("H0STCNI0", "TESTID", true, "OPSP0000", v["key"],
                             v["iv"]);
  dec.decode(1, 1, ack, out);
  CAF_REQUIRE_EQUAL(out.acks.size(), 1u);
  CAF_CHECK_EQUAL(out.acks[0],
                  (sub_ack{1, 1, slot_key{"H0STCNI0", "TESTID"}, "OPSP0000"}));
  CAF_CHECK(dec.has_key(1, "H0STCNI0"));
  CAF_CHECK(!dec.has_key(2, "H0STCNI0")); // keys are per session
  dec.decode(1, 1, v["frame"], out);
  CAF_REQUIRE_EQUAL(out.notices.size(), 1u);
  CAF_CHECK_EQUAL(out.notices[0].session, 1u);
  CAF_CHECK_EQUAL(out.notices[0].tr_id, "H0STCNI0");
  CAF_CHECK_EQUAL(out.notices[0].data.symbol, "005930");
  CAF_CHECK_EQUAL(out.notices[0].data.fill_qty, 10);
  CAF_CHECK(out.notices[0].data.kind == kis::notice_kind::fill);
  // A new epoch voids the old keys; an older epoch's frames are dropped.
  dec.decode(1, 2, v["frame"], out);
  CAF_CHECK_EQUAL(out.errors.size(), 2u);
  CAF_CHECK(!dec.has_key(1, "H0STCNI0"));
  dec.decode(1, 1, ack, out);
  CAF_CHECK_EQUAL(out.acks.size(), 1u);
  CAF_CHECK_EQUAL(dec.stats().stale, 1u);
}

CAF_TEST(every record of a batch becomes an event) {
  decoder_core dec;
  collector out;
  std::string payload;
  for (int i = 0; i < 4; ++i) {
    if (!payload.empty())
      payload += '^';
    payload += trade_payload("005930", 71000 + i);
  }
  dec.decode(3, 1, kis::encode_frame("H0STCNT0", 4, payload), out);
  CAF_REQUIRE_EQUAL(out.trades.size(), 4u);
  CAF_CHECK_EQUAL(out.trades[3].data.price, 71003);
  CAF_CHECK_EQUAL(out.trades[3].session, 3u);
  CAF_CHECK_EQUAL(dec.stats().records, 4u);
}

CAF_TEST(a bad record is reported and the others delivered) {
  decoder_core dec;
  collector out;
  auto payload =
      trade_payload("005930", 71000) + "^" + trade_payload("000660", 0);
  payload.replace(payload.rfind("093001"), 6, "99x"); // time of record 1
  // Keep the width: the bad time still has its own field.
  dec.decode(1, 1, kis::encode_frame("H0STCNT0", 2, payload), out);
  CAF_CHECK_EQUAL(out.trades.size(), 1u);
  CAF_REQUIRE_EQUAL(out.errors.size(), 1u);
  CAF_CHECK(out.errors[0].find("record=1") != std::string::npos);
  CAF_CHECK_EQUAL(dec.stats().bad_records, 1u);
}

CAF_TEST(bad frames are counted and never fatal) {
  decoder_core dec;
  collector out;
  dec.decode(1, 1, "garbage", out);
  dec.decode(1, 1, "0|H0STCNT0|999|a", out);
  dec.decode(1, 1, "{\"header\":", out);
  CAF_CHECK_EQUAL(out.errors.size(), 3u);
  CAF_CHECK_EQUAL(dec.stats().bad_frames, 3u);
  dec.decode(1, 1, kis::encode_frame("H0STCNT0", 1, trade_payload("005930", 1)),
             out);
  CAF_CHECK_EQUAL(out.trades.size(), 1u);
}

CAF_TEST(pingpong is ignored and session errors reported) {
  decoder_core dec;
  collector out;
  dec.decode(1, 1, kis::encode_pingpong("20250101120000"), out);
  dec.decode(1, 1, kis::encode_session_error("OPSP8996"), out);
  CAF_CHECK(out.acks.empty());
  CAF_REQUIRE_EQUAL(out.session_errors.size(), 1u);
  CAF_CHECK_EQUAL(out.session_errors[0], "OPSP8996");
}
