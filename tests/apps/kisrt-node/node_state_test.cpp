// SPDX-License-Identifier: Apache-2.0
// kisrt-node's place in the notice journal: --state, the state file, the
// "seq" in notice lines, and what an arriving notice means.
#define CAF_SUITE nodes.state
#include <caf/test/unit_test.hpp>

#include <cstdio>
#include <fstream>

#include <sys/stat.h>
#include <unistd.h>

#include "apps/kisrt-node/event_json.hpp"
#include "apps/kisrt-node/node_state.hpp"
#include "apps/kisrt-node/options.hpp"

using namespace kisrt;

namespace {

std::optional<std::string> parse(std::vector<std::string> args,
                                 node::options& o) {
  args.insert(args.begin(), "kisrt-node");
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  return node::parse_options(static_cast<int>(argv.size()), argv.data(), o);
}

struct temp_file {
  std::string path;
  temp_file() {
    char tmpl[] = "/tmp/kisrt-node-state-XXXXXX";
    ::close(::mkstemp(tmpl));
    path = tmpl;
  }
  void write(const std::string& text) { std::ofstream{path} << text; }
  ~temp_file() {
    std::remove(path.c_str());
    std::remove((path + ".tmp").c_str());
  }
};

} // namespace

CAF_TEST(state option and notice subscriptions) {
  node::options o;
  CAF_REQUIRE(!parse({"--gateway", "h:1", "--subscribe", "H0STCNI0:hts01",
                      "--state", "n.state"},
                     o));
  CAF_CHECK_EQUAL(o.state, "n.state");
  CAF_CHECK(node::wants_notices(o));
  CAF_CHECK(node::wants_notice(o, "H0STCNI0", "hts01"));
  CAF_CHECK(!node::wants_notice(o, "H0STCNI0", "hts02"));
  CAF_CHECK(!node::wants_notice(o, "H0GSCNI0", "hts01"));
  node::options quotes;
  CAF_REQUIRE(!parse({"--gateway", "h:1", "--subscribe", "H0STCNT0"}, quotes));
  CAF_CHECK(!node::wants_notices(quotes));
  node::options all;
  CAF_REQUIRE(!parse({"--gateway", "h:1", "--subscribe", "all"}, all));
  CAF_CHECK(node::wants_notice(all, "H0GSCNI9", "x"));
  auto err = parse({"--gateway", "h:1", "--subscribe", "all", "--state"}, o);
  CAF_CHECK_EQUAL(err.value_or("<accepted>"), "--state needs a value");
}

CAF_TEST(the state file round trips and names what is wrong) {
  temp_file f;
  std::remove(f.path.c_str());
  notice_cursor c{"keep", 9};
  // Missing: no place, no error.
  CAF_CHECK(!node::read_state(f.path, c));
  CAF_CHECK_EQUAL(c, (notice_cursor{"keep", 9}));
  CAF_CHECK(!node::write_state(f.path, {"0123456789abcdef", 42}));
  struct stat st {};
  CAF_REQUIRE_EQUAL(::stat(f.path.c_str(), &st), 0);
  CAF_CHECK_EQUAL(st.st_mode & 0777, 0600u);
  CAF_CHECK(!node::read_state(f.path, c));
  CAF_CHECK_EQUAL(c, (notice_cursor{"0123456789abcdef", 42}));
  f.write("journal=0123456789abcdef\nseq=x\n");
  CAF_CHECK_EQUAL(node::read_state(f.path, c).value_or(""),
                  "--state " + f.path
                      + ": line 2: 'x' is not a sequence number");
  f.write("journal=../etc\nseq=1\n");
  CAF_CHECK_EQUAL(node::read_state(f.path, c).value_or(""),
                  "--state " + f.path
                      + ": line 1: '../etc' is not a journal ID");
  f.write("seq=1\n");
  CAF_CHECK_EQUAL(node::read_state(f.path, c).value_or(""),
                  "--state " + f.path + ": needs a journal= and a seq= line");
  CAF_CHECK_EQUAL(c, (notice_cursor{"0123456789abcdef", 42}));
}

CAF_TEST(arriving notices are next duplicate gap or of a new journal) {
  using node::notice_step;
  notice_cursor last{"aaaa", 5};
  CAF_CHECK(node::classify({}, {"aaaa", 9}) == notice_step::next);
  CAF_CHECK(node::classify(last, {"aaaa", 6}) == notice_step::next);
  CAF_CHECK(node::classify(last, {"aaaa", 5}) == notice_step::duplicate);
  CAF_CHECK(node::classify(last, {"aaaa", 2}) == notice_step::duplicate);
  CAF_CHECK(node::classify(last, {"aaaa", 8}) == notice_step::gap);
  CAF_CHECK(node::classify(last, {"bbbb", 1}) == notice_step::new_journal);
  // The answer to a subscription never moves the place back.
  CAF_CHECK_EQUAL(node::merge_start(last, {"aaaa", 3}), last);
  CAF_CHECK_EQUAL(node::merge_start(last, {"aaaa", 7}),
                  (notice_cursor{"aaaa", 7}));
  CAF_CHECK_EQUAL(node::merge_start(last, {"bbbb", 0}),
                  (notice_cursor{"bbbb", 0}));
}

CAF_TEST(journaled notices print with their seq after the event name) {
  journaled_notice jn;
  jn.at = {"0123456789abcdef", 42};
  jn.notice.tr_id = "H0STCNI0";
  jn.notice.data.customer_id = "hts01";
  std::string out;
  node::append_event_json(out, jn);
  CAF_CHECK_EQUAL(out.rfind(R"({"event":"notice","seq":42,"session":0,)"
                            R"("tr_id":"H0STCNI0","key":"hts01","data":{)",
                            0),
                  0u);
  // The rest is the plain notice's line.
  std::string plain;
  node::append_event_json(plain, jn.notice);
  CAF_CHECK_EQUAL(out.substr(out.find(",\"session\"")),
                  plain.substr(plain.find(",\"session\"")));
  journaled_overseas_notice jo;
  jo.at.seq = 7;
  out.clear();
  node::append_event_json(out, jo);
  CAF_CHECK_EQUAL(out.rfind(R"({"event":"overseas_notice","seq":7,)", 0), 0u);
}
