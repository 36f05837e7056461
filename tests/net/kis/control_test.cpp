// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE net.control
#include <caf/test/unit_test.hpp>

#include <string>

#include "net/kis/control.hpp"
#include "net/kis/requests.hpp"

using namespace kisrt::kis;

CAF_TEST(a subscribe success carries key and iv) {
  std::string msg = R"({"header":{"tr_id":"H0STCNI0","tr_key":"HTSID01",)"
                    R"("encrypt":"Y"},"body":{"rt_cd":"0","msg_cd":"OPSP0000",)"
                    R"("msg1":"SUBSCRIBE SUCCESS","output":{"iv":)"
                    R"("3fd42f1ab2e0234e","key":)"
                    R"("cxmarvcogvpurpvcucyehkzatftraqrc"}}})";
  control_message m;
  CAF_REQUIRE(!parse_control(msg, m));
  CAF_CHECK(m.kind == control_kind::ack);
  CAF_CHECK_EQUAL(m.tr_id, "H0STCNI0");
  CAF_CHECK_EQUAL(m.tr_key, "HTSID01");
  CAF_CHECK(m.encrypted);
  CAF_CHECK_EQUAL(m.rt_cd, "0");
  CAF_CHECK_EQUAL(m.msg_cd, "OPSP0000");
  CAF_CHECK_EQUAL(m.msg1, "SUBSCRIBE SUCCESS");
  CAF_CHECK_EQUAL(m.key, "cxmarvcogvpurpvcucyehkzatftraqrc");
  CAF_CHECK_EQUAL(m.iv, "3fd42f1ab2e0234e");
  CAF_CHECK(m.outcome == ack_outcome::subscribed);
}

CAF_TEST(every msg_cd of the table maps to a typed outcome) {
  struct row {
    const char* code;
    ack_outcome outcome;
  };
  const row table[] = {
      {"OPSP0000", ack_outcome::subscribed},
      {"OPSP0001", ack_outcome::unsubscribed},
      {"OPSP0002", ack_outcome::already_subscribed},
      {"OPSP0003", ack_outcome::not_subscribed},
      {"OPSP0007", ack_outcome::retry},
      {"OPSP0008", ack_outcome::cap_reached},
      {"OPSP0009", ack_outcome::retry},
      {"OPSP0010", ack_outcome::invalid_appkey},
      {"OPSP0011", ack_outcome::invalid_approval},
      {"OPSP8991", ack_outcome::invalid_tr_id},
      {"OPSP8992", ack_outcome::invalid_tr_key},
      {"OPSP8993", ack_outcome::invalid_tr_key},
      {"OPSP8994", ack_outcome::client_error},
      {"OPSP8995", ack_outcome::client_error},
      {"OPSP8996", ack_outcome::app_key_in_use},
      {"OPSP8997", ack_outcome::client_error},
      {"OPSP8998", ack_outcome::client_error},
      {"OPSP8999", ack_outcome::server_busy},
      {"OPSP9990", ack_outcome::client_error},
      {"OPSP9991", ack_outcome::client_error},
      {"OPSP9992", ack_outcome::client_error},
      {"OPSP9993", ack_outcome::client_error},
      {"OPSP9994", ack_outcome::client_error},
      {"OPSP9995", ack_outcome::client_error},
      {"OPSP9996", ack_outcome::client_error},
      {"OPSP9997", ack_outcome::client_error},
      {"OPSP9998", ack_outcome::client_error},
      {"OPSP9999", ack_outcome::client_error},
      {"OPSP1234", ack_outcome::unknown_code},
      {"", ack_outcome::unknown_code},
  };
  for (const auto& r : table) {
    CAF_MESSAGE("msg_cd " << r.code);
    CAF_CHECK(classify_msg_cd(r.code) == r.outcome);
    if (r.outcome == ack_outcome::unknown_code)
      continue;
    // Round trip through the wire form the simulator sends.
    auto json = encode_ack("H0STCNT0", "005930", false, r.code);
    control_message m;
    CAF_REQUIRE(!parse_control(json, m));
    CAF_CHECK(m.outcome == r.outcome);
    CAF_CHECK_EQUAL(m.msg_cd, r.code);
    CAF_CHECK_EQUAL(m.msg1, msg1_for(r.code));
    CAF_CHECK_EQUAL(m.rt_cd, rt_cd_for(r.code));
  }
  CAF_CHECK(is_active(ack_outcome::already_subscribed));
  CAF_CHECK(is_active(ack_outcome::subscribed));
  CAF_CHECK(!is_active(ack_outcome::cap_reached));
  CAF_CHECK(is_retryable(ack_outcome::server_busy));
  CAF_CHECK(!is_retryable(ack_outcome::invalid_tr_key));
}

CAF_TEST(the session error has tr_id null) {
  control_message m;
  CAF_REQUIRE(!parse_control(
      R"js({"header":{"tr_id":"(null)","tr_key":"","encrypt":"N"},)js"
      R"js("body":{"rt_cd":"9","msg_cd":"OPSP8996",)js"
      R"js("msg1":"ALREADY IN USE appkey"}})js",
      m));
  CAF_CHECK(m.kind == control_kind::session_error);
  CAF_CHECK(m.outcome == ack_outcome::app_key_in_use);
  CAF_CHECK(!parse_control(encode_session_error("OPSP8996"), m));
  CAF_CHECK(m.kind == control_kind::session_error);
}

