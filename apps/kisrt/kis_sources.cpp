// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt/kis_sources.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdlib>
#include <deque>
#include <sys/stat.h>

#include "apps/kisrt/metrics.hpp"
#include "net/io_runner.hpp"
#include "net/kis/overseas_balance.hpp"
#include "net/kis/requests.hpp"
#include "net/kis/rest.hpp"
#include "net/token_cache.hpp"
#include "store/picks_db.hpp"
#include "store/picks_watch.hpp"

namespace kisrt::app {

namespace {

mono_time steady_now() {
  return std::chrono::duration_cast<mono_time>(
      std::chrono::steady_clock::now().time_since_epoch());
}

// Token expiry is wall time by nature (KIS states it in KST); this is the
// net side, not actor logic.
std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

} // namespace

struct kis_rest::impl : std::enable_shared_from_this<kis_rest::impl> {
  std::shared_ptr<net::io_runner> io;
  std::unique_ptr<net::http_client> http;
  rest_account acct;
  std::shared_ptr<rest_limiter> limiter;
  std::optional<net::token_cache> cache;
  net::token_cache::entry token;
  bool disk_tried = false;
  bool requesting = false;
  std::deque<std::function<void(std::string, std::string)>> waiters;

  // Sends `req` at the limiter's next free time.
  void send(net::http_request req, std::function<void(net::http_response)> f) {
    auto now = steady_now();
    auto at = limiter->reserve(now);
    auto self = shared_from_this();
    io->post_after(at - now, [self, req = std::move(req), f = std::move(f)] {
      self->http->async_request(req, f);
    });
  }

  void flush(const std::string& error) {
    auto ws = std::move(waiters);
    waiters.clear();
    for (auto& w : ws)
      w(error.empty() ? token.token : std::string{}, error);
  }

  // Calls `f(token, error)` on the io thread.
  void with_token(std::function<void(std::string, std::string)> f) {
    auto now = unix_now();
    if (net::token_cache::usable(token, now, 60)) {
      f(token.token, {});
      return;
    }
    if (cache && !disk_tried) {
      disk_tried = true;
      std::string err;
      if (auto e = cache->load(acct.app_key, err)) {
        token = *e;
        if (net::token_cache::usable(token, now, 60)) {
          f(token.token, {});
          return;
        }
      } else if (!err.empty()) {
        spdlog::warn("rest: token cache: {}", err);
      }
    }
    waiters.push_back(std::move(f));
    if (requesting)
      return;
    requesting = true;
    if (!net::token_cache::may_request(token, now)) {
      // KIS issues at most one token a minute (EGW00133): wait for it.
      auto wait = std::chrono::seconds{token.last_request + 60 - now};
      auto self = shared_from_this();
      io->post_after(wait, [self] {
        self->requesting = false;
        auto ws = std::move(self->waiters);
        self->waiters.clear();
        for (auto& w : ws)
          self->with_token(std::move(w));
      });
      return;
    }
    token.last_request = now;
    net::http_request req;
    req.method = "POST";
    req.target = "/oauth2/tokenP";
    req.headers = {{"content-type", "application/json; charset=utf-8"}};
    req.body = kis::encode_token_request(acct.app_key, acct.app_secret);
    auto self = shared_from_this();
    send(std::move(req), [self, now](net::http_response res) {
      self->requesting = false;
      if (!res.error.empty()) {
        count_rest_request("token", false);
        self->flush("token request: " + res.error);
        return;
      }
      if (auto err = kis::read_rest_error(res.status, res.body); !err.empty()) {
        count_rest_request("token", false);
        self->flush("token request: " + err.to_string());
        return;
      }
      kis::access_token t;
      if (auto err = kis::parse_token_response(res.body, t)) {
        count_rest_request("token", false);
        self->flush("token response: " + err.to_string());
        return;
      }
      count_rest_request("token", true);
      self->token.token = t.token;
      auto exp = net::parse_kst_datetime(t.expires_at);
      self->token.expires_at = exp > 0 ? exp : now + t.expires_in;
      if (self->cache) {
        std::string err;
        if (!self->cache->store(self->acct.app_key, self->token, err))
          spdlog::warn("rest: token cache: {}", err);
      }
      self->flush({});
    });
  }

