// SPDX-License-Identifier: Apache-2.0
// Every real-time TR of the layout table is fed: frames exactly as wide as
// the layout, decoded by the project's codec, plausible values per family,
// trading hours on the simulated clock, and GET /feeds.
#define CAF_SUITE sim.feeds
#include <caf/test/unit_test.hpp>

#include <map>
#include <set>

#include "net/kis/decoder.hpp"
#include "net/kis/frame.hpp"
#include "net/kis/layout.hpp"
#include "net/kis/records.hpp"
#include "sim/feeds.hpp"
#include "sim/market.hpp"
#include "tests/sim/client.hpp"

using namespace kisrt::sim;
using namespace kisrt::sim::test;
namespace kis = kisrt::kis;
using st = ws_client::status;

namespace {

constexpr int hm(int h, int m) {
  return h * 3600 + m * 60;
}

std::vector<const kis::tr_layout*> data_layouts() {
  std::vector<const kis::tr_layout*> out;
  for (auto* l = kis::layouts_begin(); l != kis::layouts_end(); ++l)
    if (!l->encrypted)
      out.push_back(l);
  return out;
}

// Records built in-process for `tr_id` and `key` (no sockets).
struct built {
  market m{42, 20250102, hm(10, 0)};
  std::string payload;
  kis::frame f;
  kis::record_batch batch;

  kis::record_view one(std::string_view tr_id, std::string_view key, int kst,
                       std::size_t n = 1) {
    auto* l = kis::find_layout(tr_id);
    CAF_REQUIRE(l != nullptr);
    auto* s = m.find(key);
    auto in = make_instrument(tr_id, key, 42, s, nullptr);
    payload.clear();
    for (std::size_t i = 0; i < n; ++i) {
      step(in, kst);
      m.append_generic(*l, in, kst, payload);
    }
    f.tr_id = tr_id;
    f.count = n;
    CAF_REQUIRE(!batch.assign(f, payload, l));
    CAF_REQUIRE_EQUAL(batch.width(), l->width);
    return batch[n - 1];
  }
};

double number(std::string_view s) {
  return std::stod(std::string{s});
}

bool has_decimals(std::string_view s, std::size_t n) {
  auto dot = s.find('.');
  return dot != std::string_view::npos && s.size() - dot - 1 == n;
}

// The field naming the key, when the layout has one.
std::string_view key_field(const kis::record_view& r) {
  for (auto name :
       {"MKSC_SHRN_ISCD", "FUTS_SHRN_ISCD", "OPTN_SHRN_ISCD", "STND_ISCD",
        "BSTP_CLS_CODE", "NMIX_ID", "SERIES_CD", "RSYM"})
    if (r.layout()->index_of(name) >= 0)
      return r.field(name);
  return "<none>";
}

// The typed records of the core TRs decode too.
bool typed_ok(std::string_view tr_id, const kis::record_view& r) {
  auto tail = tr_id.substr(4);
  auto p = tr_id.substr(0, 4);
  bool domestic = p == "H0ST" || p == "H0NX" || p == "H0UN";
  if (domestic && tail == "CNT0") {
    kis::trade t;
    return !kis::decode(r, t) && t.price > 0;
  }
  if (tr_id == "H0STASP0") {
    kis::order_book b;
    return !kis::decode(r, b);
  }
  if (tr_id == "H0STANC0") {
    kis::expected_trade x;
    return !kis::decode(r, x);
  }
  if (tr_id == "H0STPGM0") {
    kis::program_trade x;
    return !kis::decode(r, x);
  }
  if (tr_id == "H0STMKO0") {
    kis::market_status x;
    return !kis::decode(r, x);
  }
  if (tr_id == "HDFSCNT0") {
    kis::overseas_trade x;
    return !kis::decode(r, x);
  }
  if (tr_id == "HDFSASP0" || tr_id == "HDFSASP1") {
    kis::overseas_book x;
    return !kis::decode(r, x);
  }
  return true;
}

} // namespace

