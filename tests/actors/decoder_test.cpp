// SPDX-License-Identifier: Apache-2.0
#define CAF_SUITE gateway.decoder
#include <caf/test/dsl.hpp>

#include "actors/decoder.hpp"
#include "messages/type_ids.hpp"
#include "net/kis/encode.hpp"
#include "net/kis/requests.hpp"
#include "tests/actors/stubs.hpp"
#include "tests/common/actor_fixture.hpp"

using namespace kisrt;

namespace {

std::string trade_frame() {
  std::vector<std::string> f(46, "0");
  f[0] = "005930";
  f[1] = "093001";
  f[2] = "71000";
  f[3] = "2";
  f[12] = "10";
  f[33] = "20250102";
  std::string payload;
  kis::append_record(payload, f);
  return kis::encode_frame("H0STCNT0", 1, payload);
}

struct fixture : test::actor_fixture<> {
  slot_arbiter_actor arb = sys.spawn(test::arbiter_stub, caf::actor{}, nullptr);
  market_listener_actor hub = sys.spawn(test::listener_stub, caf::actor{});
  market_listener_actor portfolio =
      sys.spawn(test::listener_stub, caf::actor{});
  decoder_actor dec =
      sys.spawn(decoder, std::optional{arb}, std::optional{hub});

  decoder_counters counters() {
    decoder_counters out;
    self->send(dec, caf::get_atom_v, atom::stats_v);
    run();
    self->receive([&out](decoder_counters& x) { out = x; },
                  [](caf::error& err) { CAF_FAIL(to_string(err)); });
    return out;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(decoder_tests, fixture)

CAF_TEST(acks go to the arbiter with session and epoch) {
  auto ack = kis::encode_ack("H0STCNT0", "005930", false, "OPSP0000");
  self->send(dec, caf::receive_atom_v, session_id{2}, epoch_t{7}, ack);
  expect((caf::receive_atom, session_id, epoch_t, std::string),
         from(self).to(dec));
  expect((sub_ack), from(dec).to(arb).with(sub_ack{
                        2, 7, slot_key{"H0STCNT0", "005930"}, "OPSP0000"}));
}

CAF_TEST(trades go to the hub and notices also to portfolio sync) {
  self->send(dec, caf::subscribe_atom_v, notice_sink_actor{portfolio});
  run();
  self->send(dec, caf::receive_atom_v, session_id{1}, epoch_t{1},
             trade_frame());
  expect((caf::receive_atom, session_id, epoch_t, std::string),
         from(self).to(dec));
  expect((trade_event), from(dec).to(hub));
  disallow((trade_event), from(dec).to(portfolio));
  // An encrypted notice after the ack that brings its key.
  const std::string key = "abcdefghijklmnopabcdefghijklmnop";
  const std::string iv = "0123456789abcdef";
  self->send(dec, caf::receive_atom_v, session_id{1}, epoch_t{1},
             kis::encode_ack("H0STCNI0", "user1", true, "OPSP0000", key, iv));
  run();
  kis::aes_key k;
  CAF_REQUIRE(!k.set(key, iv));
  std::string payload;
  kis::append_record(
      payload,
      {"user1", "1234567801", "0000000001", "",      "02",     "0", "00",
       "0",     "005930",     "10",         "71000", "093001", "0", "2",
       "2",     "06010",      "10",         "HONG",  "",       "1", "Y",
       "",      "",           "",           "X",     "71000"});
  std::string frame;
  CAF_REQUIRE(!kis::encode_encrypted_frame("H0STCNI0", 1, payload, k, frame));
  self->send(dec, caf::receive_atom_v, session_id{1}, epoch_t{1}, frame);
  expect((caf::receive_atom, session_id, epoch_t, std::string),
         from(self).to(dec));
  expect((notice_event), from(dec).to(portfolio));
  expect((notice_event), from(dec).to(hub));
}

CAF_TEST(bad frames are counted not fatal) {
  self->send(dec, caf::receive_atom_v, session_id{1}, epoch_t{1},
             std::string{"0|H0STCNT0|999|x"});
  self->send(dec, caf::receive_atom_v, session_id{1}, epoch_t{1},
             trade_frame());
  expect((caf::receive_atom, session_id, epoch_t, std::string),
         from(self).to(dec));
  expect((caf::receive_atom, session_id, epoch_t, std::string),
         from(self).to(dec));
  expect((trade_event), from(dec).to(hub));
  // The counts are there for the live view, /metrics and benchmarks: by
  // session, by tr_id and by kind of error.
  auto c = counters();
  CAF_CHECK_EQUAL(c.bad_frames + c.bad_records, 1u);
  CAF_CHECK_EQUAL(c.frames_by_session, (std::vector<std::uint64_t>{0, 2}));
  CAF_CHECK_EQUAL(c.records_by_tr_id,
                  (std::vector<labelled_count>{{"H0STCNT0", 1}}));
  CAF_REQUIRE_EQUAL(c.errors_by_kind.size(), 1u);
  CAF_CHECK_EQUAL(c.errors_by_kind[0].value, 1u);
  CAF_CHECK_EQUAL(c.notices, 0u);
}

CAF_TEST(log samples are short and printable) {
  CAF_CHECK_EQUAL(log_sample("a\x01\xff"), "a??");
  CAF_CHECK_EQUAL(log_sample(std::string(200, 'x')).size(), 123u);
}

CAF_TEST_FIXTURE_SCOPE_END()
