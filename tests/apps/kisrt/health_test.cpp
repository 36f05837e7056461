// SPDX-License-Identifier: Apache-2.0
// /healthz: ok only when every session is up, every holding is active (or
// within its grace), no key waits past its answer deadline and the last
// balance poll succeeded; otherwise degraded with one reason per problem.
#define CAF_SUITE app.health
#include <caf/test/unit_test.hpp>

#include <boost/json/parse.hpp>

#include "apps/kisrt/health.hpp"

using namespace kisrt;
using namespace kisrt::app;
using namespace std::chrono_literals;

namespace {

const mono_time now{1h};

slot_info slot(session_id s, std::string tr_key, slot_state st, owner_kind kind,
               mono_time since) {
  slot_info x;
  x.session = s;
  x.key = {"H0STCNT0", std::move(tr_key)};
  x.state = st;
  x.level = kind == owner_kind::holding ? 1 : 2;
  x.owners = {owner_ref{kind, "", x.level}};
  x.since = since;
  return x;
}

// Two sessions up, two active holdings, one active pick.
slot_snapshot healthy() {
  slot_snapshot snap;
  snap.sessions.push_back(session_info{0, true, 1, 41, 41, 2});
  snap.sessions.push_back(session_info{1, true, 1, 41, 41, 1});
  snap.slots.push_back(
      slot(0, "005930", slot_state::active, owner_kind::holding, now - 1h));
  snap.slots.push_back(
      slot(0, "000660", slot_state::active, owner_kind::holding, now - 1h));
  snap.slots.push_back(
      slot(1, "035420", slot_state::active, owner_kind::pick, now - 1h));
  return snap;
}

portfolio_health polled_ok() {
  portfolio_health p;
  p.answered = true;
  p.status.has_source = true;
  p.status.last_poll_ok = true;
  p.status.last_success = now - 1min;
  return p;
}

health_report check(const slot_snapshot& snap,
                    std::optional<portfolio_health> p = polled_ok()) {
  return assess_health(snap, p, now, health_settings{});
}

std::vector<std::string> reasons(std::initializer_list<const char*> xs) {
  return {xs.begin(), xs.end()};
}

} // namespace

CAF_TEST(everything up and active is ok) {
  auto r = check(healthy());
  CAF_CHECK(r.ok);
  CAF_CHECK(r.reasons.empty());
  CAF_CHECK_EQUAL(r.sessions, 2u);
  CAF_CHECK_EQUAL(r.sessions_up, 2u);
  CAF_CHECK_EQUAL(
      health_json(r),
      R"({"status":"ok","reasons":[],"sessions":2,"sessions_up":2})");
  // Without portfolio_sync the balance is not asked about.
  CAF_CHECK(check(healthy(), std::nullopt).ok);
}

CAF_TEST(a session down is a reason) {
  auto snap = healthy();
  snap.sessions[1].up = false;
  auto r = check(snap);
  CAF_CHECK(!r.ok);
  CAF_CHECK_EQUAL(r.reasons, reasons({"session s2 down"}));
  CAF_CHECK_EQUAL(r.sessions_up, 1u);
  CAF_CHECK_EQUAL(
      health_json(r),
      R"({"status":"degraded","reasons":["session s2 down"],"sessions":2,"sessions_up":1})");
  // Configured names are used.
  auto named =
      assess_health(snap, polled_ok(), now, health_settings{},
                    [](session_id id) { return "key" + std::to_string(id); });
  CAF_CHECK_EQUAL(named.reasons, reasons({"session key1 down"}));
}

CAF_TEST(a rejected holding is a reason at once) {
  auto snap = healthy();
  snap.slots[0].state = slot_state::rejected;
  snap.slots[0].since = now;
  CAF_CHECK_EQUAL(check(snap).reasons,
                  reasons({"holding H0STCNT0:005930 rejected on s1"}));
  // A rejected pick is not a holding.
  snap = healthy();
  snap.slots[2].state = slot_state::rejected;
  CAF_CHECK(check(snap).ok);
}