  // One GET with the current token. A token KIS refuses (EGW00121 unknown or
  // revoked, EGW00123 expired; e.g. a stale one from the cache) is dropped
  // and the call made once more with a freshly issued one.
  void get(std::string target, std::string tr_id, std::string tr_cont,
           kis_rest::reply done, bool retried) {
    auto d = shared_from_this();
    d->with_token([d, target, tr_id, tr_cont, done,
                   retried](std::string token, std::string error) {
      if (!error.empty()) {
        done({}, error);
        return;
      }
      net::http_request req;
      req.method = "GET";
      req.target = target;
      req.headers = {
          {"content-type", "application/json; charset=utf-8"},
          {"authorization", "Bearer " + token},
          {"appkey", d->acct.app_key},
          {"appsecret", d->acct.app_secret},
          {"tr_id", d->acct.paper ? kis::paper_rest_tr_id(tr_id) : tr_id},
          {"tr_cont", tr_cont},
          {"custtype", d->acct.custtype},
      };
      d->send(std::move(req), [d, target, tr_id, tr_cont, done, retried,
                               token](net::http_response res) {
        auto err = res.error.empty()
                       ? kis::read_rest_error(res.status, res.body)
                       : kis::rest_error{};
        count_rest_request(rest_api_of(target),
                           res.error.empty() && err.empty());
        if (!res.error.empty()) {
          done({}, res.error);
          return;
        }
        if (!err.empty()) {
          if (err.code == "EGW00121" || err.code == "EGW00123") {
            // Forget it unless another call already replaced it.
            if (d->token.token == token) {
              d->token.token.clear();
              d->token.expires_at = 0;
            }
            if (!retried) {
              spdlog::warn("rest: {} refused the access token ({}); asking for "
                           "a new one",
                           tr_id, err.code);
              d->get(target, tr_id, tr_cont, done, true);
              return;
            }
          }
          done({}, err.to_string());
          return;
        }
        done(std::move(res), {});
      });
    });
  }
};

kis_rest::kis_rest(std::shared_ptr<net::io_runner> io, net::http_options http,
                   rest_account acct, std::shared_ptr<rest_limiter> limiter)
    : impl_(std::make_shared<impl>()) {
  impl_->io = std::move(io);
  impl_->http = std::make_unique<net::http_client>(*impl_->io, std::move(http));
  impl_->acct = std::move(acct);
  impl_->limiter = std::move(limiter);
  if (!impl_->acct.token_dir.empty()) {
    // token_cache creates the last directory; make its parents (0700).
    auto& dir = impl_->acct.token_dir;
    for (auto pos = dir.find('/', 1); pos != std::string::npos;
         pos = dir.find('/', pos + 1))
      ::mkdir(dir.substr(0, pos).c_str(), 0700);
    impl_->cache.emplace(dir);
  }
}

kis_rest::~kis_rest() = default;

const rest_account& kis_rest::account() const noexcept {
  return impl_->acct;
}

void kis_rest::get(std::string target, std::string tr_id, std::string tr_cont,
                   reply done) {
  auto d = impl_;
  d->io->post_after(std::chrono::nanoseconds{0},
                    [d, target = std::move(target), tr_id = std::move(tr_id),
                     tr_cont = std::move(tr_cont), done = std::move(done)] {
                      d->get(target, tr_id, tr_cont, done, false);
                    });
}

// -- balance --

namespace {

class rest_balance : public balance_source,
                     public std::enable_shared_from_this<rest_balance> {
public:
  rest_balance(std::shared_ptr<kis_rest> rest, std::string cano)
      : rest_(std::move(rest))
      , cano_(std::move(cano)) {
    if (cano_.empty())
      cano_ = rest_->account().cano;
  }

  void fetch(std::function<void(balance_snapshot)> done) override {
    page(std::make_shared<balance_snapshot>(), "", "", "", 0, std::move(done));
  }

private:
  void page(std::shared_ptr<balance_snapshot> acc, std::string fk,
            std::string nk, std::string tr_cont, int n,
            std::function<void(balance_snapshot)> done) {
    auto self = shared_from_this();
    auto rest = rest_;
    auto target = "/uapi/domestic-stock/v1/trading/inquire-balance?"
                  + kis::balance_query(cano_, fk, nk);
    rest->get(target, "TTTC8434R", tr_cont,
              [self, acc, n, done](net::http_response res, std::string error) {
                if (!error.empty()) {
                  done({{}, "inquire-balance: " + error});
                  return;
                }
                kis::balance_page p;
                if (auto err = kis::parse_balance_response(
                        res.body, res.header("tr_cont"), p)) {
                  done({{}, "inquire-balance: " + err.to_string()});
                  return;
                }
                for (auto& r : p.rows)
                  acc->rows.push_back({r.code, r.qty});
                if (p.more && n < 100)
                  self->page(acc, p.ctx_fk100, p.ctx_nk100, "N", n + 1, done);
                else
                  done(std::move(*acc));
              });
  }

  std::shared_ptr<kis_rest> rest_;
  std::string cano_;
};

class rest_overseas_balance
    : public balance_source,
      public std::enable_shared_from_this<rest_overseas_balance> {
public:
  rest_overseas_balance(std::shared_ptr<kis_rest> rest, std::string cano,
                        std::vector<std::string> exchanges)
      : rest_(std::move(rest))
      , cano_(std::move(cano))
      , exchanges_(std::move(exchanges)) {
    // nop
  }

  void fetch(std::function<void(balance_snapshot)> done) override {
    page(std::make_shared<balance_snapshot>(), 0, "", "", "", 0,
         std::move(done));
  }

private:
  // Exchange `ex`, page `n` of it; then the next exchange.
  void page(std::shared_ptr<balance_snapshot> acc, std::size_t ex,
            std::string fk, std::string nk, std::string tr_cont, int n,
            std::function<void(balance_snapshot)> done) {
    if (ex >= exchanges_.size()) {
      done(std::move(*acc));
      return;
    }
    auto self = shared_from_this();
    auto target = "/uapi/overseas-stock/v1/trading/inquire-balance?"
                  + kis::overseas_balance_query(cano_, exchanges_[ex], fk, nk);
    rest_->get(
        target, "TTTS3012R", tr_cont,
        [self, acc, ex, n, done](net::http_response res, std::string error) {
          auto what = "overseas inquire-balance " + self->exchanges_[ex] + ": ";
          if (!error.empty()) {
            done({{}, what + error});
            return;
          }
          kis::overseas_balance_page p;
          if (auto err = kis::parse_overseas_balance_response(
                  res.body, res.header("tr_cont"), p)) {
            done({{}, what + err.to_string()});
            return;
          }
          for (auto& r : p.rows) {
            auto key = kis::overseas_realtime_key(
                r.exchange.empty() ? self->exchanges_[ex] : r.exchange,
                r.symbol);
            if (key.empty()) {
              spdlog::warn("portfolio: overseas holding {} on {} has no "
                           "real-time key; not followed",
                           r.symbol.substr(0, 32), r.exchange.substr(0, 8));
              continue;
            }
            acc->rows.push_back({key, r.qty});
          }
          if (p.more && n < 100)
            self->page(acc, ex, p.ctx_fk200, p.ctx_nk200, "N", n + 1, done);
          else
            self->page(acc, ex + 1, "", "", "", 0, done);
        });
  }

  std::shared_ptr<kis_rest> rest_;
  std::string cano_;
  std::vector<std::string> exchanges_;
};

class rest_ranking : public ranking_source {
public:
  rest_ranking(std::shared_ptr<kis_rest> rest, bool fluct, bool vol)
      : rest_(std::move(rest)) {
    if (fluct)
      calls_.push_back({fluctuation, "FHPST01700000", "fluctuation ranking"});
    if (vol)
      calls_.push_back({volume, "FHPST01710000", "volume ranking"});
  }

