// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt/embedded_sim.hpp"

#include <string>

#include "net/kis/stock_code.hpp"
#include "sim/simulator.hpp"

namespace kisrt::app {

embedded_kis_factory embedded_simulator() {
  embedded_kis_factory f;
  f.default_kst_start = sim::options{}.kst_start;
  f.start = [](const gateway_options& o, std::int32_t yyyymmdd) {
    sim::options so;
    if (o.sim_kst_start >= 0)
      so.kst_start = o.sim_kst_start;
    so.kst_date = yyyymmdd;
    so.manual_clock = o.sim_manual_clock;
    so.seed = o.sim_seed;
    so.rate = o.sim_rate;
    so.rest_plain = true;
    so.log_level = "warn";
    for (std::size_t i = 0; i < o.sessions.size(); ++i) {
      auto& s = o.sessions[i];
      auto cano = std::to_string(50000001 + i);
      so.accounts.push_back({s.app_key, s.app_secret, s.hts_id, cano});
      for (auto& code : o.holdings)
        if (kis::is_stock_code(code)) // the domestic balance only
          so.holdings.push_back({cano, code, 10});
      // With portfolio.overseas each account also holds a US stock.
      if (o.sources.overseas)
        so.overseas_holdings.push_back({cano, "NASD", "AAPL", 5});
    }
    embedded_kis k;
    k.simulator = std::make_shared<sim::simulator>(so);
    auto ports = k.simulator->start();
    k.ws_port = ports.ws;
    k.rest_port = ports.rest;
    k.admin_port = ports.admin;
    k.stop = [simu = k.simulator.get()] { simu->stop(); };
    return k;
  };
  return f;
}

} // namespace kisrt::app
