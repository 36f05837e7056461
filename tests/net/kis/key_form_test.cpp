// SPDX-License-Identifier: Apache-2.0
// The one key-form check: every TR with a layout has a key family, KIS's
// sample keys pass, and wrong forms are refused with a text that names
// the TR, the key and the expected form.
#define CAF_SUITE net.key_form
#include <caf/test/unit_test.hpp>

#include <string>

#include "net/kis/key_form.hpp"
#include "net/kis/layout.hpp"

using namespace kisrt::kis;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace

CAF_TEST(every layout has a key family whose example passes) {
  std::size_t n = 0;
  for (auto* l = layouts_begin(); l != layouts_end(); ++l) {
    key_kind kind{};
    CAF_REQUIRE(key_kind_of(l->tr_id, kind));
    CAF_CHECK_EQUAL(check_key(l->tr_id, key_example(kind)), "");
    // A key of no family's form is refused for every TR.
    auto why = check_key(l->tr_id, "bad key\n");
    CAF_CHECK(has(why, std::string{l->tr_id}));
    CAF_CHECK(has(why, "'bad key\\x0a'"));
    CAF_CHECK(!key_form_text(kind).empty());
    ++n;
  }
  CAF_CHECK_GREATER(n, 60u);
}

CAF_TEST(a TR without a layout is refused) {
  key_kind kind{};
  CAF_CHECK(!key_kind_of("H0NOPE00", kind));
  CAF_CHECK_EQUAL(check_key("H0NOPE00", "005930"),
                  "unknown tr_id 'H0NOPE00' (no layout in tr-fields.json)");
  CAF_CHECK_EQUAL(check_tr("H0STCNT0"), "");
  CAF_CHECK(!check_tr("").empty());
}

CAF_TEST(the keys of KIS samples pass) {
  // From KIS's own samples (koreainvestment/open-trading-api) and docs.
  for (auto [tr, key] : {
           std::pair{"H0STCNT0", "005930"},
           {"H0STASP0", "0126Z0"},
           {"H0UNASP0", "000660"},
           {"H0NXCNT0", "032640"},
           {"H0STNAV0", "069500"}, // ETF NAV
           {"H0UPCNT0", "0001"},   // KOSPI
           {"H0UPCNT0", "0128"},
           {"H0UPPGM0", "1001"},
           {"H0IFCNT0", "101W09"}, // index futures
           {"H0IFASP0", "101S12"},
           {"H0IOCNT0", "201W08427"}, // index options
           {"H0ZFCNT0", "111W08"},    // stock futures
           {"H0ZOASP0", "239W08090"}, // stock options
           {"H0MFCNT0", "101W9000"},  // night futures
           {"H0CFCNT0", "165W09"},    // commodity futures
           {"H0EWCNT0", "57LA24"},    // ELW
           {"H0BJCNT0", "KR103502GA34"},
           {"H0BICNT0", "KBPR01"},
           {"HDFSCNT0", "DNASAAPL"},
           {"HDFSCNT0", "RBAQAAPL"},
           {"HDFSASP1", "DHKS00003"},
           {"HDFSASP0", "RHKS00003"},
           {"HDFSCNT0", "DTSE7203"},
           {"HDFSCNT0", "DNYSBRK.B"},
           {"HDFFF010", "SPIU25"},
           {"HDFFF020", "1OZQ25"},
           {"HDFFF020", "OESU24 C5500"},
           {"H0STCNI0", "dttest11"},
           {"H0IFCNI9", "hts_user-1"},
       })
    CAF_CHECK_EQUAL(check_key(tr, key), "");
}

CAF_TEST(wrong forms are refused with the TR the key and the form) {
  CAF_CHECK_EQUAL(check_key("H0STCNT0", "AAPL"),
                  "H0STCNT0 key 'AAPL' is not a domestic stock code: 6 "
                  "digits or capital letters (005930)");
  CAF_CHECK(has(check_key("HDFSCNT0", "AAPL"),
                "HDFSCNT0 key 'AAPL' is not an overseas stock key: D or R"));
  CAF_CHECK(has(check_key("H0UPCNT0", "005930"),
                "H0UPCNT0 key '005930' is not a domestic index code: 4 "
                "digits (0001"));
  CAF_CHECK(has(check_key("H0IFCNT0", "0001"),
                "H0IFCNT0 key '0001' is not a futures or options code"));
  for (auto [tr, key] : {
           std::pair{"H0STCNT0", "5930"},
           {"H0STCNT0", "005930 "},
           {"H0STCNT0", "00593a"},
           {"H0STCNT0", "DNASAAPL"}, // an overseas key on a domestic TR
           {"H0STCNT0", ""},
           {"HDFSCNT0", "005930"}, // a domestic code on the overseas TR
           {"HDFSCNT0", "XNASAAPL"},
           {"HDFSCNT0", "DXXXAAPL"}, // no such exchange
           {"HDFSCNT0", "DNAS"},
           {"HDFSCNT0", "DNASaapl"},
           {"HDFSCNT0", "DNASAAPLAAPLAAPLAAPL1"}, // symbol of 17
           {"H0UPCNT0", "001"},
           {"H0UPCNT0", "000A"},
           {"H0IFCNT0", "101W0"},
           {"H0IOCNT0", "201W084271"},
           {"H0BJCNT0", "1R103502GA34"},
           {"HDFFF020", "OESU24  C5500"},
           {"HDFFF020", " SPIU25"},
           {"H0STCNI0", "a b"},
           {"H0STCNI0", "abcdefghijklmnopq"},
       })
    CAF_CHECK_NOT_EQUAL(check_key(tr, key), "");
}

CAF_TEST(a hostile key stays short and printable in the text) {
  auto why = check_key("H0STCNT0", std::string(1 << 20, '\x01'));
  CAF_CHECK_LESS(why.size(), 300u);
  CAF_CHECK(has(why, "...(1048576 bytes)"));
  for (char c : why)
    CAF_CHECK(c >= 0x20 && c < 0x7f);
  CAF_CHECK_EQUAL(quote_key("a'b\\c\xff"), "'a\\x27b\\x5cc\\xff'");
}

CAF_TEST(overseas keys name a known exchange) {
  for (auto ex : {"NAS", "NYS", "AMS", "BAQ", "BAY", "BAA", "HKS", "TSE", "SHS",
                  "SZS", "SHI", "SZI", "HSX", "HNX"}) {
    CAF_CHECK(is_overseas_exchange(ex));
    CAF_CHECK(is_overseas_key(std::string{"D"} + ex + "X"));
  }
  CAF_CHECK(!is_overseas_exchange("NASD"));
  CAF_CHECK(!is_overseas_key("005930"));
  CAF_CHECK(!is_overseas_key("RNAS"));
}
