// SPDX-License-Identifier: Apache-2.0
// The layout walk over real sockets: for every TR id of the layout table
// (notices aside) the embedded simulator feeds it, and the gateway, through
// the callback facade, delivers events of it with zero decode errors. The
// walk iterates the table, so a TR added to tr-fields.json is covered here
// without a new test. Waits are bounded (condition variable with a
// deadline); nothing sleeps.
#define CAF_SUITE e2e.every_tr
#include <caf/test/unit_test.hpp>

#include <algorithm>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <sstream>

#include "apps/kisrt/client.hpp"
#include "net/kis/generic_record.hpp"
#include "net/kis/layout.hpp"
#include "sim/feeds.hpp"
#include "tests/common/loopback_io.hpp"

using namespace kisrt;
using namespace std::chrono_literals;

namespace {

constexpr int start_kst = 10 * 3600;
// Keys per chunk: well under the 41 registrations of the one session, with
// the notice and the embedded account's holdings registered beside them.
constexpr std::size_t chunk_size = 20;

// Every TR with a layout is delivered: typed records for the families of
// messages/event_list.hpp, the generic fields event for the rest.
bool delivered(const kis::tr_layout&) {
  return true;
}

// Sum of every sample of `family` in a Prometheus text body.
std::uint64_t metric_sum(const std::string& body, const std::string& family) {
  std::uint64_t sum = 0;
  std::istringstream in{body};
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, family.size(), family) != 0
        || (line.size() > family.size() && line[family.size()] != '{'
            && line[family.size()] != ' '))
      continue;
    auto sp = line.rfind(' ');
    if (sp != std::string::npos)
      sum += std::stoull(line.substr(sp + 1));
  }
  return sum;
}

// The value of one sample, e.g. kisrt_records_total{tr_id="H0UNMKO0"}.
std::uint64_t metric(const std::string& body, const std::string& sample) {
  auto at = body.find("\n" + sample + " ");
  if (at == std::string::npos)
    return 0;
  return std::stoull(body.substr(at + sample.size() + 2));
}

} // namespace

CAF_TEST(every TR of the layout table reaches a subscriber) {
  // Group the TRs by the first minute after 10:00 at which the simulator
  // feeds them (after-hours, the night session, ...).
  std::map<int, std::vector<const kis::tr_layout*>> phases;
  std::size_t walked = 0;
  for (auto* l = kis::layouts_begin(); l != kis::layouts_end(); ++l) {
    if (l->encrypted || !delivered(*l))
      continue;
    int m = 0;
    while (m < 1440 && !sim::feed_live(l->tr_id, (start_kst + m * 60) % 86400))
      ++m;
    CAF_REQUIRE_LESS(m, 1440);
    phases[m].push_back(l);
    ++walked;
  }
  CAF_REQUIRE_GREATER(walked, 0u);
  client_options o;
  o.sim = true;
  o.overrides = {"sim.kst_start=10:00:00", "sim.rate=4000",
                 "admin.listen=127.0.0.1:0"};
  client kis{o};
  auto sim = test::http_get(kis.admin_port(), "/sim");
  auto at = sim.find(R"("admin_port":)");
  CAF_REQUIRE(at != std::string::npos);
  auto sim_admin = std::stoi(sim.substr(at + 13));
  std::mutex mtx;
  std::condition_variable cv;
  std::map<std::string, std::size_t> events;  // tr_id -> events
  std::map<std::string, std::size_t> strange; // tr_id -> events of other keys
  std::map<std::string, std::string> key_of;
  // A layout without a key field (H0UNMKO0) gives events without a key,
  // which no key's subscriber gets: for those the gateway must still
  // decode records, with no error.
  std::vector<std::string> keyless;
  auto runner = std::async(std::launch::async, [&] { kis.run(); });
  int now = 0;
  for (auto& [minute, trs] : phases) {
    if (minute > now) {
      auto r = test::http_post(
          sim_admin, "/clock",
          R"({"advance_ms":)" + std::to_string((minute - now) * 60000) + "}");
      CAF_REQUIRE(r.find(R"("ok":true)") != std::string::npos);
      now = minute;
    }
    for (std::size_t from = 0; from < trs.size(); from += chunk_size) {
      std::vector<std::pair<std::string, client::subscription>> subs;
      std::vector<client::subscription> others;
      for (auto i = from; i < std::min(trs.size(), from + chunk_size); ++i) {
        std::string tr{trs[i]->tr_id};
        auto key = sim::sample_key(tr);
        {
          std::lock_guard<std::mutex> guard{mtx};
          key_of[tr] = key;
        }
        auto id =
            kis.subscribe(tr, {key}, [&, tr, key](const client_event& ev) {
              std::lock_guard<std::mutex> guard{mtx};
              if (ev.tr_id == tr && ev.key == key)
                ++events[tr];
              else
                ++strange[tr];
              cv.notify_all();
            });
        if (kis::generic_key_index(*trs[i]) < 0)
          keyless.push_back(tr);
        else
          subs.emplace_back(tr, id);
        others.push_back(id);
      }
      {
        std::unique_lock<std::mutex> lock{mtx};
        auto all_seen = [&] {
          for (auto& [tr, id] : subs)
            if (events[tr] < 3)
              return false;
          return true;
        };
        if (!cv.wait_for(lock, 30s, all_seen))
          for (auto& [tr, id] : subs)
            if (events[tr] < 3)
              CAF_MESSAGE("no events of " << tr << " " << key_of[tr]
                                          << " at minute " << minute);
      }
      for (auto id : others)
        kis.unsubscribe(id);
    }
  }
  auto metrics = test::http_get(kis.admin_port(), "/metrics");
  kis.close();
  CAF_REQUIRE(runner.wait_for(30s) == std::future_status::ready);
  std::lock_guard<std::mutex> guard{mtx};
  CAF_CHECK_EQUAL(key_of.size(), walked);
  for (auto& [tr, key] : key_of) {
    CAF_MESSAGE(tr << " " << key << ": " << events[tr] << " events");
    if (std::find(keyless.begin(), keyless.end(), tr) == keyless.end()) {
      CAF_CHECK_GREATER_OR_EQUAL(events[tr], 3u);
    }
  }
  for (auto& tr : keyless) {
    auto n = metric(metrics, "kisrt_records_total{tr_id=\"" + tr + "\"}");
    CAF_MESSAGE(tr << " (no key field): " << n << " records decoded");
    CAF_CHECK_GREATER(n, 0u);
  }
  CAF_CHECK_EQUAL(metric_sum(metrics, "kisrt_decode_errors_total"), 0u);
  CAF_CHECK_GREATER(metric_sum(metrics, "kisrt_records_total"), 0u);
}
