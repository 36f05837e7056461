// SPDX-License-Identifier: Apache-2.0
// Runs the real `kisrt decode` binary on files and checks its output.
#define CAF_SUITE net.decode_cli
#include <caf/test/unit_test.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "tests/net/kis/test_frames.hpp"

namespace {

struct run_result {
  int status;
  std::string out;
  std::string err;
};

std::string slurp(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

run_result run_decode(const std::string& args, const std::string& input) {
  auto dir =
      std::string{std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp"};
  auto base = dir + "/kisrt-decode-test-" + std::to_string(::getpid());
  { std::ofstream{base + ".in", std::ios::binary} << input; }
  auto cmd = std::string{KISRT_BIN_DIR} + "/kisrt decode " + args + " " + base
             + ".in >" + base + ".out 2>" + base + ".err";
  auto rc = std::system(cmd.c_str());
  run_result r{WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, slurp(base + ".out"),
               slurp(base + ".err")};
  std::remove((base + ".in").c_str());
  std::remove((base + ".out").c_str());
  std::remove((base + ".err").c_str());
  return r;
}

std::size_t lines(const std::string& s) {
  std::size_t n = 0;
  for (char c : s)
    n += c == '\n';
  return n;
}

} // namespace

CAF_TEST(one JSON object per record with exact wire strings) {
  auto frame = kisrt::test::trade_frame(4, 2);
  auto r = run_decode("", frame + "\n");
  CAF_CHECK_EQUAL(r.status, 0);
  CAF_CHECK_EQUAL(lines(r.out), 4u);
  CAF_CHECK_EQUAL(r.out.find("{\"tr_id\":\"H0STCNT0\",\"encrypted\":false,"
                             "\"count\":4,\"record\":0,\"fields\":{"
                             "\"MKSC_SHRN_ISCD\":\"000001\","
                             "\"STCK_CNTG_HOUR\":\"093001\""),
                  0u);
  CAF_CHECK(r.out.find("\"record\":3") != std::string::npos);
  CAF_CHECK(r.out.find("\"_extra\":[\"X0\",\"X1\"]") != std::string::npos);
}

CAF_TEST(encrypted frames with key and iv from flags or from acks) {
  std::ifstream in{KISRT_TEST_DATA "/aes-notice.txt"};
  std::string line, frame;
  while (std::getline(in, line))
    if (line.rfind("frame=", 0) == 0)
      frame = line.substr(6);
  auto r = run_decode("--key abcdefghijklmnopabcdefghijklmnop "
                      "--iv 0123456789abcdef",
                      frame + "\n");
  CAF_CHECK_EQUAL(r.status, 0);
  CAF_CHECK(r.out.find("\"encrypted\":true") != std::string::npos);
  CAF_CHECK(r.out.find("\"CNTG_ISNM40\":\"\xec\x82\xbc\xec\x84\xb1\xec\xa0"
                       "\x84\xec\x9e\x90\"")
            != std::string::npos);
  // Without a key it fails; with the ack earlier in the input it works.
  r = run_decode("", frame + "\n");
  CAF_CHECK_EQUAL(r.status, 2);
  CAF_CHECK(r.err.find(":1: missing_key") != std::string::npos);
  std::string ack = R"({"header":{"tr_id":"H0STCNI0","tr_key":"TESTID",)"
                    R"("encrypt":"Y"},"body":{"rt_cd":"0","msg_cd":)"
                    R"("OPSP0000","msg1":"SUBSCRIBE SUCCESS","output":{)"
                    R"("iv":"0123456789abcdef","key":)"
                    R"("abcdefghijklmnopabcdefghijklmnop"}}})";
  r = run_decode("", ack + "\n" + frame + "\n");
  CAF_CHECK_EQUAL(r.status, 0);
  CAF_CHECK_EQUAL(lines(r.out), 2u);
  CAF_CHECK(r.out.find("{\"control\":{\"kind\":\"ack\"") == 0);
  CAF_CHECK(r.out.find("\"outcome\":\"subscribed\"") != std::string::npos);
}

CAF_TEST(bad lines are reported with their number and processing goes on) {
  std::string input = "\n"                                 // 1 empty
                      "|||\n"                              // 2
                      "0|H0STCNT0|000|a\n"                 // 3
                      + kisrt::test::trade_frame(1) + "\n" // 4 good
                      + "0|H0STCNT0|999|a^b\n"             // 5
                      + "{\"header\":{\"tr_id\":\"PINGPONG\","
                        "\"datetime\":\"20250101120000\"}}\n"; // 6 good
  auto r = run_decode("", input);
  CAF_CHECK_EQUAL(r.status, 2);
  CAF_CHECK_EQUAL(lines(r.out), 2u);
  CAF_CHECK(r.out.find("\"kind\":\"pingpong\"") != std::string::npos);
  CAF_CHECK(r.err.find(":1: empty line") != std::string::npos);
  CAF_CHECK(r.err.find(":2: ") != std::string::npos);
  CAF_CHECK(r.err.find(":3: bad_count") != std::string::npos);
  CAF_CHECK(r.err.find(":5: uneven_width") != std::string::npos);
  CAF_CHECK(r.err.find(":4:") == std::string::npos);
}

CAF_TEST(invalid utf8 in a field is reported not printed) {
  auto frame = kisrt::test::trade_frame(1);
  frame[15] = '\xc3';
  auto r = run_decode("", frame + "\n");
  CAF_CHECK_EQUAL(r.status, 2);
  CAF_CHECK(r.err.find("invalid UTF-8") != std::string::npos);
  CAF_CHECK(r.err.find("MKSC_SHRN_ISCD") != std::string::npos);
  CAF_CHECK_EQUAL(r.out, "");
}

CAF_TEST(the recorded session of the README decodes completely) {
  std::ifstream in{KISRT_TEST_DATA "/session.txt", std::ios::binary};
  std::string text{std::istreambuf_iterator<char>{in},
                   std::istreambuf_iterator<char>{}};
  auto r = run_decode("", text);
  CAF_CHECK_EQUAL(r.status, 0);
  CAF_CHECK_EQUAL(r.err, "");
  // 2 acks, 1 + 2 trade records, 1 PINGPONG, 1 notice decrypted with the
  // key from its ack.
  CAF_CHECK_EQUAL(lines(r.out), 7u);
  CAF_CHECK(r.out.find("\"encrypted\":true") != std::string::npos);
}
