// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE netio.token_cache
#include <caf/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "net/token_cache.hpp"
#include "net/url.hpp"

using namespace kisrt::net;

namespace {

struct fixture {
  std::string dir;
  fixture() {
    char tmpl[] = "/tmp/kisrt-token-XXXXXX";
    dir = ::mkdtemp(tmpl);
  }
  ~fixture() {
    std::string cmd = "rm -rf '" + dir + "'";
    [[maybe_unused]] auto rc = std::system(cmd.c_str());
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(token_cache_tests, fixture)

CAF_TEST(stored tokens load back with mode 0600) {
  token_cache cache{dir + "/sub"};
  token_cache::entry e{"secret-token", 1000, 900};
  std::string err;
  CAF_REQUIRE(cache.store("APPKEY1", e, err));
  struct stat st {};
  CAF_REQUIRE_EQUAL(::stat(cache.path_for("APPKEY1").c_str(), &st), 0);
  CAF_CHECK_EQUAL(st.st_mode & 0777, 0600u);
  CAF_CHECK(cache.path_for("APPKEY1").find("APPKEY1") == std::string::npos);
  auto back = cache.load("APPKEY1", err);
  CAF_REQUIRE(back.has_value());
  CAF_CHECK_EQUAL(back->token, "secret-token");
  CAF_CHECK_EQUAL(back->expires_at, 1000);
  CAF_CHECK_EQUAL(back->last_request, 900);
  CAF_CHECK(!cache.load("OTHER", err).has_value());
  CAF_CHECK_EQUAL(err, "");
}

CAF_TEST(a cache file readable by others is refused) {
  token_cache cache{dir};
  std::string err;
  CAF_REQUIRE(cache.store("K", {"t", 1000, 0}, err));
  ::chmod(cache.path_for("K").c_str(), 0644);
  CAF_CHECK(!cache.load("K", err).has_value());
  CAF_CHECK(err.find("mode 644") != std::string::npos);
  CAF_CHECK(err.find("t\"") == std::string::npos);
}

CAF_TEST(garbage cache files are ignored with a reason) {
  token_cache cache{dir};
  std::string err;
  CAF_REQUIRE(cache.store("K", {"t", 1000, 0}, err));
  { std::ofstream{cache.path_for("K")} << "{not json"; }
  CAF_CHECK(!cache.load("K", err).has_value());
  CAF_CHECK(err.find("not valid JSON") != std::string::npos);
}

CAF_TEST(a planted symlink is never followed) {
  // A shared directory is refused (below); here the directory is ours and
  // someone planted links anyway (an earlier run as another user, a bug).
  token_cache cache{dir};
  auto path = cache.path_for("K");
  auto loot = dir + "/loot";
  { std::ofstream{loot} << ""; }
  auto name = path.substr(dir.size() + 1);
  for (auto& tmp : {path + ".tmp", dir + "/." + name + ".tmp",
                    dir + "/." + name + ".tmp-0000000000000000"})
    CAF_REQUIRE_EQUAL(::symlink(loot.c_str(), tmp.c_str()), 0);
  std::string err;
  CAF_REQUIRE(cache.store("K", {"secret-token", 1000, 0}, err));
  std::ifstream in{loot};
  std::string stolen{std::istreambuf_iterator<char>{in}, {}};
  CAF_CHECK_EQUAL(stolen, "");
  struct stat st {};
  CAF_REQUIRE_EQUAL(::lstat(path.c_str(), &st), 0);
  CAF_CHECK(S_ISREG(st.st_mode));
  CAF_CHECK_EQUAL(st.st_mode & 0777, 0600u);
  // A symlink in place of the cache file: replaced on store, refused on
  // load (it could point at anything).
  ::unlink(path.c_str());
  CAF_REQUIRE_EQUAL(::symlink(loot.c_str(), path.c_str()), 0);
  ::chmod(loot.c_str(), 0600);
  { std::ofstream{loot} << R"({"token":"planted","expires_at":99999})"; }
  CAF_CHECK(!cache.load("K", err).has_value());
  CAF_CHECK(err.find("cannot be opened") != std::string::npos);
  CAF_REQUIRE(cache.store("K", {"secret-token", 1000, 0}, err));
  CAF_REQUIRE_EQUAL(::lstat(path.c_str(), &st), 0);
  CAF_CHECK(S_ISREG(st.st_mode));
  std::ifstream again{loot};
  std::string kept{std::istreambuf_iterator<char>{again}, {}};
  CAF_CHECK_EQUAL(kept, R"({"token":"planted","expires_at":99999})");
  // No temporary file is left behind.
  std::string ls_out = dir + "/ls";
  auto cmd = "ls -A '" + dir + "' | grep -c 'tmp-' >'" + ls_out + "'";
  [[maybe_unused]] auto rc = std::system(cmd.c_str());
  std::ifstream count{ls_out};
  int n = -1;
  count >> n;
  CAF_CHECK_EQUAL(n, 1); // only the planted .tmp-0000000000000000
}

CAF_TEST(a directory others may write to is refused) {
  token_cache cache{dir};
  std::string err;
  for (mode_t mode : {0770, 0702, 0777}) {
    ::chmod(dir.c_str(), mode);
    err.clear();
    CAF_CHECK(!cache.store("K", {"secret-token", 1000, 0}, err));
    CAF_CHECK(err.find("writable by group or others") != std::string::npos);
    CAF_CHECK(err.find("secret-token") == std::string::npos);
  }
  ::chmod(dir.c_str(), 0700);
  CAF_REQUIRE(cache.store("K", {"secret-token", 1000, 0}, err));
  ::chmod(dir.c_str(), 0730);
  err.clear();
  CAF_CHECK(!cache.load("K", err).has_value());
  CAF_CHECK(err.find("writable by group or others") != std::string::npos);
  ::chmod(dir.c_str(), 0700);
}

CAF_TEST(a directory of another user is refused) {
  auto foreign = dir + "/foreign";
  if (::geteuid() == 0) {
    ::mkdir(foreign.c_str(), 0700);
    CAF_REQUIRE_EQUAL(::chown(foreign.c_str(), 65534, 65534), 0);
  } else {
    foreign = "/"; // root's
  }
  token_cache cache{foreign};
  std::string err;
  CAF_CHECK(!cache.store("K", {"secret-token", 1000, 0}, err));
  CAF_CHECK(err.find("belongs to another user") != std::string::npos);
}

CAF_TEST_FIXTURE_SCOPE_END()

CAF_TEST(validity and the once per minute rule) {
  token_cache::entry e{"t", 10000, 5000};
  CAF_CHECK(token_cache::usable(e, 9000));
  CAF_CHECK(!token_cache::usable(e, 9500)); // within the 600 s margin
  CAF_CHECK(!token_cache::may_request(e, 5059));
  CAF_CHECK(token_cache::may_request(e, 5060));
  CAF_CHECK(!token_cache::usable(token_cache::entry{}, 0));
}

CAF_TEST(KIS expiry times are KST) {
  // 2025-01-02 09:00:00 KST = 2025-01-02 00:00:00 UTC = 1735776000.
  CAF_CHECK_EQUAL(parse_kst_datetime("2025-01-02 09:00:00"), 1735776000);
  CAF_CHECK_EQUAL(parse_kst_datetime("2025-01-02 09:00"), -1);
  CAF_CHECK_EQUAL(parse_kst_datetime("2025-13-02 09:00:00"), -1);
}

CAF_TEST(urls) {
  url u;
  CAF_CHECK_EQUAL(parse_url("ws://ops.koreainvestment.com:21000", u), "");
  CAF_CHECK_EQUAL(u.host, "ops.koreainvestment.com");
  CAF_CHECK_EQUAL(u.port, "21000");
  CAF_CHECK_EQUAL(u.target, "/");
  CAF_CHECK_EQUAL(parse_url("https://openapi.koreainvestment.com:9443/x?y", u),
                  "");
  CAF_CHECK(u.secure());
  CAF_CHECK_EQUAL(u.target, "/x?y");
  CAF_CHECK_EQUAL(parse_url("wss://[::1]/tryitout", u), "");
  CAF_CHECK_EQUAL(u.host, "::1");
  CAF_CHECK_EQUAL(u.port, "443");
  CAF_CHECK(!parse_url("ftp://x", u).empty());
  CAF_CHECK(!parse_url("ws://:80", u).empty());
  CAF_CHECK(!parse_url("ws://h:99999", u).empty());
  CAF_CHECK(!parse_url("ws://h:8a", u).empty());
  CAF_CHECK(!parse_url("localhost:80", u).empty());
}