CAF_TEST(every TR has hours a key and a layout wide record) {
  built b;
  for (auto* l : data_layouts()) {
    CAF_MESSAGE(l->tr_id);
    auto key = sample_key(l->tr_id);
    CAF_REQUIRE(!key.empty());
    CAF_CHECK(key_form_error(l->tr_id, key).empty());
    bool some_hour = false;
    int at = 0;
    for (int k = 0; k < 86400 && !some_hour; k += 60)
      if (feed_live(l->tr_id, k)) {
        some_hour = true;
        at = k;
      }
    CAF_REQUIRE(some_hour);
    auto r = b.one(l->tr_id, key, at, 3);
    CAF_CHECK_EQUAL(r.size(), l->width);
    CAF_CHECK_EQUAL(r.extra_count(), 0u);
    if (l->tr_id != "H0UNMKO0") { // its layout has no key field
      CAF_CHECK_EQUAL(key_field(r), key);
    }
    CAF_CHECK(typed_ok(l->tr_id, r));
  }
  // Notices keep their own flow.
  CAF_CHECK(sample_key("H0STCNI0").empty());
  CAF_CHECK(!feed_live("H0STCNI0", hm(10, 0)));
  CAF_CHECK(!feed_live("H0XXXXX0", hm(10, 0)));
}

CAF_TEST(values fit their family) {
  built b;
  // Index levels with two decimals.
  auto idx = b.one("H0UPCNT0", "0001", hm(10, 0), 5);
  CAF_CHECK(has_decimals(idx.field("PRPR_NMIX"), 2));
  CAF_CHECK(number(idx.field("PRPR_NMIX")) > 1000);
  CAF_CHECK(number(idx.field("PRPR_NMIX")) < 5000);
  CAF_CHECK_EQUAL(idx.field("BSOP_HOUR"), "100000");
  CAF_CHECK(number(idx.field("NMIX_LWPR")) <= number(idx.field("PRPR_NMIX")));
  CAF_CHECK(number(idx.field("NMIX_HGPR")) >= number(idx.field("PRPR_NMIX")));
  // Index futures: points with decimals on a 0.05 grid, book around them.
  auto fut = b.one("H0IFCNT0", "101W12", hm(10, 0), 5);
  CAF_CHECK(has_decimals(fut.field("FUTS_PRPR"), 2));
  auto px = number(fut.field("FUTS_PRPR"));
  CAF_CHECK(px > 200 && px < 500);
  auto cents = static_cast<long>(px * 100 + 0.5);
  CAF_CHECK_EQUAL(cents % 5, 0);
  CAF_CHECK(number(fut.field("FUTS_ASKP1")) > px);
  CAF_CHECK(number(fut.field("FUTS_BIDP1")) <= px);
  auto book = b.one("H0IFASP0", "101W12", hm(10, 0));
  CAF_CHECK(number(book.field("FUTS_ASKP2"))
            > number(book.field("FUTS_ASKP1")));
  CAF_CHECK(number(book.field("FUTS_BIDP2"))
            < number(book.field("FUTS_BIDP1")));
  std::int64_t sum = 0;
  for (int i = 1; i <= 5; ++i)
    sum += std::stoll(std::string{book.field("ASKP_RSQN" + std::to_string(i))});
  CAF_CHECK(sum > 0);
  // Options cost a few points.
  auto opt = b.one("H0IOCNT0", "201W12350", hm(10, 0));
  CAF_CHECK(has_decimals(opt.field("OPTN_PRPR"), 2));
  CAF_CHECK(number(opt.field("OPTN_PRPR")) < 20);
  // ETF NAV near the ETF's price, with decimals.
  auto* etf = b.m.find("069500");
  CAF_REQUIRE(etf != nullptr);
  auto nav = b.one("H0STNAV0", "069500", hm(10, 0));
  CAF_CHECK(has_decimals(nav.field("NAV"), 2));
  auto ratio = number(nav.field("NAV")) / static_cast<double>(etf->last);
  CAF_CHECK(ratio > 0.99 && ratio < 1.01);
  // Overseas quotes follow the exchange's decimals.
  auto us = b.one("HDFSASP0", "DNASAAPL", hm(10, 0));
  CAF_CHECK_EQUAL(us.field("ZDIV"), "4");
  CAF_CHECK(has_decimals(us.field("PASK1"), 4));
  CAF_CHECK_EQUAL(us.field("SYMB"), "AAPL");
  auto hk = b.one("HDFSASP1", "DHKS00700", hm(10, 0));
  CAF_CHECK_EQUAL(hk.field("ZDIV"), "3");
  CAF_CHECK(has_decimals(hk.field("PASK1"), 3));
}

