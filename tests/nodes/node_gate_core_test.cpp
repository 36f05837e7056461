// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE nodes.gate_core
#include <caf/test/dsl.hpp>

#include "actors/node_gate_core.hpp"

using namespace kisrt;

namespace {

using core = node_gate_core<int>;

node_gate_config two_slots() {
  node_gate_config cfg;
  cfg.defaults = {2, 2};
  cfg.by_name["vip"] = {1, 5};
  return cfg;
}

template <class T>
std::string error_of(const core::outcome<T>& x) {
  auto* s = std::get_if<std::string>(&x);
  return s ? *s : std::string{"<no error>"};
}

// By value: std::get on the temporary would dangle inside CAF_CHECK_EQUAL.
template <class T>
T value_of(core::outcome<T> x) {
  if (auto* v = std::get_if<T>(&x))
    return *v;
  CAF_FAIL("refused: " << std::get<std::string>(x));
  return T{};
}

const slot_key k1{"H0STCNT0", "005930"};
const slot_key k2{"H0STASP0", "005930"};
const slot_key k3{"H0STCNT0", "000660"};

} // namespace

CAF_TEST(hello binds a name to one node and answers its policy) {
  core g{two_slots()};
  auto p = value_of(g.hello(1, "alpha"));
  CAF_CHECK_EQUAL(p, (node_policy{"node:alpha", 2, 2}));
  CAF_CHECK_EQUAL(value_of(g.hello(2, "vip")), (node_policy{"node:vip", 1, 5}));
  // Saying hello again is harmless; a second name or a taken one is not.
  CAF_CHECK_EQUAL(value_of(g.hello(1, "alpha")), p);
  CAF_CHECK_EQUAL(error_of(g.hello(1, "beta")),
                  "this node is already 'alpha', not 'beta'");
  CAF_CHECK_EQUAL(error_of(g.hello(3, "alpha")),
                  "node name 'alpha' is held by another live node");
  CAF_CHECK(error_of(g.hello(3, "")).find("1 to 64 characters")
            != std::string::npos);
  CAF_CHECK(error_of(g.hello(3, "a b")).find("may hold only")
            != std::string::npos);
}

CAF_TEST(requests are held to priority and quota) {
  core g{two_slots()};
  g.hello(1, "alpha");
  CAF_CHECK_EQUAL(error_of(g.request(2, {k1, 3})),
                  "slot request before node_hello");
  CAF_CHECK_EQUAL(error_of(g.request(1, {k1, 1})),
                  "node 'alpha' may ask for priority 2 to 255, not 1 "
                  "(H0STCNT0:005930)");
  CAF_CHECK_EQUAL(error_of(g.request(1, {k1, 0})).substr(0, 29),
                  "node 'alpha' may ask for prio");
  CAF_CHECK_EQUAL(value_of(g.request(1, {k1, 2})),
                  (slot_request{"node:alpha", k1, 2}));
  CAF_CHECK_EQUAL(value_of(g.request(1, {k2, 7})),
                  (slot_request{"node:alpha", k2, 7}));
  // Over quota for a new key; asking again for a held key (new level) is
  // fine.
  CAF_CHECK_EQUAL(error_of(g.request(1, {k3, 3})),
                  "node 'alpha' holds 2 of its 2 slot requests; release one "
                  "before asking for H0STCNT0:000660");
  CAF_CHECK_EQUAL(value_of(g.request(1, {k2, 3})),
                  (slot_request{"node:alpha", k2, 3}));
  CAF_CHECK_EQUAL(g.held(1), 2u);
  CAF_CHECK_EQUAL(value_of(g.release(1, {k1})),
                  (slot_release{"node:alpha", k1}));
  CAF_CHECK_EQUAL(value_of(g.request(1, {k3, 3})),
                  (slot_request{"node:alpha", k3, 3}));
  CAF_CHECK_EQUAL(error_of(g.request(1, {{"H0STCNT0", ""}, 3})),
                  "slot request for 'H0STCNT0:': tr_id and tr_key are "
                  "required");
  // The configured node may take priority 1.
  g.hello(2, "vip");
  CAF_CHECK_EQUAL(value_of(g.request(2, {k1, 1})),
                  (slot_request{"node:vip", k1, 1}));
}

CAF_TEST(a node that goes away releases all and only its requests) {
  core g{two_slots()};
  g.hello(1, "alpha");
  g.hello(2, "beta");
  g.request(1, {k1, 2});
  g.request(2, {k1, 2});
  CAF_CHECK_EQUAL(g.down(1), (slot_release{"node:alpha", {}}));
  CAF_CHECK(!g.down(1));
  CAF_CHECK(!g.down(7)); // never said hello
  CAF_CHECK_EQUAL(g.held(2), 1u);
  CAF_CHECK_EQUAL(g.size(), 1u);
  // The name is free again, with an empty quota.
  CAF_CHECK_EQUAL(value_of(g.hello(3, "alpha")).owner, "node:alpha");
  CAF_CHECK_EQUAL(g.held(3), 0u);
  // Releasing everything empties the quota.
  g.request(3, {k1, 2});
  g.request(3, {k2, 2});
  CAF_CHECK_EQUAL(value_of(g.release(3, {})), (slot_release{"node:alpha", {}}));
  CAF_CHECK_EQUAL(g.held(3), 0u);
}