CAF_TEST(the execution notice off the air is a reason) {
  // Without it fills are lost: as loud as a holding.
  auto snap = healthy();
  auto notice = slot(0, "hts01", slot_state::rejected, owner_kind::notice, now);
  notice.key.tr_id = "H0STCNI0";
  notice.level = 0;
  snap.slots.push_back(notice);
  CAF_CHECK_EQUAL(check(snap).reasons,
                  reasons({"execution notice H0STCNI0:hts01 rejected on s1"}));
  snap.slots.back().state = slot_state::requested;
  snap.slots.back().since = now - 11s;
  CAF_CHECK_EQUAL(
      check(snap).reasons,
      reasons({"execution notice H0STCNI0:hts01 not subscribed on s1"}));
  snap.slots.back().state = slot_state::active;
  CAF_CHECK(check(snap).ok);
}

CAF_TEST(an unsubscribed holding is a reason after its grace) {
  auto snap = healthy();
  snap.slots[1].state = slot_state::requested;
  snap.slots[1].since = now - 10s; // just replayed
  CAF_CHECK(check(snap).ok);
  snap.slots[1].since = now - 11s;
  CAF_CHECK_EQUAL(check(snap).reasons,
                  reasons({"holding H0STCNT0:000660 not subscribed on s1"}));
  snap.slots[1].session = no_session;
  CAF_CHECK_EQUAL(
      check(snap).reasons,
      reasons({"holding H0STCNT0:000660 not subscribed (no room)"}));
  // A pick without a slot is not what /healthz promises.
  snap = healthy();
  snap.slots[2].state = slot_state::requested;
  snap.slots[2].since = now - 1h;
  CAF_CHECK(check(snap).ok);
}

CAF_TEST(a holding that changes state while off the air keeps its time off) {
  // The soak found /healthz ok while a holding cycled placed -> refused
  // (OPSP0008) -> placed for minutes: each state was young, the holding was
  // off the air all along.
  auto snap = healthy();
  off_air_map off;
  auto at = [&](mono_time t, slot_state st) {
    snap.slots[1].state = st;
    snap.slots[1].since = t;
    return assess_health(snap, polled_ok(), t + 1s, health_settings{}, {},
                         &off);
  };
  CAF_CHECK(at(now - 30s, slot_state::pending).ok);
  CAF_CHECK(at(now - 25s, slot_state::requested).ok);
  CAF_CHECK(at(now - 22s, slot_state::pending).ok);
  // 11 s off the air in young states: a reason, whatever the state.
  CAF_CHECK_EQUAL(at(now - 20s, slot_state::pending).reasons,
                  reasons({"holding H0STCNT0:000660 not active on s1"}));
  CAF_CHECK_EQUAL(at(now - 19s, slot_state::requested).reasons,
                  reasons({"holding H0STCNT0:000660 not subscribed on s1"}));
  // Without the memory the young state alone looks fine.
  CAF_CHECK(assess_health(snap, polled_ok(), now - 18s, health_settings{}).ok);
  // Active again: forgotten, and the next time off counts from zero.
  CAF_CHECK(at(now - 18s, slot_state::active).ok);
  CAF_CHECK(off.empty());
  CAF_CHECK(at(now - 10s, slot_state::pending).ok);
  // Moving between sessions (releasing here, requested there) is off the
  // air too.
  CAF_CHECK(at(now - 5s, slot_state::releasing).ok);
  CAF_CHECK_EQUAL(at(now + 5s, slot_state::releasing).reasons,
                  reasons({"holding H0STCNT0:000660 not active on s1"}));
  // A holding that is gone (sold) is dropped from the memory.
  snap.slots.erase(snap.slots.begin() + 1);
  CAF_CHECK(
      assess_health(snap, polled_ok(), now, health_settings{}, {}, &off).ok);
  CAF_CHECK(off.empty());
}

