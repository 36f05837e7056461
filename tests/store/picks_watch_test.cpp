// SPDX-License-Identifier: Apache-2.0
// picks_watch: SQLite's data_version on a connection kept open tells a
// commit of another connection (kisrt picks import) from no change.
#define CAF_SUITE sources.picks_watch
#include <caf/test/unit_test.hpp>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "store/picks_db.hpp"
#include "store/picks_watch.hpp"

using namespace kisrt;

namespace {

struct temp_dir {
  std::string path;
  temp_dir() {
    std::string tmpl = "/tmp/kisrt-watch-XXXXXX";
    if (auto* t = std::getenv("TMPDIR"))
      tmpl = std::string{t} + "/kisrt-watch-XXXXXX";
    path = ::mkdtemp(tmpl.data()) ? tmpl : std::string{};
  }
  ~temp_dir() {
    if (!path.empty())
      std::system(("rm -rf '" + path + "'").c_str());
  }
};

pick_entry pk(std::int32_t rank, std::string code) {
  return pick_entry{rank, std::move(code), "", 1.0, "test"};
}

} // namespace

CAF_TEST(a commit of another connection is a change and nothing else is) {
  temp_dir dir;
  CAF_REQUIRE(!dir.path.empty());
  auto path = dir.path + "/picks.db";
  { store::picks_db db{path, true}; }
  store::picks_watch watch{path};
  CAF_CHECK(!watch.changed()); // the baseline
  CAF_CHECK(!watch.changed());
  {
    store::picks_db db{path, true};
    db.replace(20250106, {pk(1, "005930")});
  }
  CAF_CHECK(watch.changed());
  CAF_CHECK(!watch.changed());
  { // Reading is no change.
    store::picks_db db{path, false};
    CAF_CHECK_EQUAL(db.load(20250106, 10).size(), 1u);
  }
  CAF_CHECK(!watch.changed());
}

CAF_TEST(a database created after the baseline is a change) {
  temp_dir dir;
  CAF_REQUIRE(!dir.path.empty());
  auto path = dir.path + "/picks.db";
  store::picks_watch watch{path};
  CAF_CHECK(!watch.changed()); // no file yet
  CAF_CHECK(!watch.changed());
  {
    store::picks_db db{path, true};
    db.replace(20250106, {pk(1, "005930")});
  }
  CAF_CHECK(watch.changed());
  CAF_CHECK(!watch.changed());
  // Replaced by another file (a new inode): a change.
  auto other = dir.path + "/other.db";
  {
    store::picks_db db{other, true};
    db.replace(20250106, {pk(1, "000660")});
  }
  CAF_REQUIRE_EQUAL(std::rename(other.c_str(), path.c_str()), 0);
  CAF_CHECK(watch.changed());
  CAF_CHECK(!watch.changed());
}