  void fetch(std::function<void(ranking_snapshot)> done) override {
    step(rest_, calls_, 0, std::make_shared<ranking_snapshot>(),
         std::move(done));
  }

private:
  struct call {
    const char* target;
    const char* tr_id;
    const char* what;
  };

  // One ranking after the other (each waits for the rate limiter).
  static void step(std::shared_ptr<kis_rest> rest, std::vector<call> calls,
                   std::size_t i, std::shared_ptr<ranking_snapshot> acc,
                   std::function<void(ranking_snapshot)> done) {
    if (i >= calls.size()) {
      done(std::move(*acc));
      return;
    }
    auto c = calls[i];
    rest->get(c.target, c.tr_id, "",
              [rest, calls, i, acc, done, c](net::http_response res,
                                             std::string error) {
                if (!add(acc, res, error, c.what))
                  done(std::move(*acc));
                else
                  step(rest, calls, i + 1, acc, done);
              });
  }

  static bool add(const std::shared_ptr<ranking_snapshot>& acc,
                  const net::http_response& res, const std::string& error,
                  const char* what) {
    if (!error.empty()) {
      acc->error = std::string{what} + ": " + error;
      return false;
    }
    std::vector<kis::ranking_row> rows;
    if (auto err = kis::parse_ranking_response(res.body, rows)) {
      acc->error = std::string{what} + ": " + err.to_string();
      return false;
    }
    for (auto& r : rows)
      acc->rows.push_back(
          {r.code, std::strtod(r.change_rate.c_str(), nullptr), r.volume});
    return true;
  }

