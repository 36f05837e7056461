// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE net.frame
#include <caf/test/unit_test.hpp>

#include <string>

#include "net/kis/decoder.hpp"
#include "net/kis/frame.hpp"
#include "net/kis/records.hpp"
#include "tests/net/kis/test_frames.hpp"

using namespace kisrt;
using namespace kisrt::kis;

CAF_TEST(classify tells data from control by the first byte) {
  CAF_CHECK(classify("0|H0STCNT0|001|a") == message_kind::data);
  CAF_CHECK(classify("1|H0STCNI0|001|abc") == message_kind::data);
  CAF_CHECK(classify("{\"header\":{}}") == message_kind::control);
  CAF_CHECK(classify("  {\"a\":1}") == message_kind::control);
  CAF_CHECK(classify("") == message_kind::invalid);
  CAF_CHECK(classify("2|x") == message_kind::invalid);
  CAF_CHECK(classify("hello") == message_kind::invalid);
}

CAF_TEST(split on the first three pipes only) {
  frame f;
  auto err = split_frame("0|H0STCNT0|002|a|b^c|d", f);
  CAF_REQUIRE(!err);
  CAF_CHECK(!f.encrypted);
  CAF_CHECK_EQUAL(f.tr_id, "H0STCNT0");
  CAF_CHECK_EQUAL(f.count, 2u);
  CAF_CHECK_EQUAL(f.payload, "a|b^c|d");
  CAF_CHECK_EQUAL(f.payload_offset, 15u);
}

CAF_TEST(batches of 1 4 and 19 records all decode) {
  for (int n : {1, 4, 19}) {
    auto msg = test::trade_frame(n);
    frame_decoder dec;
    auto err = dec.decode(msg);
    CAF_REQUIRE_EQUAL(err.to_string(), "none:");
    CAF_REQUIRE_EQUAL(dec.records().size(), static_cast<std::size_t>(n));
    CAF_CHECK_EQUAL(dec.records().width(), 46u);
    for (int i = 0; i < n; ++i) {
      auto rec = dec.records()[static_cast<std::size_t>(i)];
      trade t;
      CAF_REQUIRE(!decode(rec, t));
      CAF_CHECK_EQUAL(t.symbol, std::to_string(1000000 + i + 1).substr(1));
      CAF_CHECK_EQUAL(t.price, 71000 + i * 100);
      CAF_CHECK_EQUAL(t.volume, 10 + i);
      CAF_CHECK_EQUAL(rec.field("MKSC_SHRN_ISCD"), t.symbol);
      CAF_CHECK_EQUAL(rec.field("VI_STND_PRC"), "71000");
      CAF_CHECK_EQUAL(rec.extra_count(), 0u);
    }
  }
}

CAF_TEST(extra trailing fields are tolerated and kept) {
  auto msg = test::trade_frame(4, 3);
  frame_decoder dec;
  CAF_REQUIRE(!dec.decode(msg));
  CAF_REQUIRE_EQUAL(dec.records().size(), 4u);
  CAF_CHECK_EQUAL(dec.records().width(), 49u);
  for (std::size_t i = 0; i < 4; ++i) {
    auto rec = dec.records()[i];
    CAF_CHECK_EQUAL(rec.extra_count(), 3u);
    CAF_CHECK_EQUAL(rec.extra(0), "X0");
    CAF_CHECK_EQUAL(rec.extra(2), "X2");
    CAF_CHECK_EQUAL(rec[46], "X0");
    // The next record starts after the extras, not at field 46.
    CAF_CHECK_EQUAL(rec[0], std::to_string(1000000 + i + 1).substr(1));
  }
}

CAF_TEST(fewer fields than the layout is an error naming the tr and field) {
  std::string payload;
  kis::append_record(payload, {"005930", "093001", "71000"});
  auto msg = encode_frame("H0STCNT0", 1, payload);
  frame_decoder dec;
  auto err = dec.decode(msg);
  CAF_CHECK(err.code == errc::short_record);
  CAF_CHECK_EQUAL(err.tr_id, "H0STCNT0");
  CAF_CHECK_EQUAL(err.field, 3);
  CAF_CHECK(err.to_string().find("expected at least 46") != std::string::npos);
}

CAF_TEST(width must divide evenly) {
  auto msg = test::trade_frame(4);
  msg += "^one-more";
  frame_decoder dec;
  auto err = dec.decode(msg);
  CAF_CHECK(err.code == errc::uneven_width);
  CAF_CHECK(err.to_string().find("185 fields") != std::string::npos);
}

CAF_TEST(unknown tr decodes positionally) {
  frame_decoder dec;
  CAF_REQUIRE(!dec.decode("0|ZZNEW001|002|a^b^c^d"));
  CAF_CHECK(dec.layout() == nullptr);
  CAF_CHECK_EQUAL(dec.records().width(), 2u);
  CAF_CHECK_EQUAL(dec.records()[1][0], "c");
  CAF_CHECK_EQUAL(dec.records()[1].extra_count(), 2u);
}

