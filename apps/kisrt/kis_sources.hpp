// SPDX-License-Identifier: Apache-2.0
// The gateway's side of the demand sources: KIS REST for balances and
// rankings (access token through net::token_cache, one rate limiter per app
// key) and the SQLite picks database. No Beast types here.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "actors/picks_loader.hpp"
#include "actors/portfolio_sync.hpp"
#include "actors/rest_limiter.hpp"
#include "actors/scanner.hpp"
#include "net/http_client.hpp"

namespace kisrt::net {
class io_runner;
} // namespace kisrt::net

namespace kisrt::app {

struct rest_account {
  std::string app_key;
  std::string app_secret; ///< secret: never logged
  std::string cano;       ///< 8 digits
  std::string custtype = "P";
  bool paper = false;
  /// Token cache directory (0700, files 0600); empty: memory only.
  std::string token_dir;
};

/// KIS REST of one app key: access token (cached, issued at most once a
/// minute), paced by the app key's limiter, every call on the io thread.
class kis_rest : public std::enable_shared_from_this<kis_rest> {
public:
  using reply = std::function<void(net::http_response, std::string error)>;

  kis_rest(std::shared_ptr<net::io_runner> io, net::http_options http,
           rest_account acct, std::shared_ptr<rest_limiter> limiter);
  ~kis_rest();

  /// GETs a /uapi `target` with `tr_id` (paper TR ids are mapped) and
  /// `tr_cont`; `done` runs once on the io thread with the response, or an
  /// error text (transport, token or KIS error) that holds no secret.
  void get(std::string target, std::string tr_id, std::string tr_cont,
           reply done);

  const rest_account& account() const noexcept;

private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

/// Every page of inquire-balance for account `cano` (empty: the account
/// of `rest`), through `rest` (the app key that owns the account).
std::shared_ptr<balance_source>
make_balance_source(std::shared_ptr<kis_rest> rest, std::string cano = {});

/// Every page of the overseas inquire-balance (TTTS3012R) of account
/// `cano` on each balance exchange of `exchanges` (NASD, SEHK, ...), one
/// after the other. Rows come as overseas real-time keys (DNASAAPL), so
/// portfolio_sync requests them on HDFSCNT0.
std::shared_ptr<balance_source>
make_overseas_balance_source(std::shared_ptr<kis_rest> rest, std::string cano,
                             std::vector<std::string> exchanges);

/// Domestic and overseas balances of one account as one snapshot (either
/// failing fails it).
std::shared_ptr<balance_source>
make_account_balance_source(std::shared_ptr<balance_source> domestic,
                            std::shared_ptr<balance_source> overseas);

/// The fluctuation and/or volume rankings, one after the other (real KIS
/// and the simulator; paper trading offers none).
std::shared_ptr<ranking_source>
make_ranking_source(std::shared_ptr<kis_rest> rest, bool fluctuation = true,
                    bool volume = true);

/// The `daily_picks` table of the SQLite file `path`, opened read-only for
/// each load (a database created later is found).
std::shared_ptr<pick_store> make_sqlite_pick_store(std::string path);

} // namespace kisrt::app
