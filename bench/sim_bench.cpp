// SPDX-License-Identifier: Apache-2.0
// Simulator throughput: data records/s delivered to one WebSocket connection
// on loopback, as items_per_second. The simulator runs in-process on its
// own thread; the benchmark thread is the client.
// Run: build/bin/kisrt-bench --benchmark_filter=sim
#include <benchmark/benchmark.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include "bench/latency_counters.hpp"
#include "net/kis/frame.hpp"
#include "net/kis/requests.hpp"
#include "sim/simulator.hpp"

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::string approval_key(std::uint16_t port) {
  asio::io_context ioc;
  beast::tcp_stream s{ioc};
  s.connect(tcp::endpoint{asio::ip::make_address("127.0.0.1"), port});
  http::request<http::string_body> req{http::verb::post, "/oauth2/Approval",
                                       11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::content_type, "application/json");
  req.body() = kisrt::kis::encode_approval_request("BENCHKEY", "BENCHSECRET");
  req.prepare_payload();
  http::write(s, req);
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(s, buf, res);
  auto v = boost::json::parse(res.body());
  return std::string{v.at("approval_key").as_string()};
}

// Record count of a data frame: `<enc>|<tr_id>|<count>|...`.
std::size_t record_count(std::string_view msg) {
  if (msg.empty() || (msg[0] != '0' && msg[0] != '1'))
    return 0;
  auto a = msg.find('|');
  auto b = msg.find('|', a + 1);
  if (a == std::string_view::npos || b == std::string_view::npos
      || b + 4 > msg.size())
    return 0;
  std::size_t n = 0;
  std::from_chars(msg.data() + b + 1, msg.data() + b + 4, n);
  return n;
}

// The simulator with ten H0STCNT0 registrations on one blocking Beast
// WebSocket client: the bare loop both cases read from.
struct bare_client {
  kisrt::sim::simulator sim;
  asio::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};

  static kisrt::sim::options opts(const benchmark::State& state) {
    kisrt::sim::options o;
    o.accounts = {{"BENCHKEY", "BENCHSECRET", "bench", "12345678"}};
    o.rate = static_cast<double>(state.range(0));
    o.batch_max = static_cast<std::size_t>(state.range(1));
    o.kst_start = 10 * 3600;
    o.rest_plain = true;
    o.log_level = "off";
    o.pingpong_interval = std::chrono::hours(1);
    o.pingpong_timeout = std::chrono::hours(2);
    return o;
  }

  explicit bare_client(kisrt::sim::options o)
      : sim(std::move(o)) {
    auto p = sim.start();
    auto ak = approval_key(p.rest);
    beast::get_lowest_layer(ws).connect(
        tcp::endpoint{asio::ip::make_address("127.0.0.1"), p.ws});
    ws.handshake("127.0.0.1", "/tryitout");
    ws.read_message_max(64 * 1024 * 1024);
    const char* codes[] = {"005930", "000660", "035420", "035720", "005380",
                           "000270", "051910", "006400", "373220", "207940"};
    for (const char* code : codes) {
      ws.write(asio::buffer(kisrt::kis::encode_subscription(
          ak, kisrt::kis::tr_type::subscribe, "H0STCNT0", code)));
    }
  }

  ~bare_client() {
    beast::error_code ec;
    beast::get_lowest_layer(ws).socket().close(ec);
    sim.stop();
  }
};

void sim_records_to_one_connection(benchmark::State& state) {
  bare_client c{bare_client::opts(state)};
  beast::flat_buffer buf;
  std::size_t records = 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    buf.clear();
    c.ws.read(buf);
    auto n = buf.size();
    std::string_view msg{static_cast<const char*>(buf.cdata().data()), n};
    records += record_count(msg);
    bytes += n;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(records));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

// The bare loop's latency on the stamped stream gateway_latency reads
// (options::stamp_trades): the simulator's send timestamp to the moment this
// blocking Beast read loop has the record, i.e. the floor under any
// gateway: the simulator's write, loopback and one thread wake-up.
void sim_latency_bare(benchmark::State& state) {
  auto o = bare_client::opts(state);
  o.stamp_trades = true;
  o.tick = std::chrono::microseconds{state.range(2)};
  bare_client c{o};
  beast::flat_buffer buf;
  std::vector<std::string_view> fields;
  std::vector<std::int64_t> lat;
  lat.reserve(1 << 22);
  constexpr std::size_t width = 46; // H0STCNT0 (tr-fields.json)
  constexpr std::size_t stamp_field = 14;
  std::size_t warmup = 5000;
  for (auto _ : state) {
    buf.clear();
    c.ws.read(buf);
    auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
                   .count();
    std::string_view msg{static_cast<const char*>(buf.cdata().data()),
                         buf.size()};
    kisrt::kis::frame f;
    if (kisrt::kis::classify(msg) != kisrt::kis::message_kind::data
        || kisrt::kis::split_frame(msg, f))
      continue;
    kisrt::kis::split_fields(f.payload, fields);
    for (std::size_t i = 0; i < f.count; ++i) {
      auto at = i * width + stamp_field;
      if (at >= fields.size())
        break;
      std::int64_t ns = 0;
      auto sv = fields[at];
      std::from_chars(sv.data(), sv.data() + sv.size(), ns);
      if (warmup > 0)
        --warmup;
      else
        lat.push_back(now - ns);
    }
  }
  kisrt::bench::report_latency(state, std::move(lat));
}

} // namespace

BENCHMARK(sim_latency_bare)
    ->ArgNames({"rate", "batch_max", "tick_us"})
    ->Args({10'000, 20, 100})
    ->Args({10'000, 20, 5000})
    ->UseRealTime()
    ->MinTime(5.0);

BENCHMARK(sim_records_to_one_connection)
    ->ArgNames({"rate", "batch_max"})
    ->Args({1'000'000, 50})
    ->Args({1'000'000, 20})
    ->UseRealTime()
    ->MinTime(2.0);