CAF_TEST(NXT and combined books and expected trades have their own widths) {
  built b;
  auto* s = b.m.find("005930");
  CAF_REQUIRE(s != nullptr);
  for (auto tr : {"H0STASP0", "H0NXASP0", "H0UNASP0"}) {
    auto* l = kis::find_layout(tr);
    b.payload.clear();
    b.m.append_book(*s, hm(10, 0), b.payload, l);
    b.m.append_book(*s, hm(10, 0), b.payload, l);
    b.f.tr_id = tr;
    b.f.count = 2;
    CAF_REQUIRE(!b.batch.assign(b.f, b.payload, l));
    CAF_CHECK_EQUAL(b.batch.width(), l->width);
    kis::order_book ob;
    CAF_CHECK(!kis::decode(b.batch[1], ob));
    CAF_CHECK(ob.asks[0].price > ob.bids[0].price);
  }
  CAF_CHECK_EQUAL(kis::find_layout("H0NXASP0")->width, 65u);
  for (auto tr : {"H0STANC0", "H0NXANC0", "H0UNANC0"}) {
    auto* l = kis::find_layout(tr);
    b.payload.clear();
    b.m.append_expected(*s, hm(8, 50), b.payload, l);
    b.f.tr_id = tr;
    b.f.count = 1;
    CAF_REQUIRE(!b.batch.assign(b.f, b.payload, l));
    CAF_CHECK_EQUAL(b.batch.width(), l->width);
  }
}

CAF_TEST(trading hours follow the simulated clock) {
  CAF_CHECK(feed_live("H0STCNT0", hm(10, 0)));
  CAF_CHECK(!feed_live("H0STCNT0", hm(16, 30)));
  // After-hours single-price trading.
  CAF_CHECK(feed_live("H0STOUP0", hm(16, 30)));
  CAF_CHECK(!feed_live("H0STOUP0", hm(10, 0)));
  CAF_CHECK(!feed_live("H0STOUP0", hm(18, 30)));
  // NXT's after-market, KRX closed.
  CAF_CHECK(feed_live("H0NXCNT0", hm(17, 0)));
  CAF_CHECK(!feed_live("H0STCNT0", hm(17, 0)));
  // Derivatives by day and the night session.
  CAF_CHECK(feed_live("H0IFCNT0", hm(8, 50)));
  CAF_CHECK(!feed_live("H0IFCNT0", hm(19, 0)));
  CAF_CHECK(feed_live("H0MFCNT0", hm(19, 0)));
  CAF_CHECK(feed_live("H0MFCNT0", hm(2, 0)));
  CAF_CHECK(!feed_live("H0MFCNT0", hm(10, 0)));
  CAF_CHECK(feed_live("H0EUASP0", hm(23, 59)));
  // Index and expected prices.
  CAF_CHECK(feed_live("H0UPCNT0", hm(10, 0)));
  CAF_CHECK(feed_live("H0UPANC0", hm(8, 45)));
  CAF_CHECK(!feed_live("H0UPANC0", hm(10, 0)));
  // Overseas at all hours.
  CAF_CHECK(feed_live("HDFSCNT0", hm(3, 0)));
}

