// SPDX-License-Identifier: Apache-2.0
// Command-line flags of kisrt-sim into sim::options (docs/simulator.md).
#pragma once

#include <string>
#include <vector>

#include "sim/simulator.hpp"

namespace kisrt::sim {

enum class cli_result { run, help, error };

/// Parses `args` (without the program name). On error `error` names the
/// bad flag, e.g. "--ws-port: expected a port 0..65535, got 'x'".
cli_result parse_cli(const std::vector<std::string>& args, options& out,
                     std::string& error);

/// The --help text.
std::string cli_usage();

/// Reads an accounts file (lines `APPKEY:APPSECRET:HTS_ID:CANO [CODE:QTY,...]`,
/// '#' comments) into `out`. Returns an empty string or the error.
std::string read_accounts_file(const std::string& path, options& out);

/// "HH:MM:SS" -> seconds after midnight, or -1.
int parse_kst_time(const std::string& s);

} // namespace kisrt::sim
