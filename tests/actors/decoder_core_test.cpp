// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE gateway.decoder_core
#include <caf/test/unit_test.hpp>

#include <fstream>
#include <iterator>
#include <map>
#include <vector>

#include "actors/decoder_core.hpp"
#include "net/kis/encode.hpp"
#include "net/kis/layout.hpp"
#include "net/kis/requests.hpp"

using namespace kisrt;

namespace {

struct collector {
  std::vector<sub_ack> acks;
  std::vector<trade_event> trades;
  std::vector<notice_event> notices;
  std::vector<book_event> books;
  std::vector<fields_event> fields;
  std::vector<std::string> errors;
  std::vector<std::string> session_errors;

  void operator()(sub_ack&& x) { acks.push_back(std::move(x)); }
  void operator()(trade_event&& x) { trades.push_back(std::move(x)); }
  void operator()(notice_event&& x) { notices.push_back(std::move(x)); }
  void operator()(book_event&& x) { books.push_back(std::move(x)); }
  void operator()(fields_event&& x) { fields.push_back(std::move(x)); }
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

// A record of H0UPANC0 (index expected trade, 30 fields, no typed record)
// for index `code`, with `extra` fields beyond the layout.
std::string index_payload(const std::string& code, int level, int extra = 0) {
  auto* layout = kis::find_layout("H0UPANC0");
  std::vector<std::string> f(layout->width + extra, "0");
  f[0] = code;
  f[1] = "090102";
  f[2] = std::to_string(level);
  for (int i = 0; i < extra; ++i)
    f[layout->width + i] = "x" + std::to_string(i);
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

CAF_TEST(every listed TR has a layout and dispatches to its event) {
  std::size_t listed = 0;
  auto check = [&](market_event_kind kind, std::string_view trs) {
    while (!trs.empty()) {
      auto end = trs.find(' ');
      auto tr = trs.substr(0, end);
      CAF_MESSAGE("listed: " << tr << " -> " << to_string(kind));
      CAF_CHECK(kis::find_layout(tr) != nullptr);
      CAF_CHECK(event_kind_of(tr) == kind);
      ++listed;
      trs.remove_prefix(end == std::string_view::npos ? trs.size() : end + 1);
    }
  };
#define CHECK_LISTED(event, record, key, critical, json, trs)                  \
  check(market_event_kind::event, trs);
  KISRT_MARKET_EVENTS(CHECK_LISTED)
#undef CHECK_LISTED
  CAF_CHECK_GREATER_OR_EQUAL(listed, 14u);
  // Every other TR with a layout is generic; no layout: no event.
  std::size_t generic = 0;
  for (auto* l = kis::layouts_begin(); l != kis::layouts_end(); ++l)
    if (event_kind_of(l) == market_event_kind::fields_event)
      ++generic;
  CAF_CHECK_EQUAL(
      generic + listed,
      static_cast<std::size_t>(kis::layouts_end() - kis::layouts_begin()));
  CAF_CHECK(event_kind_of("H0STCNT0") == market_event_kind::trade_event);
  CAF_CHECK(event_kind_of("H0UPANC0") == market_event_kind::fields_event);
  CAF_CHECK(event_kind_of("H0XXXXX0") == market_event_kind::none);
}

CAF_TEST(a TR without a typed record arrives as fields events) {
  decoder_core dec;
  collector out;
  // A batch of three records, one field beyond the layout each.
  auto payload = index_payload("0001", 265012, 1) + "^"
                 + index_payload("1001", 84210, 1) + "^"
                 + index_payload("2001", 35001, 1);
  dec.decode(2, 1, kis::encode_frame("H0UPANC0", 3, payload), out);
  CAF_CHECK(out.errors.empty());
  CAF_REQUIRE_EQUAL(out.fields.size(), 3u);
  auto* layout = kis::find_layout("H0UPANC0");
  auto& ev = out.fields[1];
  CAF_CHECK_EQUAL(ev.session, 2u);
  CAF_CHECK_EQUAL(ev.tr_id, "H0UPANC0");
  CAF_CHECK_EQUAL(ev.data.key, "1001");
  CAF_CHECK_EQUAL(key_of(ev), "1001");
  CAF_CHECK_EQUAL(ev.data.size(), layout->width + 1);
  CAF_CHECK_EQUAL(ev.data.value(1), "090102");
  CAF_CHECK_EQUAL(ev.data.value(2), "84210");
  CAF_CHECK_EQUAL(ev.data.value(layout, "BSOP_HOUR"), "090102");
  CAF_CHECK_EQUAL(ev.data.value(layout->width), "x0"); // the extra field
  CAF_CHECK_EQUAL(out.fields[0].data.key, "0001");
  CAF_CHECK_EQUAL(out.fields[2].data.key, "2001");
  // Names in layout order, then EXTRA1.
  std::vector<std::string> names;
  kis::for_each_field(ev.data, layout,
                      [&](std::string_view name, std::string_view) {
                        names.emplace_back(name);
                      });
  CAF_REQUIRE_EQUAL(names.size(), layout->width + 1);
  CAF_CHECK_EQUAL(names[0], "BSTP_CLS_CODE");
  CAF_CHECK_EQUAL(names[1], "BSOP_HOUR");
  CAF_CHECK_EQUAL(names.back(), "EXTRA1");
  CAF_CHECK_EQUAL(dec.stats().records, 3u);
  // A short record is refused as for typed TRs.
  auto short_rec = index_payload("0001", 1);
  short_rec.erase(short_rec.rfind('^'));
  dec.decode(2, 1, kis::encode_frame("H0UPANC0", 1, short_rec), out);
  CAF_CHECK_EQUAL(out.fields.size(), 3u);
  CAF_CHECK_EQUAL(out.errors.size(), 1u);
  // A TR without a layout decodes, but has no event.
  dec.decode(2, 1, "0|H0XXXXX0|1|a^b^c", out);
  CAF_CHECK_EQUAL(out.fields.size(), 3u);
  CAF_CHECK_EQUAL(out.errors.size(), 1u);
  CAF_CHECK_EQUAL(dec.stats().frames, 2u);
}

CAF_TEST(a generic TR without a key field has an empty key) {
  // H0UNMKO0 carries no symbol: its events have an empty key.
  decoder_core dec;
  collector out;
  auto* layout = kis::find_layout("H0UNMKO0");
  CAF_REQUIRE(layout != nullptr);
  CAF_CHECK_EQUAL(kis::generic_key_index(*layout), -1);
  std::vector<std::string> f(layout->width, "N");
  std::string payload;
  kis::append_record(payload, f);
  dec.decode(1, 1, kis::encode_frame("H0UNMKO0", 1, payload), out);
  CAF_REQUIRE_EQUAL(out.fields.size(), 1u);
  CAF_CHECK_EQUAL(out.fields[0].data.key, "");
  // H0STNAV0's key is MKSC_SHRN_ISCD, its fifth field.
  CAF_CHECK_EQUAL(kis::generic_key_index(*kis::find_layout("H0STNAV0")), 4);
}

CAF_TEST(docs / codec.md lists which TRs are typed and which generic) {
  std::string want = "| TR | description | event |\n|---|---|---|\n";
  for (auto* l = kis::layouts_begin(); l != kis::layouts_end(); ++l) {
    want += "| ";
    want += l->tr_id;
    want += " | ";
    want += l->description;
    want += " | `";
    want += to_string(event_kind_of(l));
    want += "` |\n";
  }
  std::ifstream in{KISRT_SOURCE_DIR "/docs/codec.md"};
  std::string doc{std::istreambuf_iterator<char>{in},
                  std::istreambuf_iterator<char>{}};
  const std::string begin = "<!-- tr-events:begin -->\n";
  auto a = doc.find(begin);
  auto b = doc.find("<!-- tr-events:end -->");
  CAF_REQUIRE(a != std::string::npos && b != std::string::npos && a < b);
  auto have = doc.substr(a + begin.size(), b - a - begin.size());
  if (have != want)
    CAF_FAIL("docs/codec.md: the table between the tr-events markers "
             "should be:\n"
             << want);
}