CAF_TEST(a key waiting past its answer deadline is a reason) {
  auto snap = healthy();
  snap.slots[2].state = slot_state::pending;
  snap.slots[2].since = now - 10s;
  CAF_CHECK(check(snap).ok);
  snap.slots[2].since = now - 10s - 1ms;
  CAF_CHECK_EQUAL(check(snap).reasons,
                  reasons({"key H0STCNT0:035420 on s2 pending past the answer "
                           "timeout (10 s)"}));
  snap.slots[2].state = slot_state::releasing;
  CAF_CHECK_EQUAL(check(snap).reasons,
                  reasons({"key H0STCNT0:035420 on s2 releasing past the "
                           "answer timeout (10 s)"}));
  // The deadline is a setting; a pending holding is reported once.
  health_settings s;
  s.answer_timeout = 2500ms;
  snap = healthy();
  snap.slots[0].state = slot_state::pending;
  snap.slots[0].since = now - 3s;
  CAF_CHECK_EQUAL(assess_health(snap, polled_ok(), now, s).reasons,
                  reasons({"key H0STCNT0:005930 on s1 pending past the answer "
                           "timeout (2.5 s)"}));
}

CAF_TEST(the balance poll must have succeeded) {
  auto p = polled_ok();
  p.status.last_poll_ok = false;
  p.status.failures = 2;
  p.status.last_error = R"(inquire-balance: EGW00121 "token")";
  auto r = check(healthy(), p);
  CAF_CHECK_EQUAL(
      r.reasons,
      reasons({R"(balance poll failed: inquire-balance: EGW00121 "token")"}));
  // The body stays JSON with a quote in a reason.
  auto v = boost::json::parse(health_json(r));
  CAF_CHECK_EQUAL(v.at("reasons").as_array().size(), 1u);
  CAF_CHECK_EQUAL(v.at("status").as_string(), "degraded");
  // Before the first answer: holdings are not known yet.
  p = polled_ok();
  p.status.last_poll_ok = false;
  p.status.polling = true;
  CAF_CHECK_EQUAL(check(healthy(), p).reasons,
                  reasons({"balance not polled yet"}));
  // Snapshots only by message (no source): nothing to poll.
  p = portfolio_health{};
  p.answered = true;
  CAF_CHECK(check(healthy(), p).ok);
  // portfolio_sync gone or stuck.
  CAF_CHECK_EQUAL(check(healthy(), portfolio_health{}).reasons,
                  reasons({"portfolio_sync did not answer"}));
}

CAF_TEST(reasons add up) {
  auto snap = healthy();
  snap.sessions[0].up = false;
  snap.slots[0].state = slot_state::rejected;
  auto p = polled_ok();
  p.status.last_poll_ok = false;
  p.status.failures = 1;
  p.status.last_error = "timeout";
  CAF_CHECK_EQUAL(
      check(snap, p).reasons,
      reasons({"session s1 down", "holding H0STCNT0:005930 rejected on s1",
               "balance poll failed: timeout"}));
}

CAF_TEST(the log notes changes only) {
  health_log log;
  bool degraded = true;
  auto ok = check(healthy());
  CAF_CHECK(!log.note(ok, degraded)); // starting healthy: nothing to say
  CAF_CHECK(!degraded);
  auto snap = healthy();
  snap.sessions[1].up = false;
  auto bad = check(snap);
  auto line = log.note(bad, degraded);
  CAF_REQUIRE(line);
  CAF_CHECK_EQUAL(*line, "health: degraded: session s2 down");
  CAF_CHECK(degraded);
  CAF_CHECK(!log.note(bad, degraded)); // every request: no new line
  snap.slots[0].state = slot_state::rejected;
  CAF_CHECK(log.note(check(snap), degraded)); // another reason
  line = log.note(ok, degraded);
  CAF_REQUIRE(line);
  CAF_CHECK_EQUAL(*line, "health: ok again");
  CAF_CHECK(!degraded);
}

CAF_TEST(the calendar is a field of the body and not a reason) {
  auto r = check(healthy());
  calendar_status cal{20251225, true, true, "weekdays", "chk-holiday: EGW00201",
                      2};
  CAF_CHECK(r.ok);
  CAF_CHECK_EQUAL(health_json(r, &cal),
                  R"({"status":"ok","reasons":[],"sessions":2,"sessions_up":2,)"
                  R"("calendar":{"today":"20251225","trading_day":true,)"
                  R"("source":"weekdays","fallback":true,"failures":2,)"
                  R"("error":"chk-holiday: EGW00201"}})");
}
