// SPDX-License-Identifier: Apache-2.0
// kisrt-scenario [--trace] FILE...: runs scenario scripts (docs/scenarios.md)
// deterministically against the real actors under simulated time.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "apps/common/version.hpp"
#include "apps/kisrt-scenario/runner.hpp"
#include "apps/kisrt-scenario/script.hpp"

namespace {

constexpr const char* usage =
    "usage: kisrt-scenario [--trace] [--live] FILE...\n"
    "  Runs each scenario of each FILE against the arbiter, connections,\n"
    "  decoder and hub with a scripted KIS under simulated time; prints PASS\n"
    "  or FAIL per scenario. Exit status: 0 all passed, 1 a scenario failed,\n"
    "  2 usage or syntax error (nothing runs). See docs/scenarios.md.\n"
    "  --trace  print every message exchanged\n"
    "  --live   run the scenarios marked `config live=on` against kisrt-sim\n"
    "           over real sockets (in-process, loopback) in real time\n";

} // namespace

int main(int argc, char** argv) {
  if (kisrt::print_version_if_asked(argc, argv, "kisrt-scenario"))
    return 0;
  kisrt::scenario::run_options opts;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--trace") {
      opts.trace = true;
    } else if (a == "--help" || a == "-h") {
      std::cout << usage;
      return 0;
    } else if (a == "--live") {
      opts.live = true;
    } else if (!a.empty() && a[0] == '-') {
      std::cerr << "kisrt-scenario: unknown option '" << a << "'\n" << usage;
      return 2;
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) {
    std::cerr << usage;
    return 2;
  }
  // Every file parses (and its config checks) before anything runs.
  std::vector<kisrt::scenario::script> scripts;
  bool bad = false;
  for (auto& f : files) {
    std::ifstream in{f, std::ios::binary};
    if (!in) {
      std::cerr << f << ": cannot read the file\n";
      bad = true;
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    std::vector<kisrt::scenario::script> out;
    if (auto err = kisrt::scenario::parse(text.str(), f, out)) {
      std::cerr << err->to_string() << '\n';
      bad = true;
      continue;
    }
    if (out.empty()) {
      std::cerr << f << ":1:1: no scenario in this file\n";
      bad = true;
      continue;
    }
    for (auto& sc : out) {
      if (auto err = kisrt::scenario::check_config(sc)) {
        std::cerr << err->to_string() << '\n';
        bad = true;
      }
      scripts.push_back(std::move(sc));
    }
  }
  if (bad)
    return 2;
  int passed = 0, failed = 0, skipped = 0;
  for (auto& sc : scripts) {
    switch (kisrt::scenario::run(sc, opts, std::cout)) {
      case kisrt::scenario::outcome::pass: ++passed; break;
      case kisrt::scenario::outcome::fail: ++failed; break;
      case kisrt::scenario::outcome::skip: ++skipped; break;
    }
  }
  std::cout << passed << " passed, " << failed << " failed";
  if (opts.live)
    std::cout << ", " << skipped << " skipped";
  std::cout << '\n';
  return failed == 0 ? 0 : 1;
}
