// SPDX-License-Identifier: Apache-2.0
// kisrt-example-callbacks: embedding level 2 (docs/embedding.md), for code
// that does not use actors. subscribe() with a callback, run() on a thread
// of your choice, close() from anywhere (here: from inside the callback).
// Only apps/kisrt/client.hpp is included: no CAF, Beast or Asio.
//
//   kisrt-example-callbacks [--config FILE] [--events N] [TR_ID SYMBOL...]
//
// Prints N events (default 10) of TR_ID for the symbols (default H0STASP0
// 005930 000660) from the embedded simulator, or KIS with --config.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "apps/common/version.hpp"
#include "apps/kisrt/client.hpp"

#if defined(CAF_VERSION) || defined(BOOST_BEAST_VERSION)                       \
    || defined(BOOST_ASIO_VERSION)
#error "apps/kisrt/client.hpp must not expose CAF, Beast or Asio"
#endif

int main(int argc, char** argv) {
  if (kisrt::print_version_if_asked(argc, argv, "kisrt-example-callbacks"))
    return 0;
  kisrt::client_options opts;
  int events = 10;
  std::vector<std::string> args; // TR_ID SYMBOL...
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--config" && i + 1 < argc) {
      opts.config_file = argv[++i];
    } else if (arg == "--events" && i + 1 < argc) {
      events = std::atoi(argv[++i]);
    } else if (arg.rfind("--", 0) == 0) {
      std::cerr << "usage: kisrt-example-callbacks [--config FILE] "
                   "[--events N] [TR_ID SYMBOL...]\n";
      return 2;
    } else {
      args.push_back(arg);
    }
  }
  if (args.size() < 2)
    args = {"H0STASP0", "005930", "000660"};
  std::string tr_id = args[0];
  std::vector<std::string> symbols(args.begin() + 1, args.end());
  opts.sim = opts.config_file.empty();
  try {
    kisrt::client kis{opts};
    int seen = 0;
    kis.subscribe(tr_id, symbols, [&](const kisrt::client_event& ev) {
      if (auto* t = std::get_if<kisrt::kis::trade>(&ev.data))
        std::cout << ev.tr_id << ' ' << t->symbol << " price " << t->price
                  << " volume " << t->volume << '\n';
      else if (auto* b = std::get_if<kisrt::kis::order_book>(&ev.data))
        std::cout << ev.tr_id << ' ' << b->symbol << " ask " << b->asks[0].price
                  << " bid " << b->bids[0].price << '\n';
      else
        std::cout << ev.tr_id << ' ' << ev.key << '\n';
      if (++seen == events)
        kis.close(); // run() returns
    });
    kis.run();
    std::cout << "received " << seen << " events\n";
  } catch (const std::exception& e) {
    std::cerr << "kisrt-example-callbacks: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