CAF_TEST(every TR of the layout table streams over the socket) {
  auto o = default_options();
  o.rate = 5000;
  o.batch_max = 5;
  o.cap = 200;
  o.pingpong_timeout = std::chrono::milliseconds{0};
  sim_env e{o};
  auto ak = e.approval("APPKEY1", "SECRET1");
  ws_client c;
  CAF_REQUIRE(c.connect(e.p.ws));
  auto ask = [&](const std::string& frame) {
    c.send(frame);
    std::string out;
    return c.read_control(out) == st::ok ? msg_cd(out) : "<no answer>";
  };
  // Walk the day from 10:00: each TR joins at the first minute it trades.
  std::map<int, std::vector<const kis::tr_layout*>> phases;
  for (auto* l : data_layouts()) {
    int m = 0;
    while (m < 1440 && !feed_live(l->tr_id, (hm(10, 0) + m * 60) % 86400))
      ++m;
    CAF_REQUIRE_LESS(m, 1440);
    phases[m].push_back(l);
  }
  kis::frame_decoder dec;
  std::map<std::string, std::size_t> records, batched;
  std::size_t bad = 0, wrong_width = 0, wrong_key = 0, untyped = 0;
  int now = 0;
  std::set<std::string> all;
  for (auto& [minute, trs] : phases) {
    e.sim->advance_time(std::chrono::minutes(minute - now));
    now = minute;
    std::map<std::string, std::string> key_of;
    for (auto* l : trs) {
      auto key = sample_key(l->tr_id);
      key_of[std::string{l->tr_id}] = key;
      all.insert(std::string{l->tr_id});
      CAF_REQUIRE_EQUAL(ask(e.sub(ak, std::string{l->tr_id}, key)), "OPSP0000");
    }
    auto missing = [&] {
      for (auto& [tr, key] : key_of)
        if (records[tr] < 2)
          return true;
      return false;
    };
    std::string out;
    for (int round = 0; round < 50 && missing(); ++round) {
      e.sim->advance_time(std::chrono::milliseconds(100));
      while (missing() && c.read(out, 2000ms) == st::ok) {
        if (kis::classify(out) != kis::message_kind::data)
          continue;
        if (dec.decode(out)) {
          ++bad;
          continue;
        }
        auto tr = std::string{dec.header().tr_id};
        auto* l = dec.layout();
        if (l == nullptr || dec.records().width() != l->width) {
          ++wrong_width;
          continue;
        }
        records[tr] += dec.records().size();
        if (dec.header().count > 1)
          ++batched[tr];
        for (std::size_t i = 0; i < dec.records().size(); ++i) {
          auto r = dec.records()[i];
          if (key_of.count(tr) != 0 && tr != "H0UNMKO0"
              && key_field(r) != key_of[tr])
            ++wrong_key;
          if (!typed_ok(tr, r))
            ++untyped;
        }
      }
    }
    for (auto& [tr, key] : key_of) {
      CAF_MESSAGE(tr << " " << key << ": " << records[tr] << " records");
      CAF_CHECK_GREATER_OR_EQUAL(records[tr], 2u);
    }
    for (auto& [tr, key] : key_of)
      CAF_CHECK_EQUAL(ask(e.sub(ak, tr, key, false)), "OPSP0001");
  }
  CAF_CHECK_EQUAL(bad, 0u);
  CAF_CHECK_EQUAL(wrong_width, 0u);
  CAF_CHECK_EQUAL(wrong_key, 0u);
  CAF_CHECK_EQUAL(untyped, 0u);
  CAF_CHECK_EQUAL(all.size(), data_layouts().size());
  // Busy feeds come batched, the generic ones too.
  CAF_CHECK_GREATER(batched["H0UPCNT0"], 0u);
  CAF_CHECK_GREATER(batched["H0IFASP0"], 0u);
}

CAF_TEST(GET feeds lists the keys fed per TR id) {
  auto o = default_options();
  sim_env e{o};
  auto ak = e.approval("APPKEY1", "SECRET1");
  ws_client c;
  CAF_REQUIRE(c.connect(e.p.ws));
  auto ask = [&](const std::string& frame) {
    c.send(frame);
    std::string out;
    return c.read_control(out) == st::ok ? msg_cd(out) : "<no answer>";
  };
  auto feeds = [&] {
    auto r = e.admin().request("GET", "/feeds");
    CAF_CHECK_EQUAL(r.status, 200);
    return r.body;
  };
  CAF_CHECK_EQUAL(feeds(), "{}");
  CAF_CHECK_EQUAL(ask(e.sub(ak, "H0UPCNT0", "1001")), "OPSP0000");
  CAF_CHECK_EQUAL(ask(e.sub(ak, "H0UPCNT0", "0001")), "OPSP0000");
  CAF_CHECK_EQUAL(ask(e.sub(ak, "H0IFCNT0", "101W12")), "OPSP0000");
  CAF_CHECK_EQUAL(ask(e.sub(ak, "H0STCNT0", "005930")), "OPSP0000");
  // The notice is no feed; keys of the wrong form are refused.
  CAF_CHECK_EQUAL(ask(e.sub(ak, "H0STCNI0", "user1")), "OPSP0000");
  CAF_CHECK_EQUAL(ask(e.sub(ak, "H0UPCNT0", "01")), "OPSP8992");
  CAF_CHECK_EQUAL(ask(e.sub(ak, "H0IFCNT0", "X01W12")), "OPSP8992");
  CAF_CHECK_EQUAL(feeds(), R"({"H0IFCNT0":["101W12"],)"
                           R"("H0STCNT0":["005930"],)"
                           R"("H0UPCNT0":["0001","1001"]})");
  CAF_CHECK_EQUAL(ask(e.sub(ak, "H0UPCNT0", "1001", false)), "OPSP0001");
  CAF_CHECK_EQUAL(feeds(), R"({"H0IFCNT0":["101W12"],)"
                           R"("H0STCNT0":["005930"],)"
                           R"("H0UPCNT0":["0001"]})");
  CAF_CHECK_EQUAL(e.admin().request("POST", "/feeds").status, 405);
  c.close();
  CAF_REQUIRE(e.wait_sessions(0));
  CAF_CHECK_EQUAL(feeds(), "{}");
}
