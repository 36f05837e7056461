// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE app.slots_json
#include <caf/test/unit_test.hpp>

#include <boost/json/parse.hpp>

#include "apps/kisrt/slots_json.hpp"

using namespace kisrt;

CAF_TEST(the admin slots body has the documented shape) {
  slot_snapshot snap;
  snap.sessions.push_back(session_info{0, true, 3, 41, 40, 2});
  slot_info a;
  a.session = 0;
  a.key = {"H0STCNT0", "005930"};
  a.state = slot_state::active;
  a.level = 1;
  a.owners = {owner_ref{owner_kind::holding, "", 1},
              owner_ref{owner_kind::pick, "", 2}};
  slot_info b;
  b.session = no_session;
  b.key = {"H0STASP0", "000660"};
  b.state = slot_state::requested;
  b.level = 2;
  b.owners = {owner_ref{owner_kind::request, "node7", 2}};
  snap.slots = {a, b};
  auto text = app::slots_json(snap);
  CAF_CHECK_EQUAL(
      text,
      R"({"sessions":[{"id":"s1","up":true,"cap":41,"learned_cap":40,"used":2,)"
      R"("epoch":3}],"slots":[{"session":"s1","tr_id":"H0STCNT0","tr_key":)"
      R"("005930","priority":1,"state":"active","owners":["holding","pick"]},)"
      R"({"session":null,"tr_id":"H0STASP0","tr_key":"000660","priority":2,)"
      R"("state":"requested","owners":["node7"]}]})");
  boost::system::error_code ec;
  boost::json::parse(text, ec);
  CAF_CHECK(!ec);
  auto named = app::slots_json(snap, [](session_id) { return "main"; });
  CAF_CHECK(named.find(R"("id":"main")") != std::string::npos);
}
