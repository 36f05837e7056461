// SPDX-License-Identifier: Apache-2.0
// kisrt-node's command line and event lines; the gateway's [publish],
// [nodes] and [node.NAME] configuration.
#define CAF_SUITE nodes.cli
#include <caf/test/unit_test.hpp>

#include "apps/kisrt-node/event_json.hpp"
#include "apps/kisrt-node/options.hpp"
#include "apps/kisrt/publish.hpp"

using namespace kisrt;

namespace {

std::optional<std::string> parse(std::vector<std::string> args,
                                 node::options& o) {
  args.insert(args.begin(), "kisrt-node");
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  return node::parse_options(static_cast<int>(argv.size()), argv.data(), o);
}

std::string error_of(std::vector<std::string> args) {
  node::options o;
  return parse(std::move(args), o).value_or("<accepted>");
}

app::publish_options publish_of(const std::string& text,
                                std::vector<std::string>& errors) {
  app::config_file cfg;
  for (auto& e : cfg.parse(text, "test.conf"))
    errors.push_back(e);
  auto o = app::read_publish_options(cfg, errors);
  for (auto& e : cfg.errors())
    errors.push_back(e);
  return o;
}

} // namespace

CAF_TEST(node options parse the documented flags) {
  node::options o;
  auto err = parse({"--gateway", "gw.example:4242", "--subscribe",
                    "H0STCNT0:005930,H0STASP0", "--request",
                    "H0STASP0:000660:2,H0STCNT0:035420:9", "--out", "ev.jsonl",
                    "--name", "alpha", "--count", "5"},
                   o);
  CAF_REQUIRE(!err);
  CAF_CHECK_EQUAL(o.host, "gw.example");
  CAF_CHECK_EQUAL(o.port, 4242);
  CAF_CHECK(!o.subscribe_all);
  CAF_REQUIRE_EQUAL(o.subscribe.size(), 2u);
  CAF_CHECK_EQUAL(o.subscribe[1], (slot_key{"H0STASP0", ""}));
  CAF_REQUIRE_EQUAL(o.requests.size(), 2u);
  CAF_CHECK_EQUAL(o.requests[0],
                  (node_slot_request{{"H0STASP0", "000660"}, 2}));
  CAF_CHECK_EQUAL(o.out, "ev.jsonl");
  CAF_CHECK_EQUAL(o.count, 5u);
  node::options all;
  CAF_CHECK(!parse({"--gateway", "h:1", "--subscribe", "all"}, all));
  CAF_CHECK(all.subscribe_all);
}

CAF_TEST(node slot events are own by default and all or off on request) {
  node::options o;
  CAF_REQUIRE(!parse({"--gateway", "h:1", "--subscribe", "all"}, o));
  CAF_CHECK_EQUAL(o.slot_events, "own");
  node::options all;
  CAF_REQUIRE(!parse(
      {"--gateway", "h:1", "--subscribe", "all", "--slot-events", "all"}, all));
  CAF_CHECK_EQUAL(all.slot_events, "all");
  CAF_CHECK_EQUAL(error_of({"--gateway", "h:1", "--subscribe", "all",
                            "--slot-events", "mine"}),
                  "--slot-events: 'mine' is not own, all or off");
}

CAF_TEST(a slot outcome prints as one JSON line) {
  std::string out;
  node::append_event_json(out, slot_outcome{0,
                                            {"H0STCNT0", "999999"},
                                            3,
                                            slot_outcome_state::rejected,
                                            "OPSP8992",
                                            "permanent"});
  CAF_CHECK_EQUAL(out, R"({"event":"slot","session":0,"tr_id":"H0STCNT0",)"
                       R"("key":"999999","priority":3,"state":"rejected",)"
                       R"("msg_cd":"OPSP8992","reason":"permanent"})");
  out.clear();
  node::append_event_json(out, slot_outcome{no_session,
                                            {"H0STCNT0", "005930"},
                                            1,
                                            slot_outcome_state::starved,
                                            "",
                                            "a \"quoted\" reason"});
  CAF_CHECK_EQUAL(out, R"({"event":"slot","session":null,"tr_id":"H0STCNT0",)"
                       R"("key":"005930","priority":1,"state":"starved",)"
                       R"("msg_cd":"","reason":"a \"quoted\" reason"})");
}

