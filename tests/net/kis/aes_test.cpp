// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE net.aes
#include <caf/test/unit_test.hpp>

#include <fstream>
#include <map>
#include <string>

#include "net/kis/aes.hpp"
#include "net/kis/base64.hpp"
#include "net/kis/decoder.hpp"
#include "net/kis/encode.hpp"
#include "net/kis/records.hpp"

using namespace kisrt::kis;

namespace {

// The shared vector: key=, iv=, frame=, plaintext= lines.
std::map<std::string, std::string> load_vector() {
  std::ifstream in{KISRT_TEST_DATA "/aes-notice.txt"};
  std::map<std::string, std::string> kv;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#')
      continue;
    auto eq = line.find('=');
    if (eq != std::string::npos)
      kv[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return kv;
}

} // namespace

CAF_TEST(the shared vector decrypts to its plaintext) {
  auto v = load_vector();
  CAF_REQUIRE_EQUAL(v.count("frame"), 1u);
  frame_decoder dec;
  CAF_REQUIRE(!dec.set_key("H0STCNI0", v["key"], v["iv"]));
  auto err = dec.decode(v["frame"]);
  CAF_REQUIRE_EQUAL(err.to_string(), "none:");
  CAF_CHECK_EQUAL(dec.plaintext(), v["plaintext"]);
  CAF_REQUIRE_EQUAL(dec.records().size(), 1u);
  exec_notice n;
  CAF_REQUIRE(!decode(dec.records()[0], n));
  CAF_CHECK(n.kind == notice_kind::fill);
  CAF_CHECK(n.order_side == side::buy);
  CAF_CHECK_EQUAL(n.symbol, "005930");
  CAF_CHECK_EQUAL(n.fill_qty, 10);
  CAF_CHECK_EQUAL(n.fill_price, 71000);
  CAF_CHECK_EQUAL(n.order_no, "0000012345");
  CAF_CHECK_EQUAL(n.name, "\xec\x82\xbc\xec\x84\xb1\xec\xa0\x84\xec\x9e\x90");
  CAF_CHECK(!n.rejected);
}

CAF_TEST(keys are per tr_id and replaced on each success) {
  auto v = load_vector();
  frame_decoder dec;
  // A key for another TR does not decrypt H0STCNI0.
  CAF_REQUIRE(!dec.set_key("H0GSCNI0", v["key"], v["iv"]));
  CAF_CHECK(dec.decode(v["frame"]).code == errc::missing_key);
  // A wrong key for H0STCNI0, then the right one replaces it.
  CAF_REQUIRE(
      !dec.set_key("H0STCNI0", "zyxwvutsrqponmlkzyxwvutsrqponmlk", v["iv"]));
  auto err = dec.decode(v["frame"]);
  CAF_CHECK(err.code == errc::decrypt_failed || err.code == errc::short_record
            || err.code == errc::uneven_width);
  CAF_REQUIRE(!dec.set_key("H0STCNI0", v["key"], v["iv"]));
  CAF_CHECK(!dec.decode(v["frame"]));
}

CAF_TEST(key and iv are raw bytes with exact lengths) {
  aes_key k;
  CAF_CHECK(k.set("short", "0123456789abcdef").code == errc::decrypt_failed);
  CAF_CHECK(k.set("abcdefghijklmnopabcdefghijklmnop", "short").code
            == errc::decrypt_failed);
  CAF_CHECK(!k.valid());
  CAF_CHECK(!k.set("abcdefghijklmnopabcdefghijklmnop", "0123456789abcdef"));
  CAF_CHECK(k.valid());
}

CAF_TEST(encrypt then decrypt round trips with context reuse) {
  aes_key k;
  CAF_REQUIRE(!k.set("abcdefghijklmnopabcdefghijklmnop", "0123456789abcdef"));
  std::string b64, plain, scratch;
  for (std::size_t len : {0u, 1u, 15u, 16u, 17u, 200u, 4096u}) {
    std::string text(len, 'q');
    for (std::size_t i = 0; i < len; ++i)
      text[i] = static_cast<char>('a' + i % 26);
    CAF_REQUIRE(!k.encrypt_base64(text, b64));
    CAF_REQUIRE(!k.decrypt_base64(b64, plain, scratch));
    CAF_CHECK_EQUAL(plain, text);
  }
}

CAF_TEST(corrupt ciphertext is an error value) {
  auto v = load_vector();
  frame_decoder dec;
  CAF_REQUIRE(!dec.set_key("H0STCNI0", v["key"], v["iv"]));
  const std::string& good = v["frame"];
  // Bad base64 character, with its byte offset in the message.
  auto bad = good;
  bad[20] = '*';
  auto err = dec.decode(bad);
  CAF_CHECK(err.code == errc::bad_base64);
  CAF_CHECK_EQUAL(err.offset, 20);
  // Truncated ciphertext: base64 length not a multiple of four.
  CAF_CHECK(dec.decode(good.substr(0, good.size() - 3)).code
            == errc::bad_base64);
  // Truncated to a whole base64 quantum but not a whole AES block.
  CAF_CHECK(dec.decode(good.substr(0, good.size() - 8)).code
            == errc::bad_ciphertext);
  // Empty ciphertext.
  CAF_CHECK(dec.decode("1|H0STCNI0|001|").code == errc::bad_ciphertext);
  // Padding inside the data.
  CAF_CHECK(dec.decode("1|H0STCNI0|001|ab=c").code == errc::bad_base64);
}

CAF_TEST(base64 matches RFC 4648 vectors) {
  std::string out;
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"}};
  for (auto [plain, enc] : vectors) {
    base64_encode(plain, out);
    CAF_CHECK_EQUAL(out, enc);
    CAF_CHECK_EQUAL(base64_decode(enc, out), std::string_view::npos);
    CAF_CHECK_EQUAL(out, plain);
  }
  CAF_CHECK_EQUAL(base64_decode("Zm9", out), 3u);
  CAF_CHECK_EQUAL(base64_decode("Zm=v", out), 2u);
  CAF_CHECK_EQUAL(base64_decode("====", out), 0u);
}

CAF_TEST(encrypted frames of several records split after decryption) {
  aes_key k;
  CAF_REQUIRE(!k.set("abcdefghijklmnopabcdefghijklmnop", "0123456789abcdef"));
  std::string payload;
  for (int i = 0; i < 3; ++i)
    append_record(payload, {"ID",    "1234567801", std::to_string(100 + i),
                            "",      "01",         "0",
                            "00",    "0",          "000660",
                            "5",     "120000",     "100000",
                            "0",     "2",          "2",
                            "06010", "5",          "HONG",
                            "",      "1",          "Y",
                            "",      "",           "",
                            "SK",    "120000"});
  std::string msg;
  CAF_REQUIRE(!encode_encrypted_frame("H0STCNI9", 3, payload, k, msg));
  frame_decoder dec;
  CAF_REQUIRE(!dec.set_key("H0STCNI9", "abcdefghijklmnopabcdefghijklmnop",
                           "0123456789abcdef"));
  CAF_REQUIRE(!dec.decode(msg));
  CAF_REQUIRE_EQUAL(dec.records().size(), 3u);
  exec_notice n;
  CAF_REQUIRE(!decode(dec.records()[2], n));
  CAF_CHECK_EQUAL(n.order_no, "102");
  CAF_CHECK(n.order_side == side::sell);
}