CAF_TEST(pingpong is echoed as the exact text) {
  std::string msg =
      R"({"header":{"tr_id":"PINGPONG","datetime":"20250101120000"}})";
  control_message m;
  CAF_REQUIRE(!parse_control(msg, m));
  CAF_CHECK(m.kind == control_kind::pingpong);
  CAF_CHECK_EQUAL(m.datetime, "20250101120000");
  CAF_CHECK_EQUAL(pingpong_echo(msg), msg);
  CAF_CHECK_EQUAL(encode_pingpong("20250101120000"), msg);
}

CAF_TEST(hostile control JSON is an error value) {
  control_message m;
  CAF_CHECK(parse_control("", m).code == errc::bad_json);
  CAF_CHECK(parse_control("{", m).code == errc::bad_json);
  CAF_CHECK(parse_control("[1,2]", m).code == errc::bad_control);
  CAF_CHECK(parse_control("{}", m).code == errc::bad_control);
  CAF_CHECK(parse_control(R"({"header":1})", m).code == errc::bad_control);
  CAF_CHECK(parse_control(R"({"header":{"tr_id":5}})", m).code
            == errc::bad_control);
  CAF_CHECK(parse_control(R"({"header":{"tr_id":"H0STCNT0"}})", m).code
            == errc::bad_control);
  CAF_CHECK(parse_control("{\"header\":{\"tr_id\":\"\xff\xfe\"}}", m).code
            == errc::bad_json);
  // JSON nested 10,000 deep: a depth error, not a stack overflow.
  std::string deep(10000, '[');
  deep += std::string(10000, ']');
  CAF_CHECK(parse_control(deep, m).code == errc::bad_json);
  std::string deep_obj;
  for (int i = 0; i < 10000; ++i)
    deep_obj += "{\"a\":";
  deep_obj += "1";
  deep_obj += std::string(10000, '}');
  CAF_CHECK(parse_control(deep_obj, m).code == errc::bad_json);
}

CAF_TEST(subscribe requests are encoded exactly as KIS expects) {
  CAF_CHECK_EQUAL(
      encode_subscription("APPROVAL", tr_type::subscribe, "H0STCNT0", "005930"),
      R"({"header":{"approval_key":"APPROVAL","custtype":"P","tr_type":"1",)"
      R"("content-type":"utf-8"},"body":{"input":{"tr_id":"H0STCNT0",)"
      R"("tr_key":"005930"}}})");
  auto unsub =
      encode_subscription("K", tr_type::unsubscribe, "H0STASP0", "000660", "B");
  CAF_CHECK(unsub.find(R"("tr_type":"2")") != std::string::npos);
  CAF_CHECK(unsub.find(R"("custtype":"B")") != std::string::npos);
  CAF_CHECK_EQUAL(encode_approval_request("AK", "AS"),
                  R"({"grant_type":"client_credentials","appkey":"AK",)"
                  R"("secretkey":"AS"})");
  CAF_CHECK_EQUAL(encode_token_request("AK", "AS"),
                  R"({"grant_type":"client_credentials","appkey":"AK",)"
                  R"("appsecret":"AS"})");
  // Quotes in values cannot break the JSON.
  auto tricky = encode_subscription("a\"b", tr_type::subscribe, "X", "Y");
  subscription_request req;
  CAF_CHECK_EQUAL(parse_subscription(tricky, req), "");
  CAF_CHECK_EQUAL(req.approval_key, "a\"b");
}

CAF_TEST(servers read requests and name the msg_cd of a bad one) {
  subscription_request req;
  auto good =
      encode_subscription("KEY", tr_type::subscribe, "H0STCNT0", "005930");
  CAF_CHECK_EQUAL(parse_subscription(good, req), "");
  CAF_CHECK_EQUAL(req.tr_id, "H0STCNT0");
  CAF_CHECK_EQUAL(req.tr_key, "005930");
  CAF_CHECK_EQUAL(req.type, "1");
  CAF_CHECK_EQUAL(parse_subscription("not json", req), "OPSP9998");
  CAF_CHECK_EQUAL(parse_subscription("{}", req), "OPSP9997");
  CAF_CHECK_EQUAL(parse_subscription(R"({"header":{}})", req), "OPSP9996");
  CAF_CHECK_EQUAL(
      parse_subscription(R"({"header":{"approval_key":"k","custtype":"X",)"
                         R"("tr_type":"1"}})",
                         req),
      "OPSP8998");
  CAF_CHECK_EQUAL(
      parse_subscription(R"({"header":{"approval_key":"k","custtype":"P",)"
                         R"("tr_type":"0"}})",
                         req),
      "OPSP8997");
  CAF_CHECK_EQUAL(
      parse_subscription(R"({"header":{"approval_key":"k","custtype":"P",)"
                         R"("tr_type":"1"}})",
                         req),
      "OPSP9992");
  CAF_CHECK_EQUAL(
      parse_subscription(R"({"header":{"approval_key":"k","custtype":"P",)"
                         R"("tr_type":"1"},"body":{"input":{"tr_id":"H"}}})",
                         req),
      "OPSP9990");
}