CAF_TEST(node options name the bad argument) {
  CAF_CHECK_EQUAL(error_of({"--subscribe", "all"}),
                  "--gateway HOST:PORT is required");
  CAF_CHECK_EQUAL(error_of({"--gateway", "h:0", "--subscribe", "all"}),
                  "--gateway: 'h:0' is not HOST:PORT (port 1..65535)");
  CAF_CHECK_EQUAL(error_of({"--gateway", "h:1"}),
                  "--subscribe is required (TR:KEY,... or all)");
  CAF_CHECK_EQUAL(error_of({"--gateway", "h:1", "--subscribe", "a:b:c"}),
                  "--subscribe: 'a:b:c' is not TR:KEY or TR");
  CAF_CHECK_EQUAL(error_of({"--gateway", "h:1", "--subscribe", "all",
                            "--request", "H0STCNT0:005930:256"}),
                  "--request: 'H0STCNT0:005930:256': level '256' is not "
                  "0..255");
  CAF_CHECK_EQUAL(error_of({"--gateway", "h:1", "--subscribe", "all",
                            "--request", "H0STCNT0:005930"}),
                  "--request: 'H0STCNT0:005930' is not TR:KEY:LEVEL");
  CAF_CHECK_EQUAL(
      error_of({"--gateway", "h:1", "--subscribe", "all", "--tls"}),
      "--tls needs --tls-cert, --tls-key and --tls-cafile (CAF's TLS "
      "authenticates both sides)");
  CAF_CHECK_EQUAL(error_of({"--gateway", "h:1", "--subscribe", "all", "-x"}),
                  "unknown argument '-x'");
}

CAF_TEST(kisrt - node refuses notice TRs and keys not of KIS form) {
  // The stock kisrt-node used to send H0STCNI0:wronguser, and KIS dropped
  // the whole session (docs/security.md, P3).
  CAF_CHECK_EQUAL(error_of({"--gateway", "h:1", "--subscribe", "all",
                            "--request", "H0STCNI0:wronguser:2"}),
                  "--request: key 'H0STCNI0:wronguser': H0STCNI0 is an "
                  "execution-notice TR, which nodes may not ask for");
  // Subscribing to notices is allowed (they come through the journal),
  // with an HTS ID of KIS's form.
  CAF_CHECK_EQUAL(error_of({"--gateway", "h:1", "--subscribe", "H0GSCNI9"}),
                  "<accepted>");
  CAF_CHECK_EQUAL(
      error_of({"--gateway", "h:1", "--subscribe", "H0STCNI0:bad\x01"}),
      "--subscribe: key 'H0STCNI0:bad\\x01': an HTS ID has 1 to 16 letters, "
      "digits, '_', '-' or '.'");
  CAF_CHECK(error_of({"--gateway", "h:1", "--subscribe", "all", "--request",
                      "H0STCNT0:" + std::string(1 << 20, '1') + ":3"})
                .find("tr_key has 1048576 bytes, at most 24")
            != std::string::npos);
  CAF_CHECK(error_of({"--gateway", "h:1", "--subscribe", "H0STCNT0:59 30"})
                .find("6-character code")
            != std::string::npos);
  CAF_CHECK(error_of({"--gateway", "h:1", "--subscribe", "NOPE0000:005930"})
                .find("unknown tr_id")
            != std::string::npos);
  CAF_CHECK_EQUAL(
      error_of({"--gateway", "h:1", "--subscribe", "HDFSCNT0:DNASAAPL",
                "--request", "HDFSASP0:RHKS00003:3"}),
      "<accepted>");
}

CAF_TEST(the loopback check parses the address) {
  CAF_CHECK(app::is_loopback("127.0.0.1"));
  CAF_CHECK(app::is_loopback("127.1.2.3"));
  CAF_CHECK(app::is_loopback("::1"));
  CAF_CHECK(app::is_loopback("localhost"));
  CAF_CHECK(!app::is_loopback("127.evil.com"));
  CAF_CHECK(!app::is_loopback("127.0.0.1.nip.io"));
  CAF_CHECK(!app::is_loopback("127."));
  CAF_CHECK(!app::is_loopback("128.0.0.1"));
  CAF_CHECK(!app::is_loopback("::2"));
  CAF_CHECK(!app::is_loopback(""));
  std::vector<std::string> errors;
  publish_of("[publish]\nlisten = 127.evil.com:7000\n", errors);
  CAF_REQUIRE_EQUAL(errors.size(), 1u);
  CAF_CHECK(errors[0].find("'127.evil.com' is not a loopback address")
            != std::string::npos);
}