  static constexpr const char* fluctuation =
      "/uapi/domestic-stock/v1/ranking/fluctuation?fid_cond_mrkt_div_code=J"
      "&fid_cond_scr_div_code=20170&fid_input_iscd=0000"
      "&fid_rank_sort_cls_code=0&fid_input_cnt_1=0&fid_prc_cls_code=1"
      "&fid_input_price_1=&fid_input_price_2=&fid_vol_cnt="
      "&fid_trgt_cls_code=0&fid_trgt_exls_cls_code=0&fid_div_cls_code=0"
      "&fid_rsfl_rate1=&fid_rsfl_rate2=";
  static constexpr const char* volume =
      "/uapi/domestic-stock/v1/quotations/volume-rank"
      "?FID_COND_MRKT_DIV_CODE=J&FID_COND_SCR_DIV_CODE=20171"
      "&FID_INPUT_ISCD=0000&FID_DIV_CLS_CODE=0&FID_BLNG_CLS_CODE=0"
      "&FID_TRGT_CLS_CODE=111111111&FID_TRGT_EXLS_CLS_CODE=000000"
      "&FID_INPUT_PRICE_1=&FID_INPUT_PRICE_2=&FID_VOL_CNT=&FID_INPUT_DATE_1=";

  std::shared_ptr<kis_rest> rest_;
  std::vector<call> calls_;
};

class sqlite_picks : public pick_store {
public:
  explicit sqlite_picks(std::string path)
      : path_(std::move(path))
      , watch_(path_) {
    // nop
  }

  bool changed() override { return watch_.changed(); }

  std::vector<pick_entry> load(std::int32_t date, std::size_t limit,
                               std::string& warning) override {
    struct stat st {};
    if (::stat(path_.c_str(), &st) != 0) {
      warning = "picks database " + path_
                + " does not exist (create it with `kisrt picks import`)";
      return {};
    }
    try {
      store::picks_db db{path_, false};
      auto xs = db.load(date, limit);
      if (xs.empty())
        warning = "no picks for " + std::to_string(date) + " in " + path_;
      return xs;
    } catch (const std::exception& e) {
      warning = e.what();
      return {};
    }
  }

private:
  std::string path_;
  store::picks_watch watch_; // picks.poll: data_version on one connection
};

} // namespace

std::shared_ptr<balance_source>
make_balance_source(std::shared_ptr<kis_rest> rest, std::string cano) {
  return std::make_shared<rest_balance>(std::move(rest), std::move(cano));
}

std::shared_ptr<balance_source>
make_overseas_balance_source(std::shared_ptr<kis_rest> rest, std::string cano,
                             std::vector<std::string> exchanges) {
  return std::make_shared<rest_overseas_balance>(
      std::move(rest), std::move(cano), std::move(exchanges));
}

std::shared_ptr<balance_source>
make_account_balance_source(std::shared_ptr<balance_source> domestic,
                            std::shared_ptr<balance_source> overseas) {
  if (!overseas)
    return domestic;
  // Codes of the two never overlap (6 digits, DNASAAPL), so the merge only
  // joins them.
  return merged_balance_source(
      {{{}, std::move(domestic)}, {{}, std::move(overseas)}});
}

std::shared_ptr<ranking_source>
make_ranking_source(std::shared_ptr<kis_rest> rest, bool fluctuation,
                    bool volume) {
  return std::make_shared<rest_ranking>(std::move(rest), fluctuation, volume);
}

std::shared_ptr<pick_store> make_sqlite_pick_store(std::string path) {
  return std::make_shared<sqlite_picks>(std::move(path));
}

} // namespace kisrt::app
