// SPDX-License-Identifier: Apache-2.0
// Codec throughput: records/s as items_per_second, input bytes/s as
// bytes_per_second. Run: build/bin/kisrt-bench --benchmark_filter=codec
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "net/kis/aes.hpp"
#include "net/kis/control.hpp"
#include "net/kis/decoder.hpp"
#include "net/kis/encode.hpp"
#include "net/kis/generic_record.hpp"
#include "net/kis/layout.hpp"
#include "net/kis/numbers.hpp"
#include "net/kis/records.hpp"
#include "net/kis/requests.hpp"
#include "tests/net/kis/test_frames.hpp"

using namespace kisrt::kis;

namespace {

std::string trade_frame(int count) {
  return kisrt::test::trade_frame(count);
}

void codec_trade(benchmark::State& state) {
  auto count = static_cast<int>(state.range(0));
  auto msg = trade_frame(count);
  frame_decoder dec;
  trade t;
  std::int64_t sum = 0;
  for (auto _ : state) {
    if (dec.decode(msg))
      state.SkipWithError("decode failed");
    const auto& batch = dec.records();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (decode(batch[i], t))
        state.SkipWithError("typed decode failed");
      sum += t.price + t.volume;
    }
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations() * count);
  state.SetBytesProcessed(state.iterations()
                          * static_cast<std::int64_t>(msg.size()));
}
BENCHMARK(codec_trade)->Arg(1)->Arg(19)->Name("codec/H0STCNT0_full");

// Frame split plus typed price (STCK_PRPR) and quantity (CNTG_VOL): what a
// tick consumer needs first; the full typed record is measured above.
void codec_trade_price_qty(benchmark::State& state) {
  auto count = static_cast<int>(state.range(0));
  auto msg = trade_frame(count);
  frame_decoder dec;
  std::int64_t sum = 0;
  for (auto _ : state) {
    if (dec.decode(msg))
      state.SkipWithError("decode failed");
    const auto& batch = dec.records();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      std::int64_t price = 0;
      std::int64_t qty = 0;
      auto rec = batch[i];
      if (!parse_int(rec[2], price) || !parse_int(rec[12], qty))
        state.SkipWithError("typed field failed");
      sum += price + qty;
    }
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations() * count);
  state.SetBytesProcessed(state.iterations()
                          * static_cast<std::int64_t>(msg.size()));
}
BENCHMARK(codec_trade_price_qty)->Arg(1)->Arg(19)->Name("codec/H0STCNT0");

void codec_book(benchmark::State& state) {
  std::vector<std::string> f;
  f.push_back("005930");
  f.push_back("093001");
  f.push_back("0");
  for (int i = 0; i < 10; ++i)
    f.push_back(std::to_string(71100 + i * 100));
  for (int i = 0; i < 10; ++i)
    f.push_back(std::to_string(71000 - i * 100));
  for (int i = 0; i < 20; ++i)
    f.push_back(std::to_string(1000 + i * 37));
  for (int i = 43; i < 59; ++i)
    f.push_back(std::to_string(i * 11));
  std::string payload;
  append_record(payload, f);
  auto msg = encode_frame("H0STASP0", 1, payload);
  frame_decoder dec;
  order_book b;
  std::int64_t sum = 0;
  for (auto _ : state) {
    if (dec.decode(msg) || decode(dec.records()[0], b))
      state.SkipWithError("decode failed");
    sum += b.asks[0].price;
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations()
                          * static_cast<std::int64_t>(msg.size()));
}
BENCHMARK(codec_book)->Name("codec/H0STASP0");

void codec_notice(benchmark::State& state) {
  const std::string key = "abcdefghijklmnopabcdefghijklmnop";
  const std::string iv = "0123456789abcdef";
  std::string plain = "TESTID^1234567801^0000012345^^02^0^00^0^005930^10^"
                      "71000^093001^0^2^2^06010^10^HONG^^1^Y^^^^"
                      "\xec\x82\xbc\xec\x84\xb1\xec\xa0\x84\xec\x9e\x90^71000";
  aes_key k;
  k.set(key, iv);
  std::string msg;
  encode_encrypted_frame("H0STCNI0", 1, plain, k, msg);
  frame_decoder dec;
  dec.set_key("H0STCNI0", key, iv);
  exec_notice n;
  std::int64_t sum = 0;
  for (auto _ : state) {
    if (dec.decode(msg) || decode(dec.records()[0], n))
      state.SkipWithError("decode failed");
    sum += n.fill_qty;
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations()
                          * static_cast<std::int64_t>(msg.size()));
}
BENCHMARK(codec_notice)->Name("codec/H0STCNI0_encrypted");

void codec_ack(benchmark::State& state) {
  auto msg = encode_ack("H0STCNI0", "HTSID01", true, "OPSP0000",
                        "abcdefghijklmnopabcdefghijklmnop", "0123456789abcdef");
  control_message m;
  std::size_t sum = 0;
  for (auto _ : state) {
    if (parse_control(msg, m))
      state.SkipWithError("parse failed");
    sum += m.key.size();
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations()
                          * static_cast<std::int64_t>(msg.size()));
}
BENCHMARK(codec_ack)->Name("codec/ack_json");

// The generic record of a TR without a typed one, for records the size of
// H0UNASP0 (65 fields): frame split, then per record a fresh
// generic_record (as the decoder makes one per event) with its key and
// text.
void codec_generic(benchmark::State& state) {
  auto count = static_cast<int>(state.range(0));
  auto* layout = find_layout("H0UNASP0");
  std::string payload;
  for (int r = 0; r < count; ++r) {
    std::vector<std::string> f;
    f.push_back("005930");
    f.push_back("093001");
    f.push_back("0");
    for (int i = 0; i < 10; ++i)
      f.push_back(std::to_string(71100 + i * 100));
    for (int i = 0; i < 10; ++i)
      f.push_back(std::to_string(71000 - i * 100));
    for (int i = 0; i < 20; ++i)
      f.push_back(std::to_string(1000 + i * 37 + r));
    while (f.size() < layout->width)
      f.push_back(std::to_string(f.size() * 11));
    append_record(payload, f); // '^' between records
  }
  auto msg = encode_frame("H0UNASP0", static_cast<std::size_t>(count), payload);
  frame_decoder dec;
  std::size_t sum = 0;
  for (auto _ : state) {
    if (dec.decode(msg))
      state.SkipWithError("decode failed");
    const auto& batch = dec.records();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      generic_record g;
      if (decode(batch[i], g))
        state.SkipWithError("generic decode failed");
      sum += g.text.size() + g.key.size();
    }
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations() * count);
  state.SetBytesProcessed(state.iterations()
                          * static_cast<std::int64_t>(msg.size()));
}
BENCHMARK(codec_generic)->Arg(1)->Arg(10)->Name("codec/generic");

} // namespace