CAF_TEST(node limits and guard settings read from the config) {
  std::vector<std::string> errors;
  auto o = publish_of("[publish]\nlisten = 127.0.0.1:0\nmax_message = 65536\n"
                      "handshake_timeout = 2s\nmax_connections = 9\n"
                      "[nodes]\nmax_slots_total = 7\n"
                      "[node.vip]\nmax_priority = 1\n"
                      "allow_unauthenticated = true\n",
                      errors);
  CAF_CHECK(errors.empty());
  CAF_CHECK_EQUAL(o.max_message, 65536u);
  CAF_CHECK_EQUAL(o.handshake_timeout.count(), 2000);
  CAF_CHECK_EQUAL(o.max_connections, 9u);
  CAF_CHECK_EQUAL(o.nodes.max_slots_total, 7u);
  CAF_CHECK(o.nodes.by_name["vip"].allow_unauthenticated);
  CAF_CHECK(!o.nodes.authenticated);
  o = publish_of("", errors);
  CAF_CHECK_EQUAL(o.nodes.max_slots_total, 20u);
  CAF_CHECK_EQUAL(o.max_message, 4u << 20);
}

namespace {

template <class Event>
bool prints_as_object(const Event& ev) {
  std::string s;
  node::append_event_json(s, ev);
  return s.find(R"("data":{)") != std::string::npos && s.back() == '}';
}

template <class... Es>
bool all_print_as_objects(caf::detail::type_list<Es...>) {
  return (prints_as_object(Es{}) && ...);
}

} // namespace

CAF_TEST(events print as one JSON object with named fields) {
  trade_event ev;
  ev.session = 1;
  ev.tr_id = "H0STCNT0";
  ev.data.symbol = "005930";
  ev.data.time = kis::hms{9, 1, 2};
  ev.data.price = 71000;
  ev.data.change_rate.raw = -1234; // -0.1234
  ev.data.cls = kis::trade_class::sell;
  ev.data.halted = true;
  std::string out;
  node::append_event_json(out, ev);
  CAF_CHECK_EQUAL(
      out.rfind(R"({"event":"trade","session":1,"tr_id":"H0STCNT0",)"
                R"("key":"005930","data":{"symbol":"005930",)"
                R"("time":"09:01:02","date":0,"price":71000,)"
                R"("sign":0,"change":0,"change_rate":-0.1234,)",
                0),
      0u);
  CAF_CHECK(out.find(R"("cls":5,"halted":true}})") != std::string::npos);
  // Every record type of the list (messages/event_list.hpp) prints as an
  // object: its field names are complete.
  CAF_CHECK(all_print_as_objects(market_event_types{}));
  out.clear();
  overseas_notice_event on;
  on.data.name = "A\"B";
  on.data.customer_id = "user1";
  node::append_event_json(out, on);
  CAF_CHECK(out.find(R"("name":"A\"B")") != std::string::npos);
  CAF_CHECK(out.find(R"("key":"user1")") != std::string::npos);
}

CAF_TEST(a generic record prints its fields by name in layout order) {
  // H0UNMKO0 (10 fields, no key field) with one field beyond its layout.
  fields_event ev{2, "H0UNMKO0", {"", "N^^20^0^00^0^55^N^0^K^\"x\""}};
  std::string out;
  node::append_event_json(out, ev);
  CAF_CHECK_EQUAL(
      out, R"({"event":"fields","session":2,"tr_id":"H0UNMKO0","key":"",)"
           R"("data":{"TRHT_YN":"N","TR_SUSP_REAS_CNTT":"",)"
           R"("MKOP_CLS_CODE":"20","ANTC_MKOP_CLS_CODE":"0",)"
           R"("MRKT_TRTM_CLS_CODE":"00","DIVI_APP_CLS_CODE":"0",)"
           R"("ISCD_STAT_CLS_CODE":"55","VI_CLS_CODE":"N",)"
           R"("OVTM_VI_CLS_CODE":"0","EXCH_CLS_CODE":"K",)"
           R"("EXTRA1":"\"x\""}})");
  // The issue's example: the index, its key, the layout's first names.
  out.clear();
  node::append_event_json(
      out, fields_event{0, "H0UPCNT0", {"0001", "0001^090102^2650.12"}});
  CAF_CHECK_EQUAL(
      out, R"({"event":"fields","session":0,"tr_id":"H0UPCNT0","key":"0001",)"
           R"("data":{"BSTP_CLS_CODE":"0001","BSOP_HOUR":"090102",)"
           R"("PRPR_NMIX":"2650.12"}})");
}

