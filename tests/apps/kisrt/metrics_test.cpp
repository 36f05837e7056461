// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE app.metrics
#include <caf/test/dsl.hpp>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <boost/json/parse.hpp>

#include "apps/kisrt/admin_watch.hpp"
#include "apps/kisrt/dashboard.hpp"
#include "apps/kisrt/metrics.hpp"
#include "messages/type_ids.hpp"

using namespace kisrt;
using namespace kisrt::app;

namespace {

struct metrics_test_config : caf::actor_system_config {
  metrics_test_config() { add_message_types<caf::id_block::kisrt>(); }
};

// A stand-in arbiter: the watch links to it.
caf::behavior idle_arbiter(caf::event_based_actor*, int) {
  return {[](caf::tick_atom) {}};
}

struct fixture : test_coordinator_fixture<metrics_test_config> {
  watch_report report(const admin_watch_actor& w) {
    watch_report out;
    self->send(w, caf::get_atom_v, atom::stats_v);
    run();
    self->receive([&out](watch_report& x) { out = std::move(x); },
                  [](caf::error& err) { CAF_FAIL(to_string(err)); });
    return out;
  }
};

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

} // namespace

CAF_TEST(label values and help texts are escaped as the format says) {
  CAF_CHECK_EQUAL(escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  CAF_CHECK_EQUAL(escape_help("a\\b\"c\nd"), "a\\\\b\"c\\nd");
  exposition x;
  x.family("m_total", "counter", "Help with \\ and\nnewline.");
  x.sample("m_total", {{"k", "va\"l"}}, std::uint64_t{3});
  x.family("g", "gauge", "A gauge.");
  x.sample("g", std::numeric_limits<double>::infinity());
  x.sample("g", {{"a", "1"}, {"b", "2"}}, 0.25);
  CAF_CHECK_EQUAL(x.text(), "# HELP m_total Help with \\\\ and\\nnewline.\n"
                            "# TYPE m_total counter\n"
                            "m_total{k=\"va\\\"l\"} 3\n"
                            "# HELP g A gauge.\n"
                            "# TYPE g gauge\n"
                            "g +Inf\n"
                            "g{a=\"1\",b=\"2\"} 0.25\n");
}

CAF_TEST(the rest api label is the last segment of the path) {
  CAF_CHECK_EQUAL(
      rest_api_of("/uapi/domestic-stock/v1/trading/inquire-balance?CANO=1"),
      "inquire-balance");
  CAF_CHECK_EQUAL(rest_api_of("/x/a b\"c"), "abc");
  CAF_CHECK_EQUAL(rest_api_of(""), "unknown");
}

CAF_TEST(every family of the issue is rendered from the actors answers) {
  metrics_input in;
  slot_snapshot snap;
  snap.sessions.push_back(session_info{0, true, 3, 41, 40, 3});
  slot_info a;
  a.session = 0;
  a.key = {"H0STCNT0", "005930"};
  a.state = slot_state::active;
  a.level = holding_priority;
  slot_info b = a;
  b.key = {"H0STCNT0", "035420"};
  b.level = pick_priority;
  slot_info c = a;
  c.key = {"H0STCNT0", "999999"};
  c.state = slot_state::rejected;
  c.level = pick_priority;
  c.session = no_session;
  slot_info s = a;
  s.key = {"H0STCNT0", "000001"};
  s.level = scan_priority;
  snap.slots = {a, b, c, s};
  in.slots = snap;
  in.decoder = decoder_counters{10,
                                7,
                                2,
                                1,
                                0,
                                0,
                                0,
                                1,
                                {{"H0STCNI0", 1}, {"H0STCNT0", 6}},
                                {{"uneven_width", 1}},
                                {10}};
  in.hub = hub_counters{7, 2, 3, 1};
  in.connections.push_back(connection_counters{0, 2, 1, 0, 5, 0, 0, 0, 2, 1});
  watch_report w;
  w.rejections_by_msg_cd = {{"OPSP8992", 1}};
  w.evictions_by_reason = {{"preempted", 2}};
  w.keys.push_back(key_activity{a.key, 4, true, 71000,
                                mono_time{std::chrono::seconds{8}}, ""});
  in.watch = w;
  in.rest = {{"inquire-balance", "ok", 3}};
  in.process.ok = true;
  in.process.resident_bytes = 1000;
  in.process.cpu_seconds = 1.5;
  in.process.open_fds = 9;
  in.now = mono_time{std::chrono::seconds{10}};
  auto text = render_metrics(in, [](session_id) { return "main"; });
  CAF_MESSAGE(text);
  for (auto line : {
           "kisrt_session_up{session=\"main\"} 1",
           "kisrt_session_epoch{session=\"main\"} 3",
           "kisrt_slot_cap{session=\"main\"} 41",
           "kisrt_slot_learned_cap{session=\"main\"} 40",
           "kisrt_slots{session=\"main\",state=\"active\",priority=\"1\"} 1",
           "kisrt_slots{session=\"none\",state=\"rejected\",priority=\"2\"} 1",
           "kisrt_records_total{tr_id=\"H0STCNT0\"} 6",
           "kisrt_frames_total{session=\"main\"} 10",
           "kisrt_decode_errors_total{kind=\"uneven_width\"} 1",
           "kisrt_reconnects_total{session=\"main\"} 1",
           "kisrt_subscribe_rejections_total{msg_cd=\"OPSP8992\"} 1",
           "kisrt_evictions_total{reason=\"preempted\"} 2",
           "kisrt_hub_dropped_total 5",
           "kisrt_notices_total 1",
           // A holding with data; a pick without any yet. The scanner key
           // and the refused pick without a place have no age.
           "kisrt_last_data_age_seconds{tr_id=\"H0STCNT0\",key=\"005930\"} 2",
           "kisrt_last_data_age_seconds{tr_id=\"H0STCNT0\",key=\"035420\"} "
           "+Inf",
           "kisrt_rest_requests_total{api=\"inquire-balance\",outcome=\"ok\"}"
           " 3",
           "kisrt_rest_requests_total{api=\"approval\",outcome=\"ok\"} 2",
           "kisrt_rest_requests_total{api=\"approval\",outcome=\"error\"} 1",
           "kisrt_nodes_connected 0",
           "process_resident_memory_bytes 1000",
           "process_cpu_seconds_total 1.5",
           "process_open_fds 9",
       })
    if (!has_line(text, line))
      CAF_FAIL("missing line: " << line);
  CAF_CHECK(text.find("999999") == std::string::npos);
  CAF_CHECK(text.find("000001") == std::string::npos);
  // The dashboard's JSON of the same answers parses.
  boost::system::error_code ec;
  boost::json::parse(dashboard_json(in, nullptr), ec);
  CAF_CHECK(!ec);
}

CAF_TEST(what an actor did not answer is left out) {
  metrics_input in;
  auto text = render_metrics(in, nullptr);
  CAF_CHECK(text.find("kisrt_session_up") == std::string::npos);
  CAF_CHECK(text.find("kisrt_records_total") == std::string::npos);
  CAF_CHECK(has_line(text, "kisrt_nodes_connected 0"));
}

CAF_TEST(the process reads itself) {
  auto p = read_process_stats();
  CAF_REQUIRE(p.ok);
  CAF_CHECK(p.resident_bytes > 0u);
  CAF_CHECK(p.open_fds > 0u);
}

CAF_TEST(the dashboard forbids loads from elsewhere) {
  auto hs = dashboard_headers("text/html");
  std::string csp;
  for (auto& [k, v] : hs)
    if (k == "Content-Security-Policy")
      csp = v;
  CAF_CHECK(csp.find("default-src 'none'") != std::string::npos);
  CAF_CHECK(csp.find("script-src 'self'") != std::string::npos);
  CAF_CHECK(csp.find("unsafe-inline") == std::string::npos);
  CAF_CHECK(dashboard_html().find("<script src=\"/dashboard.js\"")
            != std::string::npos);
  for (auto* text : {&dashboard_html(), &dashboard_js(), &dashboard_css()})
    CAF_CHECK(text->find("http://") == std::string::npos
              && text->find("https://") == std::string::npos);
}

CAF_TEST_FIXTURE_SCOPE(admin_watch_tests, fixture)

CAF_TEST(the watch counts slot events and keeps the latest) {
  auto arb = caf::actor_cast<slot_arbiter_actor>(sys.spawn(idle_arbiter, 0));
  admin_watch_limits limits;
  limits.recent = 3;
  limits.labels = 2;
  auto w = sys.spawn(admin_watch, arb, limits);
  run();
  slot_key k{"H0STCNT0", "005930"};
  self->send(w, slot_rejected{0, k, "OPSP8992", true});
  self->send(w, slot_rejected{0, k, "OPSP8992", true});
  self->send(w, slot_rejected{0, k, "OPSP0007", false});
  self->send(w, slot_rejected{0, k, "OPSP8991", true}); // past the limit
  self->send(w, slot_evicted{0, k, evict_reason::preempted});
  self->send(w, trade_event{0, "H0STCNT0", {}});
  run();
  auto r = report(w);
  CAF_CHECK_EQUAL(r.events, 5u);
  CAF_CHECK_EQUAL(r.rejections_by_msg_cd,
                  (std::vector<labelled_count>{
                      {"OPSP0007", 1}, {"OPSP8992", 2}, {"other", 1}}));
  CAF_CHECK_EQUAL(r.evictions_by_reason,
                  (std::vector<labelled_count>{{"preempted", 1}}));
  CAF_REQUIRE_EQUAL(r.recent.size(), 3u);
  CAF_CHECK_EQUAL(r.recent.front().msg_cd, "OPSP0007");
  CAF_CHECK_EQUAL(r.recent.back().state, "evicted");
  CAF_CHECK_EQUAL(r.recent.back().reason, "preempted");
  CAF_REQUIRE_EQUAL(r.keys.size(), 1u);
  CAF_CHECK_EQUAL(r.keys[0].ticks, 1u);
  CAF_CHECK(r.keys[0].has_price);
}

CAF_TEST_FIXTURE_SCOPE_END()
