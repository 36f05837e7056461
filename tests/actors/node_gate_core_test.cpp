// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE nodes.gate_core
#include <caf/test/dsl.hpp>

#include "actors/node_gate_core.hpp"

#include <string>

using namespace kisrt;

namespace {

using core = node_gate_core<int>;
using core2 = node_gate_core<int, std::string>;

node_gate_config two_slots() {
  node_gate_config cfg;
  cfg.defaults = {2, 2};
  cfg.by_name["vip"] = {1, 5, true};
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

// -- hostile nodes (docs/security.md) --

namespace {

template <class Core, class T>
std::string error_of2(const typename Core::template outcome<T>& x) {
  auto* s = std::get_if<std::string>(&x);
  return s ? *s : std::string{"<no error>"};
}

bool refused(const core::outcome<slot_request>& x) {
  return std::holds_alternative<std::string>(x);
}

} // namespace

CAF_TEST(notice TRs and keys not of KIS form are refused) {
  core g{two_slots()};
  g.hello(1, "alpha");
  // The stock kisrt-node asking for H0STCNI0:wronguser made KIS drop the
  // whole session.
  for (auto tr : {"H0STCNI0", "H0STCNI9", "H0GSCNI0", "H0GSCNI9", "H0IFCNI0",
                  "H0IFCNI9"}) {
    auto res = g.request(1, {{tr, "wronguser"}, 2});
    CAF_CHECK(refused(res));
    CAF_CHECK(error_of(res).find("execution-notice TR") != std::string::npos);
    CAF_CHECK(!check_node_key({tr, ""}, true).empty());
    // Subscribing to notices (through the journal) touches no KIS
    // session: allowed, with an HTS ID of KIS's form or none.
    CAF_CHECK_EQUAL(check_node_key({tr, ""}, true, node_use::subscribe), "");
    CAF_CHECK_EQUAL(check_node_key({tr, "hts_01"}, true, node_use::subscribe),
                    "");
    CAF_CHECK(!check_node_key({tr, "a\nb"}, true, node_use::subscribe).empty());
    CAF_CHECK(
        !check_node_key({tr, std::string(17, 'a')}, true, node_use::subscribe)
             .empty());
  }
  CAF_CHECK(refused(g.request(1, {{"H0STCNT0", "5930"}, 2})));
  CAF_CHECK(refused(g.request(1, {{"H0STCNT0", "005930 "}, 2})));
  CAF_CHECK(refused(g.request(1, {{"H0STCNT0", "00593a"}, 2})));
  CAF_CHECK_EQUAL(error_of(g.request(1, {{"H0NOPE00", "005930"}, 2})),
                  "slot request refused: key 'H0NOPE00:005930': unknown tr_id "
                  "'H0NOPE00' (no "
                  "layout in tr-fields.json)");
  // The error names the TR, the key and the form KIS writes for it.
  CAF_CHECK_EQUAL(error_of(g.request(1, {{"H0STCNT0", "AAPL"}, 2})),
                  "slot request refused: H0STCNT0 key 'AAPL' is not a "
                  "domestic stock code: 6 "
                  "digits or capital letters (005930)");
  CAF_CHECK(error_of(g.request(1, {{"H0UPCNT0", "005930"}, 2}))
                .find("H0UPCNT0 key '005930' is not a domestic index code")
            != std::string::npos);
  CAF_CHECK(error_of(g.request(1, {{"H0IFCNT0", "0001"}, 2}))
                .find("is not a futures or options code")
            != std::string::npos);
  CAF_CHECK(refused(g.request(1, {{"HDFSCNT0", "DXXXAAPL"}, 2})));
  CAF_CHECK(refused(g.request(1, {{"HDFSCNT0", "AAPL"}, 2})));
  CAF_CHECK(refused(g.request(1, {{"HDFSCNT0", "XNASAAPL"}, 2})));
  // A 1 MB key: refused, and the error text stays short.
  auto huge = g.request(1, {{"H0STCNT0", std::string(1 << 20, '0')}, 2});
  CAF_CHECK(refused(huge));
  CAF_CHECK_LESS(error_of(huge).size(), 300u);
  CAF_CHECK_EQUAL(g.held(1), 0u);
  // KIS's forms pass.
  CAF_CHECK(!refused(g.request(1, {{"HDFSCNT0", "DNASAAPL"}, 2})));
  CAF_CHECK(!refused(g.request(1, {{"HDFSASP0", "RHKS00003"}, 2})));
  CAF_CHECK_EQUAL(check_node_key({"H0UPCNT0", "0001"}, false), "");
  CAF_CHECK_EQUAL(check_node_key({"H0IOCNT0", "201W08427"}, false), "");
  CAF_CHECK_EQUAL(check_node_key({"H0STASP0", "0126Z0"}, false), "");
  CAF_CHECK_EQUAL(check_node_key({"HDFSASP1", "RBAQAAPL"}, false), "");
  CAF_CHECK_EQUAL(check_node_key({"H0STCNT0", ""}, true), "");
  CAF_CHECK(!check_node_key({"H0STCNT0", ""}, false).empty());
}

CAF_TEST(names are escaped and bounded in texts) {
  core g{two_slots()};
  auto why = error_of(g.hello(1, "evil\n[info] node 'x' joined"));
  CAF_CHECK_EQUAL(why, "node name 'evil\\x0a[info] node \\x27x\\x27 joined' "
                       "may hold only letters, digits, '-', '_' and '.'");
  CAF_CHECK(why.find('\n') == std::string::npos);
  auto long_one = error_of(g.hello(1, std::string(100000, 'a')));
  CAF_CHECK_LESS(long_one.size(), 200u);
  CAF_CHECK_EQUAL(printable("a\x01\xff\\"), "a\\x01\\xff\\x5c");
}

CAF_TEST(one connection gets one name and nodes share a total) {
  node_gate_config cfg;
  cfg.defaults = {2, 10};
  cfg.max_slots_total = 12;
  core2 g{cfg};
  // Six names from one connection (P6): only the first is taken.
  CAF_CHECK_EQUAL(value_of(g.hello(1, "conn-a", "n1")).owner, "node:n1");
  for (int i = 2; i <= 6; ++i)
    CAF_CHECK(error_of2<core2, node_policy>(
                  g.hello(i, "conn-a", "n" + std::to_string(i)))
                  .find("this connection is already node 'n1'")
              != std::string::npos);
  // Other connections share the total.
  g.hello(7, "conn-b", "b");
  char code[] = "000000";
  auto next = [&] {
    for (int i = 5; i >= 0; --i)
      if (code[i]++ != '9')
        break;
      else
        code[i] = '0';
    return slot_key{"H0STCNT0", code};
  };
  for (int i = 0; i < 10; ++i)
    CAF_CHECK(std::holds_alternative<slot_request>(g.request(1, {next(), 3})));
  CAF_CHECK(std::holds_alternative<slot_request>(g.request(7, {next(), 3})));
  CAF_CHECK(std::holds_alternative<slot_request>(g.request(7, {next(), 3})));
  auto past = g.request(7, {next(), 3});
  CAF_CHECK(error_of2<core2, slot_request>(past).find(
                "nodes hold 12 of their 12 slot requests in total")
            != std::string::npos);
  CAF_CHECK_EQUAL(g.held_total(), 12u);
  // A node going away gives its share back; its connection may say hello
  // again.
  g.down(1);
  CAF_CHECK_EQUAL(g.held_total(), 2u);
  CAF_CHECK_EQUAL(value_of(g.hello(8, "conn-a", "n8")).owner, "node:n8");
}

CAF_TEST(a privileged policy needs TLS or an explicit opt in) {
  node_gate_config cfg;
  cfg.defaults = {2, 2};
  cfg.by_name["vip"] = {1, 5};
  cfg.by_name["lab"] = {1, 5, true};
  core plain{cfg};
  CAF_CHECK_EQUAL(error_of(plain.hello(1, "vip")),
                  "node name 'vip' has its own policy [node.vip], which "
                  "needs TLS (publish.certificate) or "
                  "node.vip.allow_unauthenticated = true");
  CAF_CHECK_EQUAL(value_of(plain.hello(2, "lab")),
                  (node_policy{"node:lab", 1, 5}));
  cfg.authenticated = true;
  core tls{cfg};
  CAF_CHECK_EQUAL(value_of(tls.hello(1, "vip")),
                  (node_policy{"node:vip", 1, 5}));
}

CAF_TEST(with TLS a name is the certificate subject of its connection) {
  node_gate_config cfg;
  cfg.defaults = {2, 2};
  cfg.by_name["vip"] = {1, 5};
  cfg.authenticated = true;
  cfg.subjects = std::make_shared<node_subjects>();
  core2 g{cfg};
  CAF_CHECK_EQUAL(error_of(g.hello(1, "conn-a", "vip", std::nullopt)),
                  "node name 'vip': no certificate subject is known for this "
                  "connection");
  CAF_CHECK_EQUAL(
      error_of(g.hello(1, "conn-a", "vip", std::string{"alpha\nforged"})),
      "node name 'vip' is not this connection's certificate "
      "subject (CN) 'alpha\\x0aforged'");
  CAF_CHECK_EQUAL(value_of(g.hello(1, "conn-a", "vip", std::string{"vip"})),
                  (node_policy{"node:vip", 1, 5}));
  // The table the relay fills, counted per connection.
  node_subjects t;
  t.add("n1", "alpha");
  t.add("n1", "alpha");
  t.remove("n1");
  CAF_CHECK_EQUAL(t.get("n1"), std::optional<std::string>{"alpha"});
  t.remove("n1");
  CAF_CHECK(!t.get("n1"));
}