CAF_TEST(publish options default to off and loopback) {
  std::vector<std::string> errors;
  auto o = publish_of("", errors);
  CAF_CHECK(errors.empty());
  CAF_CHECK(!o.enabled);
  CAF_CHECK_EQUAL(o.nodes.defaults.max_priority, 2);
  CAF_CHECK_EQUAL(o.nodes.defaults.max_slots, 10u);
  o = publish_of("[publish]\nlisten = 7000\n", errors);
  CAF_CHECK(errors.empty());
  CAF_CHECK(o.enabled);
  CAF_CHECK_EQUAL(o.host, "127.0.0.1");
  CAF_CHECK_EQUAL(o.port, 7000);
  o = publish_of("[publish]\nlisten = 127.0.0.2:0\n"
                 "[nodes]\nmax_slots = 3\n"
                 "[node.alpha]\nmax_priority = 1\n",
                 errors);
  CAF_CHECK(errors.empty());
  CAF_CHECK_EQUAL(o.host, "127.0.0.2");
  CAF_CHECK_EQUAL(o.nodes.defaults.max_slots, 3u);
  CAF_REQUIRE_EQUAL(o.nodes.by_name.count("alpha"), 1u);
  CAF_CHECK_EQUAL(o.nodes.by_name["alpha"].max_priority, 1);
  // Unset keys of a node fall back to [nodes].
  CAF_CHECK_EQUAL(o.nodes.by_name["alpha"].max_slots, 3u);
  CAF_CHECK(!o.nodes.defaults.all_slot_events);
  CAF_CHECK(!o.nodes.by_name["alpha"].all_slot_events);
  o = publish_of("[publish]\nlisten = 7000\n"
                 "[node.watcher]\nall_slot_events = true\n",
                 errors);
  CAF_CHECK(errors.empty());
  CAF_CHECK(o.nodes.by_name["watcher"].all_slot_events);
}

CAF_TEST(publishing off loopback needs TLS) {
  std::vector<std::string> errors;
  publish_of("[publish]\nlisten = 0.0.0.0:7000\n", errors);
  CAF_REQUIRE_EQUAL(errors.size(), 1u);
  CAF_CHECK(errors[0].find("'0.0.0.0' is not a loopback address")
            != std::string::npos);
  CAF_CHECK(errors[0].find("publish.listen") != std::string::npos);
  errors.clear();
  // TLS is the only way off loopback: the old opt out is refused.
  publish_of("[publish]\nlisten = 0.0.0.0:7000\n"
             "allow_plaintext_remote = true\n",
             errors);
  CAF_REQUIRE_EQUAL(errors.size(), 2u);
  CAF_CHECK(errors[0].find("'publish.allow_plaintext_remote': is no longer "
                           "accepted")
            != std::string::npos);
  errors.clear();
  auto o = publish_of("[publish]\nlisten = 10.0.0.5:7000\ncertificate = c.pem\n"
                      "key = k.pem\ncafile = ca.pem\n",
                      errors);
  CAF_CHECK(errors.empty());
  CAF_CHECK(o.tls());
  publish_of("[publish]\nlisten = 10.0.0.5:7000\ncertificate = c.pem\n",
             errors);
  CAF_REQUIRE_EQUAL(errors.size(), 2u);
  CAF_CHECK(errors[0].find("go together") != std::string::npos);
  CAF_CHECK(errors[1].find("'publish.cafile': required") != std::string::npos);
  errors.clear();
  publish_of("[publish]\nlisten = 127.0.0.1:port\n", errors);
  CAF_REQUIRE_EQUAL(errors.size(), 1u);
  CAF_CHECK(errors[0].find("expected [HOST:]PORT") != std::string::npos);
  errors.clear();
  publish_of("[nodes]\nmax_priority = 0\n", errors);
  CAF_CHECK_EQUAL(errors.size(), 1u);
  errors.clear();
  publish_of("[publish]\nheartbeat = 10s\ntimeout = 15s\n", errors);
  CAF_REQUIRE_EQUAL(errors.size(), 1u);
  CAF_CHECK(errors[0].find("twice publish.heartbeat") != std::string::npos);
}
