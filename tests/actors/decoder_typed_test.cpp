// SPDX-License-Identifier: Apache-2.0
// The decoder delivers the typed TRs beyond the core ones (NXT and combined
// books, index, index futures and options, ETF NAV) as their typed events,
// never as the generic one.
#define CAF_SUITE gateway.decoder_typed
#include <caf/test/unit_test.hpp>

#include <string>
#include <vector>

#include "actors/decoder_core.hpp"
#include "tests/net/kis/test_frames.hpp"

using namespace kisrt;

namespace {

struct collector {
  std::vector<book_event> books;
  std::vector<index_event> indices;
  std::vector<futures_trade_event> futures;
  std::vector<option_trade_event> options;
  std::vector<derivative_book_event> derivative_books;
  std::vector<nav_event> navs;
  std::vector<fields_event> fields;
  std::vector<std::string> errors;

  void operator()(book_event&& x) { books.push_back(std::move(x)); }
  void operator()(index_event&& x) { indices.push_back(std::move(x)); }
  void operator()(futures_trade_event&& x) { futures.push_back(std::move(x)); }
  void operator()(option_trade_event&& x) { options.push_back(std::move(x)); }
  void operator()(derivative_book_event&& x) {
    derivative_books.push_back(std::move(x));
  }
  void operator()(nav_event&& x) { navs.push_back(std::move(x)); }
  void operator()(fields_event&& x) { fields.push_back(std::move(x)); }
  template <class T>
  void operator()(T&&) {
    // other event types are not used here
  }
  void bad(session_id, const kis::codec_error& err, std::string_view) {
    errors.push_back(err.to_string());
  }
  void session_error(session_id, const kis::control_message&) {
    // nop
  }
};

// A frame of `tr_id` with three records made by `make` (keys 000001..3),
// each with two fields beyond the layout.
template <class Make>
std::string three(std::string_view tr_id, Make make) {
  std::vector<std::vector<std::string>> records;
  for (int i = 0; i < 3; ++i)
    records.push_back(make(std::to_string(1000000 + i + 1).substr(1), i));
  return test::layout_frame(tr_id, records, 2);
}

} // namespace

CAF_TEST(the new typed TRs arrive as their typed events) {
  decoder_core dec;
  collector out;
  for (auto tr : {"H0NXASP0", "H0UNASP0"})
    dec.decode(1, 1,
               three(tr, [tr](const std::string& s,
                              int i) { return test::book_fields(tr, s, i); }),
               out);
  dec.decode(1, 1, three("H0UPCNT0", test::index_fields), out);
  dec.decode(1, 1, three("H0IFCNT0", test::futures_fields), out);
  dec.decode(1, 1, three("H0IOCNT0", test::option_fields), out);
  for (auto tr : {"H0IFASP0", "H0IOASP0"})
    dec.decode(2, 1,
               three(tr,
                     [tr](const std::string& s, int i) {
                       return test::derivative_book_fields(tr, s, i);
                     }),
               out);
  dec.decode(1, 1, three("H0STNAV0", test::nav_fields), out);
  CAF_CHECK_EQUAL(out.errors, std::vector<std::string>{});
  CAF_CHECK_EQUAL(out.fields.size(), 0u);
  CAF_REQUIRE_EQUAL(out.books.size(), 6u);
  CAF_CHECK_EQUAL(out.books[0].tr_id, "H0NXASP0");
  CAF_CHECK_EQUAL(out.books[3].tr_id, "H0UNASP0");
  CAF_CHECK_EQUAL(key_of(out.books[5]), "000003");
  CAF_CHECK_EQUAL(out.books[5].data.nxt_mid.price, 71250);
  CAF_REQUIRE_EQUAL(out.indices.size(), 3u);
  CAF_CHECK_EQUAL(out.indices[1].tr_id, "H0UPCNT0");
  CAF_CHECK_EQUAL(key_of(out.indices[1]), "000002");
  CAF_CHECK_EQUAL(out.indices[1].data.level.raw, 26513500);
  CAF_REQUIRE_EQUAL(out.futures.size(), 3u);
  CAF_CHECK_EQUAL(key_of(out.futures[2]), "000003");
  CAF_CHECK_EQUAL(out.futures[2].data.price.raw, 3673700);
  CAF_REQUIRE_EQUAL(out.options.size(), 3u);
  CAF_CHECK_EQUAL(out.options[0].data.delta, 0.41234);
  CAF_REQUIRE_EQUAL(out.derivative_books.size(), 6u);
  CAF_CHECK_EQUAL(out.derivative_books[4].tr_id, "H0IOASP0");
  CAF_CHECK_EQUAL(out.derivative_books[4].session, 2u);
  CAF_CHECK_EQUAL(out.derivative_books[4].data.bids[0].count, 11);
  CAF_REQUIRE_EQUAL(out.navs.size(), 3u);
  CAF_CHECK_EQUAL(key_of(out.navs[0]), "000001");
  CAF_CHECK_EQUAL(out.navs[0].data.nav.raw, 351234500);
  CAF_CHECK_EQUAL(dec.stats().records, 24u);
}

CAF_TEST(a bad record of a typed TR is reported and the others delivered) {
  decoder_core dec;
  collector out;
  std::vector<std::vector<std::string>> records;
  for (int i = 0; i < 3; ++i)
    records.push_back(test::futures_fields("101W0" + std::to_string(i), i));
  auto price = static_cast<std::size_t>(
      kis::find_layout("H0IFCNT0")->index_of("FUTS_PRPR"));
  records[1][price] = "36x.35";
  dec.decode(1, 1, test::layout_frame("H0IFCNT0", records), out);
  CAF_REQUIRE_EQUAL(out.errors.size(), 1u);
  CAF_CHECK(out.errors[0].find("FUTS_PRPR") != std::string::npos);
  CAF_REQUIRE_EQUAL(out.futures.size(), 2u);
  CAF_CHECK_EQUAL(out.futures[1].data.symbol, "101W02");
  CAF_CHECK_EQUAL(out.fields.size(), 0u);
}
