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
#include "net/kis/layout.hpp"
#include "net/kis/records.hpp"
#include "net/kis/requests.hpp"

using namespace kisrt::kis;

namespace {

// A realistic H0STCNT0 record (46 fields) with a varying price.
std::vector<std::string> trade_fields(int i) {
  std::vector<std::string> f = {"005930",
                                "093001",
                                std::to_string(71000 + (i % 50) * 100),
                                "2",
                                "500",
                                "0.71",
                                "70950.12",
                                "70500",
                                "71500",
                                "70400",
                                "71100",
                                "71000",
                                std::to_string(1 + i % 300),
                                "1234567",
                                "87654321000",
                                "1200",
                                "1300",
                                "100",
                                "108.33",
                                "500000",
                                "541667",
                                "1",
                                "52.01",
                                "88.12",
                                "090000",
                                "2",
                                "500",
                                "091500",
                                "5",
                                "-500",
                                "090500",
                                "2",
                                "600",
                                "20250101",
                                "20",
                                "N",
                                "1500",
                                "2300",
                                "150000",
                                "160000",
                                "0.21",
                                "1000000",
                                "123.45",
                                "0",
                                "0",
                                "71000"};
  return f;
}

std::string trade_frame(int count) {
  std::string payload;
  for (int i = 0; i < count; ++i)
    append_record(payload, trade_fields(i));
  return encode_frame("H0STCNT0", static_cast<std::size_t>(count), payload);
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
BENCHMARK(codec_trade)->Arg(1)->Arg(19)->Name("codec/H0STCNT0");

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

} // namespace
