// SPDX-License-Identifier: Apache-2.0
// Picks from remote nodes: only a node whose policy has may_set_picks, and
// only what passes the bounds.
#define CAF_SUITE nodes.picks
#include <caf/test/dsl.hpp>

#include "actors/node_gate_core.hpp"

#include <string>

using namespace kisrt;

namespace {

using core = node_gate_core<int>;

node_gate_config picks_policy() {
  node_gate_config cfg;
  auto& analyzer = cfg.by_name["analyzer"];
  analyzer.may_set_picks = true;
  // No TLS here: the named policy applies only with this set.
  analyzer.allow_unauthenticated = true;
  return cfg;
}

std::string error_of(const core::outcome<picks_from>& x) {
  auto* s = std::get_if<std::string>(&x);
  return s ? *s : std::string{"<no error>"};
}

pick_entry pk(std::int32_t rank, std::string code) {
  return pick_entry{rank, std::move(code), "", 1.0, "node"};
}

} // namespace

CAF_TEST(a node without may_set_picks is refused with a clear error) {
  core g{picks_policy()};
  pick_set x{20250106, {pk(1, "005930")}};
  CAF_CHECK_EQUAL(error_of(g.set_picks(1, x)), "picks before node_hello");
  g.hello(1, "strategy");
  CAF_CHECK_EQUAL(error_of(g.set_picks(1, x)),
                  "node 'strategy' may not set picks (may_set_picks is off "
                  "in its policy)");
}

CAF_TEST(a node with may_set_picks sends bounded valid picks) {
  core g{picks_policy()};
  CAF_REQUIRE(std::holds_alternative<node_policy>(g.hello(2, "analyzer")));
  auto ok = g.set_picks(2, pick_set{0, {pk(1, "005930"), pk(2, "000660")}});
  CAF_REQUIRE(std::holds_alternative<picks_from>(ok));
  CAF_CHECK_EQUAL(std::get<picks_from>(ok).node, "analyzer");
  CAF_CHECK_EQUAL(error_of(g.set_picks(2, pick_set{0, {pk(1, "5930")}})),
                  "node 'analyzer' sent a pick with code '5930', not a "
                  "6-character stock code");
  CAF_CHECK_EQUAL(error_of(g.set_picks(2, pick_set{0, {pk(0, "005930")}})),
                  "node 'analyzer' sent pick 005930 with rank 0; ranks start "
                  "at 1");
  CAF_CHECK_EQUAL(error_of(g.set_picks(2, pick_set{123, {pk(1, "005930")}})),
                  "node 'analyzer' sent picks for trade_date 123, not "
                  "YYYYMMDD");
  pick_set many{0, {}};
  for (int i = 0; i <= 200; ++i)
    many.picks.push_back(pk(i + 1, "005930"));
  CAF_CHECK_EQUAL(error_of(g.set_picks(2, many)),
                  "node 'analyzer' sent 201 picks; at most 200");
  auto long_name = pk(1, "005930");
  long_name.name = std::string(65, 'x');
  CAF_CHECK(
      error_of(g.set_picks(2, pick_set{0, {long_name}})).find("over 64 bytes")
      != std::string::npos);
}

CAF_TEST(the defaults never allow picks) {
  node_gate_config cfg;
  cfg.defaults.may_set_picks = false;
  core g{cfg};
  g.hello(3, "anyone");
  CAF_CHECK(error_of(g.set_picks(3, pick_set{0, {pk(1, "005930")}}))
                .find("may not set picks")
            != std::string::npos);
}