CAF_TEST(every TR of the layout file decodes generically by name) {
  for (auto* l = layouts_begin(); l != layouts_end(); ++l) {
    std::string payload;
    std::vector<std::string> fields;
    for (std::size_t i = 0; i < l->width; ++i)
      fields.push_back("v" + std::to_string(i));
    kis::append_record(payload, fields);
    kis::append_record(payload, fields);
    auto msg = encode_frame(l->tr_id, 2, payload);
    frame_decoder dec;
    if (l->encrypted)
      continue; // covered by the AES suite
    auto err = dec.decode(msg);
    CAF_CHECK_EQUAL(err.to_string(), "none:");
    CAF_CHECK_EQUAL(dec.records().size(), 2u);
    auto last = std::string{l->fields[l->width - 1]};
    CAF_CHECK_EQUAL(dec.records()[1].field(last),
                    "v" + std::to_string(l->width - 1));
  }
}

// -- the hostile table --

namespace {

errc decode_error(std::string_view msg) {
  frame_decoder dec;
  return dec.decode(msg).code;
}

} // namespace

CAF_TEST(hostile frames are error values) {
  CAF_CHECK(decode_error("") == errc::empty_message);
  CAF_CHECK(decode_error("|||") == errc::bad_header);
  CAF_CHECK(decode_error("||||||||") == errc::bad_header);
  CAF_CHECK(decode_error("0|||") == errc::bad_tr_id);
  CAF_CHECK(decode_error("0|H0STCNT0|000|a") == errc::bad_count);
  CAF_CHECK(decode_error("0|H0STCNT0|999|a^b^c") == errc::uneven_width);
  CAF_CHECK(decode_error("0|H0STCNT0|0x1|a") == errc::bad_count);
  CAF_CHECK(decode_error("0|H0STCNT0|-01|a") == errc::bad_count);
  CAF_CHECK(decode_error("0|H0STCNT0|1234|a") == errc::bad_count);
  CAF_CHECK(decode_error("0|H0STCNT0||a") == errc::bad_count);
  CAF_CHECK(decode_error("0|H0STCNT0") == errc::bad_header);
  CAF_CHECK(decode_error("0|H0STCNT0|001") == errc::bad_header);
  CAF_CHECK(decode_error("7|H0STCNT0|001|a") == errc::bad_header);
  CAF_CHECK(decode_error("0|H0\nCNT0|001|a") == errc::bad_tr_id);
  CAF_CHECK(decode_error("0|H0STCNT0|001|") == errc::short_record);
  CAF_CHECK(decode_error("0|H0STCNT0|001|^^^^") == errc::short_record);
  // Encrypted without a key.
  CAF_CHECK(decode_error("1|H0STCNI0|001|qMuWcxy/") == errc::missing_key);
}

CAF_TEST(invalid UTF - 8 in a plain frame is kept as bytes) {
  // The codec does not reject bytes; consumers that need text check with
  // find_invalid_utf8 (kisrt decode does).
  auto msg = test::trade_frame(1);
  msg[15] = '\xff'; // first byte of the payload: "0|H0STCNT0|001|" is 15
  frame_decoder dec;
  CAF_REQUIRE(!dec.decode(msg));
  CAF_CHECK_EQUAL(find_invalid_utf8(dec.records()[0][0]), 0u);
}

CAF_TEST(one MiB payload decodes) {
  // 19 records per frame at ~330 bytes is ~6 KiB; build a frame near 1 MiB.
  int n = 999;
  std::string payload;
  std::string pad(800, 'x');
  for (int i = 0; i < n; ++i) {
    auto f = test::trade_fields("005930", i);
    f.push_back(pad); // an extra trailing field makes each record ~1 KiB
    kis::append_record(payload, f);
  }
  auto msg = encode_frame("H0STCNT0", static_cast<std::size_t>(n), payload);
  CAF_REQUIRE_GREATER(msg.size(), 1000000u);
  frame_decoder dec;
  auto err = dec.decode(msg);
  CAF_REQUIRE_EQUAL(err.to_string(), "none:");
  CAF_CHECK_EQUAL(dec.records().size(), 999u);
  CAF_CHECK_EQUAL(dec.records()[998].extra(0).size(), 800u);
}

CAF_TEST(oversized messages are rejected before any work) {
  frame_decoder dec;
  dec.max_message(64);
  CAF_CHECK(dec.decode(test::trade_frame(1)).code == errc::too_large);
}

CAF_TEST(split_fields handles every chunk boundary) {
  // Carets at every offset around the 16-byte SIMD boundary.
  std::vector<std::string_view> out;
  for (std::size_t len = 0; len < 70; ++len) {
    for (std::size_t pos = 0; pos < len; ++pos) {
      std::string s(len, 'a');
      s[pos] = '^';
      CAF_REQUIRE_EQUAL(split_fields(s, out), 2u);
      CAF_CHECK_EQUAL(out[0].size(), pos);
      CAF_CHECK_EQUAL(out[1].size(), len - pos - 1);
    }
  }
  std::string all(40, '^');
  CAF_CHECK_EQUAL(split_fields(all, out), 41u);
}

CAF_TEST(encoding refuses counts that do not fit three digits) {
  CAF_CHECK_EQUAL(encode_frame("H0STCNT0", 999, "x").substr(0, 15),
                  "0|H0STCNT0|999|");
  auto throws = [](std::size_t n) {
    try {
      encode_frame("H0STCNT0", n, "x");
    } catch (const std::invalid_argument&) {
      return true;
    }
    return false;
  };
  CAF_CHECK(throws(0));
  CAF_CHECK(throws(1000));
}
