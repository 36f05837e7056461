// SPDX-License-Identifier: Apache-2.0
// REST (rest.md) and admin handlers of the engine: request in, reply out,
// no sockets.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <optional>
#include <set>

#include <boost/json.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <spdlog/spdlog.h>

#include "net/kis/base64.hpp"
#include "sim/engine.hpp"
#include "sim/log.hpp"

namespace kisrt::sim {

namespace json = boost::json;

namespace {

constexpr std::int64_t token_life_ms = 24LL * 3600 * 1000;
constexpr std::int64_t token_reuse_ms = 6LL * 3600 * 1000;
constexpr std::size_t max_rank_rows = 30;

json::string_view jsv(std::string_view s) {
  return {s.data(), s.size()};
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size()
         && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
              return std::tolower(static_cast<unsigned char>(x))
                     == std::tolower(static_cast<unsigned char>(y));
            });
}

int hexval(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

std::string pct_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hexval(s[i + 1]) >= 0
               && hexval(s[i + 2]) >= 0) {
      out += static_cast<char>(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Query parameters; names match case-insensitively (the two ranking APIs
// disagree on case).
struct query {
  std::vector<std::pair<std::string, std::string>> kv;

  explicit query(std::string_view target) {
    auto q = target.find('?');
    if (q == std::string_view::npos)
      return;
    auto rest = target.substr(q + 1);
    while (!rest.empty()) {
      auto amp = rest.find('&');
      auto part = rest.substr(0, amp);
      auto eq = part.find('=');
      kv.emplace_back(pct_decode(part.substr(0, eq)),
                      eq == std::string_view::npos
                          ? std::string{}
                          : pct_decode(part.substr(eq + 1)));
      if (amp == std::string_view::npos)
        break;
      rest.remove_prefix(amp + 1);
    }
  }

  std::string get(std::string_view name) const {
    for (const auto& [k, v] : kv)
      if (iequals(k, name))
        return v;
    return {};
  }
};

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(' ');
  if (b == std::string_view::npos)
    return {};
  auto e = s.find_last_not_of(' ');
  return std::string{s.substr(b, e - b + 1)};
}

std::string pad100(std::string s) {
  s.resize(100, ' ');
  return s;
}

std::int64_t to_int(const std::string& s, std::int64_t def) {
  if (s.empty())
    return def;
  char* end = nullptr;
  auto v = std::strtoll(s.c_str(), &end, 10);
  return end != nullptr && *end == '\0' ? v : def;
}

http_reply json_reply(int status, const json::value& v) {
  http_reply r;
  r.status = status;
  r.headers.emplace_back("content-type", "application/json; charset=UTF-8");
  r.body = json::serialize(v);
  return r;
}

// OAuth errors: {"error_description":..,"error_code":..}.
http_reply oauth_error(int status, std::string_view code,
                       std::string_view desc) {
  json::object o;
  o["error_description"] = jsv(desc);
  o["error_code"] = jsv(code);
  return json_reply(status, o);
}

// /uapi errors: HTTP 500 {"rt_cd":"1","msg_cd":..,"msg1":..}.
http_reply api_error(std::string_view code, std::string_view msg1,
                     int status = 500) {
  json::object o;
  o["rt_cd"] = "1";
  o["msg_cd"] = jsv(code);
  o["msg1"] = jsv(msg1);
  return json_reply(status, o);
}

std::string b64url(std::string_view in) {
  std::string out;
  kis::base64_encode(in, out);
  for (auto& c : out)
    c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!out.empty() && out.back() == '=')
    out.pop_back();
  return out;
}

std::string kst_stamp(std::int64_t unix_s) {
  std::time_t t = static_cast<std::time_t>(unix_s + 9 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

std::string s(std::int64_t v) {
  return std::to_string(v);
}

// Reads a JSON object body; nullptr when it is not one.
std::optional<json::object> parse_body(const std::string& body) {
  if (body.size() > 64 * 1024)
    return std::nullopt;
  boost::system::error_code ec;
  json::parse_options po;
  po.max_depth = 8;
  auto v = json::parse(body, ec, {}, po);
  if (ec || !v.is_object())
    return std::nullopt;
  return std::move(v.as_object());
}

std::string field(const json::object& o, std::string_view k) {
  auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string{v->as_string()} : std::string{};
}

} // namespace

std::string engine::make_token(const std::string& app_key, std::int64_t iat,
                               std::int64_t exp) {
  json::object h;
  h["typ"] = "JWT";
  h["alg"] = "HS512";
  json::object p;
  p["sub"] = "token";
  p["aud"] = jsv(new_uuid());
  p["prdt_cd"] = "";
  p["iss"] = "unogw";
  p["exp"] = exp;
  p["iat"] = iat;
  p["jti"] = jsv(app_key);
  auto signing = b64url(json::serialize(h)) + '.' + b64url(json::serialize(p));
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha512(), hmac_key_.data(), static_cast<int>(hmac_key_.size()),
       reinterpret_cast<const unsigned char*>(signing.data()), signing.size(),
       mac, &len);
  return signing + '.'
         + b64url(std::string_view{reinterpret_cast<char*>(mac), len});
}

http_reply engine::rest(const http_request& req) {
  auto path = std::string_view{req.target}.substr(0, req.target.find('?'));
  if (path == "/oauth2/tokenP" || path == "/oauth2/revokeP"
      || path == "/oauth2/Approval") {
    if (req.method != "POST")
      return oauth_error(405, "EGW00002", "POST only");
    if (path == "/oauth2/tokenP")
      return rest_token(req);
    if (path == "/oauth2/revokeP")
      return rest_revoke(req);
    return rest_approval(req);
  }
  if (path.substr(0, 6) != "/uapi/")
    return api_error("EGW00002", "요청하신 URL을 찾을 수 없습니다.", 404);
  // Authentication first, then the per-key rate limit.
  auto auth = req.header("authorization");
  std::string tok;
  if (auth.size() > 7 && iequals(auth.substr(0, 7), "bearer "))
    tok = trim(auth.substr(7));
  auto t = tokens_.find(tok);
  if (tok.empty() || t == tokens_.end() || t->second.revoked)
    return api_error("EGW00121", "유효하지 않은 token 입니다.");
  auto now = now_ms();
  if (now - t->second.issued_ms >= token_life_ms)
    return api_error("EGW00123", "기간이 만료된 token 입니다.");
  const auto app_key = t->second.app_key;
  auto& times = req_times_[app_key];
  while (!times.empty() && now - times.front() >= 1000)
    times.pop_front();
  std::size_t limit = opts_.paper ? 2 : 20;
  if (times.size() >= limit) {
    ++rest_refused_["EGW00201"];
    return api_error("EGW00201", "초당 거래건수를 초과하였습니다.");
  }
  times.push_back(now);
  auto* a = account_by_key(app_key);
  if (a == nullptr || req.header("appkey") != app_key)
    return api_error("EGW00103", "유효하지 않은 AppKey입니다.");
  if (req.header("appsecret") != a->acct.app_secret)
    return api_error("EGW00105", "유효하지 않은 AppSecret입니다.");
  auto tr_id = std::string{req.header("tr_id")};
  auto want = [&](std::string_view id) { return tr_id == id; };
  http_reply r;
  if (path == "/uapi/domestic-stock/v1/trading/inquire-balance") {
    if (!want(opts_.paper ? "VTTC8434R" : "TTTC8434R"))
      return api_error("OPSQ0002", "없는 서비스 코드 입니다");
    r = rest_balance(req, *a);
  } else if (path == "/uapi/domestic-stock/v1/ranking/fluctuation"
             || path == "/uapi/domestic-stock/v1/quotations/volume-rank") {
    bool fluct = path.find("fluctuation") != std::string_view::npos;
    if (!want(fluct ? "FHPST01700000" : "FHPST01710000"))
      return api_error("OPSQ0002", "없는 서비스 코드 입니다");
    if (opts_.paper)
      return api_error("OPSQ0002",
                       "모의투자에서는 해당업무가 제공되지 않습니다.");
    r = fluct ? rest_fluctuation(req) : rest_volume_rank(req);
  } else if (path == "/uapi/overseas-stock/v1/trading/inquire-balance") {
    if (!want(opts_.paper ? "VTTS3012R" : "TTTS3012R"))
      return api_error("OPSQ0002", "없는 서비스 코드 입니다");
    r = rest_overseas_balance(req, *a);
  } else if (path == "/uapi/domestic-stock/v1/quotations/inquire-price") {
    if (!want("FHKST01010100"))
      return api_error("OPSQ0002", "없는 서비스 코드 입니다");
    r = rest_price(req);
  } else if (path == "/uapi/overseas-price/v1/quotations/price") {
    if (!want("HHDFS00000300"))
      return api_error("OPSQ0002", "없는 서비스 코드 입니다");
    r = rest_overseas_price(req);
  } else if (path == "/uapi/domestic-stock/v1/quotations/chk-holiday") {
    if (!want("CTCA0903R"))
      return api_error("OPSQ0002", "없는 서비스 코드 입니다");
    if (opts_.paper)
      return api_error("OPSQ0002",
                       "모의투자에서는 해당업무가 제공되지 않습니다.");
    r = rest_holiday(req);
  } else {
    return api_error("EGW00002", "요청하신 URL을 찾을 수 없습니다.", 404);
  }
  ++rest_calls_[tr_id];
  r.headers.emplace_back("tr_id", tr_id);
  bool has_cont = false;
  for (const auto& h : r.headers)
    has_cont = has_cont || h.first == "tr_cont";
  if (!has_cont)
    r.headers.emplace_back("tr_cont", "");
  r.headers.emplace_back("gt_uid", gt_uid());
  return r;
}

http_reply engine::rest_token(const http_request& req) {
  auto body = parse_body(req.body);
  if (!body)
    return oauth_error(400, "EGW00002", "요청 본문이 올바른 JSON이 아닙니다.");
  auto key = field(*body, "appkey");
  auto* a = account_by_key(key);
  if (key.empty() || a == nullptr)
    return oauth_error(403, "EGW00103", "유효하지 않은 AppKey입니다.");
  if (field(*body, "appsecret") != a->acct.app_secret)
    return oauth_error(403, "EGW00105", "유효하지 않은 AppSecret입니다.");
  auto now = now_ms();
  auto last = last_token_ms_.find(key);
  if (last != last_token_ms_.end()
      && now - last->second < opts_.token_interval.count())
    return oauth_error(403, "EGW00133",
                       "접근토큰 발급 잠시 후 다시 시도하세요(1분당 1회)");
  last_token_ms_[key] = now;
  std::string tok;
  auto cur = current_token_.find(key);
  if (cur != current_token_.end()) {
    auto& info = tokens_[cur->second];
    if (!info.revoked && now - info.issued_ms < token_reuse_ms)
      tok = cur->second;
  }
  if (tok.empty()) {
    auto iat = unix_now();
    tok = make_token(key, iat, iat + 86400);
    tokens_[tok] = token_info{key, now, false};
    current_token_[key] = tok;
    log()->info("token issued for app key {}", key);
  }
  const auto& info = tokens_[tok];
  auto issued_unix = unix_now() - (now - info.issued_ms) / 1000;
  json::object o;
  o["access_token"] = jsv(tok);
  o["access_token_token_expired"] = jsv(kst_stamp(issued_unix + 86400));
  o["token_type"] = "Bearer";
  o["expires_in"] = 86400 - (now - info.issued_ms) / 1000;
  return json_reply(200, o);
}

http_reply engine::rest_revoke(const http_request& req) {
  auto body = parse_body(req.body);
  if (!body)
    return oauth_error(400, "EGW00002", "요청 본문이 올바른 JSON이 아닙니다.");
  auto key = field(*body, "appkey");
  auto* a = account_by_key(key);
  if (key.empty() || a == nullptr)
    return oauth_error(403, "EGW00103", "유효하지 않은 AppKey입니다.");
  if (field(*body, "appsecret") != a->acct.app_secret)
    return oauth_error(403, "EGW00105", "유효하지 않은 AppSecret입니다.");
  auto tok = field(*body, "token");
  auto t = tokens_.find(tok);
  if (t == tokens_.end() || t->second.app_key != key || t->second.revoked)
    return oauth_error(403, "EGW00121", "유효하지 않은 token 입니다.");
  t->second.revoked = true;
  current_token_.erase(key);
  log()->info("token revoked for app key {}", key);
  json::object o;
  o["code"] = 200;
  o["message"] = "접근토큰 폐기에 성공하였습니다";
  return json_reply(200, o);
}

http_reply engine::rest_approval(const http_request& req) {
  auto body = parse_body(req.body);
  if (!body)
    return oauth_error(400, "EGW00002", "요청 본문이 올바른 JSON이 아닙니다.");
  auto key = field(*body, "appkey");
  auto* a = account_by_key(key);
  if (key.empty() || a == nullptr)
    return oauth_error(403, "EGW00103", "유효하지 않은 AppKey입니다.");
  // The field is `secretkey`, not `appsecret`.
  if (field(*body, "secretkey") != a->acct.app_secret)
    return oauth_error(403, "EGW00105", "유효하지 않은 AppSecret입니다.");
  auto ak = new_uuid();
  approvals_[ak] = approval_info{key, now_ms()};
  log()->info("approval key issued for app key {}", key);
  json::object o;
  o["approval_key"] = jsv(ak);
  return json_reply(200, o);
}

http_reply engine::rest_balance(const http_request& req, account_state& a) {
  query q{req.target};
  if (q.get("CANO") != a.acct.cano)
    return api_error("OPSQ2000", "ERROR : INPUT_FIELD_NAME CANO");
  if (q.get("ACNT_PRDT_CD") != "01")
    return api_error("OPSQ2000", "ERROR : INPUT_FIELD_NAME ACNT_PRDT_CD");
  std::vector<std::string> codes;
  for (const auto& [code, p] : a.pos)
    if (p.qty != 0 || p.prev_qty != 0 || p.bought != 0 || p.sold != 0)
      codes.push_back(code);
  std::size_t start = 0;
  bool next = req.header("tr_cont") == "N";
  if (next) {
    auto nk = trim(q.get("CTX_AREA_NK100"));
    if (!nk.empty()) {
      auto prefix = a.acct.cano + "^01^";
      if (nk.compare(0, prefix.size(), prefix) != 0)
        return api_error("OPSQ2001", "ERROR : INPUT_FIELD_NAME CTX_AREA_NK100");
      auto after = nk.substr(prefix.size());
      after = after.substr(0, after.find('^'));
      start = static_cast<std::size_t>(
          std::upper_bound(codes.begin(), codes.end(), after) - codes.begin());
    }
  }
  std::size_t page = opts_.paper ? 20 : 50;
  auto end = std::min(codes.size(), start + page);
  bool more = end < codes.size();
  int k = kst();
  json::array rows;
  std::int64_t tot_pchs = 0, tot_evlu = 0;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    auto* st = market_.find(codes[i]);
    auto& p = a.pos[codes[i]];
    market_.touch(*st, k);
    auto evlu = p.qty * st->last;
    tot_pchs += p.pchs_amt;
    tot_evlu += evlu;
    if (i < start || i >= end)
      continue;
    json::object r;
    r["pdno"] = jsv(codes[i]);
    r["prdt_name"] = jsv(st->name);
    r["trad_dvsn_name"] = "현금";
    r["bfdy_buy_qty"] = "0";
    r["bfdy_sll_qty"] = "0";
    r["thdt_buyqty"] = s(p.bought);
    r["thdt_sll_qty"] = s(p.sold);
    r["hldg_qty"] = s(p.qty);
    r["ord_psbl_qty"] = s(p.qty - p.pending_sell);
    r["pchs_avg_pric"] = fixed4(p.qty > 0 ? p.pchs_amt * 10000 / p.qty : 0);
    r["pchs_amt"] = s(p.pchs_amt);
    r["prpr"] = s(st->last);
    r["evlu_amt"] = s(evlu);
    r["evlu_pfls_amt"] = s(evlu - p.pchs_amt);
    r["evlu_pfls_rt"] =
        fixed2(p.pchs_amt > 0 ? (evlu - p.pchs_amt) * 10000 / p.pchs_amt : 0);
    r["evlu_erng_rt"] = "0.00000000";
    r["loan_dt"] = "";
    r["loan_amt"] = "0";
    r["stln_slng_chgs"] = "0";
    r["expd_dt"] = "";
    r["fltt_rt"] = fixed2(st->rate_bp());
    r["bfdy_cprs_icdc"] = s(st->change());
    r["item_mgna_rt_name"] = "";
    r["grta_rt_name"] = "";
    r["sbst_pric"] = "0";
    r["stck_loan_unpr"] = "0.0000";
    rows.push_back(std::move(r));
  }
  json::object sum;
  sum["dnca_tot_amt"] = s(a.cash);
  sum["nxdy_excc_amt"] = s(a.cash);
  sum["prvs_rcdl_excc_amt"] = s(a.cash);
  sum["cma_evlu_amt"] = "0";
  sum["bfdy_buy_amt"] = "0";
  sum["thdt_buy_amt"] = s(a.buy_amt);
  sum["nxdy_auto_rdpt_amt"] = "0";
  sum["bfdy_sll_amt"] = "0";
  sum["thdt_sll_amt"] = s(a.sell_amt);
  sum["d2_auto_rdpt_amt"] = "0";
  sum["bfdy_tlex_amt"] = "0";
  sum["thdt_tlex_amt"] = "0";
  sum["tot_loan_amt"] = "0";
  sum["scts_evlu_amt"] = s(tot_evlu);
  sum["tot_evlu_amt"] = s(tot_evlu + a.cash);
  sum["nass_amt"] = s(tot_evlu + a.cash);
  sum["fncg_gld_auto_rdpt_yn"] = "";
  sum["pchs_amt_smtl_amt"] = s(tot_pchs);
  sum["evlu_amt_smtl_amt"] = s(tot_evlu);
  sum["evlu_pfls_smtl_amt"] = s(tot_evlu - tot_pchs);
  sum["tot_stln_slng_chgs"] = "0";
  sum["bfdy_tot_asst_evlu_amt"] = s(tot_pchs + 100'000'000);
  sum["asst_icdc_amt"] = "0";
  sum["asst_icdc_erng_rt"] = "0.00000000";
  json::array out2;
  out2.push_back(std::move(sum));
  std::string nk;
  if (end > start)
    nk = a.acct.cano + "^01^" + codes[end - 1] + "^";
  json::object o;
  o["ctx_area_fk100"] = jsv(pad100(a.acct.cano + "^01^N^N^02^01^N^N^00^"));
  o["ctx_area_nk100"] = jsv(pad100(nk));
  o["output1"] = std::move(rows);
  o["output2"] = std::move(out2);
  o["rt_cd"] = "0";
  if (opts_.paper) {
    o["msg_cd"] = "20310000";
    o["msg1"] = "모의투자 조회가 완료되었습니다.                               "
                "                  ";
  } else {
    o["msg_cd"] = "KIOK0510";
    o["msg1"] = "조회가 완료되었습니다                                         "
                "                  ";
  }
  auto r = json_reply(200, o);
  bool first = start == 0;
  r.headers.emplace_back("tr_cont",
                         more ? (first ? "F" : "M") : (first ? "D" : "E"));
  return r;
}

// Overseas balance: the configured overseas holdings of the account on the
// asked exchange (NASD answers every US exchange, as KIS does on real
// accounts), in one page.
http_reply engine::rest_overseas_balance(const http_request& req,
                                         const account_state& a) {
  query q{req.target};
  if (q.get("CANO") != a.acct.cano)
    return api_error("OPSQ2000", "ERROR : INPUT_FIELD_NAME CANO");
  if (q.get("ACNT_PRDT_CD") != "01")
    return api_error("OPSQ2000", "ERROR : INPUT_FIELD_NAME ACNT_PRDT_CD");
  auto ex = std::string{q.get("OVRS_EXCG_CD")};
  static const std::set<std::string> known{
      "NASD", "NYSE", "AMEX", "SEHK", "SHAA", "SZAA", "TKSE", "HASE", "VNSE"};
  if (known.count(ex) == 0)
    return api_error("OPSQ2000", "ERROR : INPUT_FIELD_NAME OVRS_EXCG_CD");
  bool us_all = ex == "NASD" && !opts_.paper;
  json::array rows;
  for (const auto& h : opts_.overseas_holdings) {
    if (h.cano != a.acct.cano || h.qty <= 0)
      continue;
    bool us =
        h.exchange == "NASD" || h.exchange == "NYSE" || h.exchange == "AMEX";
    if (h.exchange != ex && !(us_all && us))
      continue;
    auto* st = market_.find_us(h.symbol);
    std::string last = st != nullptr ? fixed4(st->last) : "0.0000";
    json::object r;
    r["cano"] = jsv(a.acct.cano);
    r["acnt_prdt_cd"] = "01";
    r["prdt_type_cd"] = "512";
    r["ovrs_pdno"] = jsv(h.symbol);
    r["ovrs_item_name"] = jsv(h.symbol);
    r["frcr_evlu_pfls_amt"] = "0.00000";
    r["evlu_pfls_rt"] = "0.00";
    r["pchs_avg_pric"] = jsv(last);
    r["ovrs_cblc_qty"] = s(h.qty);
    r["ord_psbl_qty"] = s(h.qty);
    r["frcr_pchs_amt1"] = "0.00000";
    r["ovrs_stck_evlu_amt"] = "0.00000";
    r["now_pric2"] = jsv(last);
    r["tr_crcy_cd"] = us ? "USD" : "";
    r["ovrs_excg_cd"] = jsv(h.exchange);
    r["loan_type_cd"] = "10";
    r["loan_dt"] = "";
    r["expd_dt"] = "";
    rows.push_back(std::move(r));
  }
  json::object sum;
  sum["frcr_pchs_amt1"] = "0.00000";
  sum["ovrs_rlzt_pfls_amt"] = "0.00000";
  sum["ovrs_tot_pfls"] = "0.00000";
  sum["tot_evlu_pfls_amt"] = "0.00000";
  json::object o;
  o["ctx_area_fk200"] = jsv(pad100(a.acct.cano + "^01^" + ex + "^"));
  o["ctx_area_nk200"] = jsv(pad100(""));
  o["output1"] = std::move(rows);
  o["output2"] = std::move(sum);
  o["rt_cd"] = "0";
  o["msg_cd"] = opts_.paper ? "20310000" : "KIOK0510";
  o["msg1"] = "조회가 완료되었습니다";
  auto r = json_reply(200, o);
  r.headers.emplace_back("tr_cont", "D");
  return r;
}

namespace {

bool board_matches(const stock& st, const std::string& iscd) {
  if (iscd == "0001")
    return st.market == board::kospi;
  if (iscd == "1001")
    return st.market == board::kosdaq;
  return true;
}

std::string success_msg() {
  return "정상처리 되었습니다.";
}

} // namespace

http_reply engine::rest_fluctuation(const http_request& req) {
  query q{req.target};
  auto iscd = q.get("fid_input_iscd");
  auto sort = q.get("fid_rank_sort_cls_code");
  auto prc_cls = q.get("fid_prc_cls_code");
  auto p1 = to_int(q.get("fid_input_price_1"), 0);
  auto p2 = to_int(q.get("fid_input_price_2"), 0);
  auto vol = to_int(q.get("fid_vol_cnt"), 0);
  double r1 = 0, r2 = 0;
  bool has_r1 = !q.get("fid_rsfl_rate1").empty();
  bool has_r2 = !q.get("fid_rsfl_rate2").empty();
  if (has_r1)
    r1 = std::atof(q.get("fid_rsfl_rate1").c_str());
  if (has_r2)
    r2 = std::atof(q.get("fid_rsfl_rate2").c_str());
  int k = kst();
  std::vector<stock*> pick;
  for (auto& st : market_.stocks()) {
    market_.touch(st, k);
    if (!board_matches(st, iscd))
      continue;
    if (p1 > 0 && st.last < p1)
      continue;
    if (p2 > 0 && st.last > p2)
      continue;
    if (vol > 0 && st.cum_vol < vol)
      continue;
    double rate = static_cast<double>(st.rate_bp()) / 100.0;
    if (has_r1 && rate < r1)
      continue;
    if (has_r2 && rate > r2)
      continue;
    pick.push_back(&st);
  }
  auto low_rate = [](const stock* x) {
    return x->low > 0 ? (x->last - x->low) * 10000 / x->low : 0;
  };
  bool fall = sort == "1";
  bool vs_low = prc_cls == "0";
  std::stable_sort(pick.begin(), pick.end(), [&](stock* a, stock* b) {
    auto ka = vs_low ? low_rate(a) : a->rate_bp();
    auto kb = vs_low ? low_rate(b) : b->rate_bp();
    if (ka != kb)
      return fall ? ka < kb : ka > kb;
    return a->code < b->code;
  });
  json::array rows;
  for (std::size_t i = 0; i < pick.size() && i < max_rank_rows; ++i) {
    auto& st = *pick[i];
    json::object r;
    r["stck_shrn_iscd"] = jsv(st.code);
    r["data_rank"] = s(static_cast<std::int64_t>(i + 1));
    r["hts_kor_isnm"] = jsv(st.name);
    r["stck_prpr"] = s(st.last);
    r["prdy_vrss"] = s(st.change());
    r["prdy_vrss_sign"] = std::string(1, st.sign());
    r["prdy_ctrt"] = fixed2(st.rate_bp());
    r["acml_vol"] = s(st.cum_vol);
    r["stck_hgpr"] = s(st.high);
    r["hgpr_hour"] = hhmmss(st.high_time);
    r["acml_hgpr_date"] = s(market_.date());
    r["stck_lwpr"] = s(st.low);
    r["lwpr_hour"] = hhmmss(st.low_time);
    r["acml_lwpr_date"] = s(market_.date());
    r["lwpr_vrss_prpr_rate"] = fixed2(low_rate(&st));
    r["dsgt_date_clpr_vrss_prpr_rate"] = fixed2(st.rate_bp());
    r["cnnt_ascn_dynu"] = st.change() > 0 ? "1" : "0";
    r["hgpr_vrss_prpr_rate"] =
        fixed2(st.high > 0 ? (st.last - st.high) * 10000 / st.high : 0);
    r["cnnt_down_dynu"] = st.change() < 0 ? "1" : "0";
    r["oprc_vrss_prpr_sign"] = std::string(1, st.last > st.open   ? '2'
                                              : st.last < st.open ? '5'
                                                                  : '3');
    r["oprc_vrss_prpr"] = s(st.last - st.open);
    r["oprc_vrss_prpr_rate"] =
        fixed2(st.open > 0 ? (st.last - st.open) * 10000 / st.open : 0);
    r["prd_rsfl"] = s(st.change());
    r["prd_rsfl_sign"] = std::string(1, st.sign());
    r["prd_rsfl_rate"] = fixed2(st.rate_bp());
    rows.push_back(std::move(r));
  }
  json::object o;
  o["output"] = std::move(rows);
  o["rt_cd"] = "0";
  o["msg_cd"] = "MCA00000";
  o["msg1"] = jsv(success_msg());
  return json_reply(200, o);
}

http_reply engine::rest_volume_rank(const http_request& req) {
  query q{req.target};
  auto iscd = q.get("FID_INPUT_ISCD");
  auto blng = q.get("FID_BLNG_CLS_CODE");
  auto p1 = to_int(q.get("FID_INPUT_PRICE_1"), 0);
  auto p2 = to_int(q.get("FID_INPUT_PRICE_2"), 0);
  auto vol = to_int(q.get("FID_VOL_CNT"), 0);
  int k = kst();
  std::vector<stock*> pick;
  for (auto& st : market_.stocks()) {
    market_.touch(st, k);
    if (!board_matches(st, iscd))
      continue;
    if (p1 > 0 && st.last < p1)
      continue;
    if (p2 > 0 && st.last > p2)
      continue;
    if (vol > 0 && st.cum_vol < vol)
      continue;
    pick.push_back(&st);
  }
  auto inrt = [](const stock* x) {
    return x->prev_vol > 0 ? x->cum_vol * 10000 / x->prev_vol : 0;
  };
  auto tnrt = [](const stock* x) {
    return x->listed > 0 ? x->cum_vol * 1000000 / x->listed : 0;
  };
  auto key = [&](const stock* x) -> std::int64_t {
    if (blng == "1")
      return inrt(x);
    if (blng == "2")
      return tnrt(x);
    if (blng == "3" || blng == "4")
      return x->cum_value;
    return x->cum_vol;
  };
  std::stable_sort(pick.begin(), pick.end(), [&](stock* a, stock* b) {
    auto ka = key(a), kb = key(b);
    return ka != kb ? ka > kb : a->code < b->code;
  });
  json::array rows;
  for (std::size_t i = 0; i < pick.size() && i < max_rank_rows; ++i) {
    auto& st = *pick[i];
    json::object r;
    r["hts_kor_isnm"] = jsv(st.name);
    r["mksc_shrn_iscd"] = jsv(st.code);
    r["data_rank"] = s(static_cast<std::int64_t>(i + 1));
    r["stck_prpr"] = s(st.last);
    r["prdy_vrss_sign"] = std::string(1, st.sign());
    r["prdy_vrss"] = s(st.change());
    r["prdy_ctrt"] = fixed2(st.rate_bp());
    r["acml_vol"] = s(st.cum_vol);
    r["prdy_vol"] = s(st.prev_vol);
    r["lstn_stcn"] = s(st.listed);
    r["avrg_vol"] = s(st.prev_vol);
    r["n_befr_clpr_vrss_prpr_rate"] = fixed2(st.rate_bp());
    r["vol_inrt"] = fixed2(inrt(&st));
    r["vol_tnrt"] = fixed2(tnrt(&st) / 100);
    r["nday_vol_tnrt"] = fixed2(tnrt(&st) / 100);
    r["avrg_tr_pbmn"] = s(st.prev_vol * st.prev_close);
    r["tr_pbmn_tnrt"] = fixed2(tnrt(&st) / 100);
    r["nday_tr_pbmn_tnrt"] = fixed2(tnrt(&st) / 100);
    r["acml_tr_pbmn"] = s(st.cum_value);
    rows.push_back(std::move(r));
  }
  json::object o;
  o["output"] = std::move(rows);
  o["rt_cd"] = "0";
  o["msg_cd"] = "MCA00000";
  o["msg1"] = jsv(success_msg());
  return json_reply(200, o);
}

// The holiday call: `holiday_days` dates from BASS_DT on, one page; a
// configured holiday has opnd_yn "N", every other day trades.
http_reply engine::rest_holiday(const http_request& req) {
  constexpr int holiday_days = 31;
  query q{req.target};
  auto bass = q.get("BASS_DT");
  int y = 0, m = 0, d = 0;
  if (bass.size() != 8
      || std::sscanf(std::string{bass}.c_str(), "%4d%2d%2d", &y, &m, &d) != 3
      || m < 1 || m > 12 || d < 1 || d > 31) {
    json::object o;
    o["rt_cd"] = "1";
    o["msg_cd"] = "OPSQ2001";
    o["msg1"] = "BASS_DT 값을 확인하세요.";
    return json_reply(200, o);
  }
  // Days since 1970-01-01 and back (Howard Hinnant's civil algorithms).
  auto days_from_civil = [](std::int64_t yy, std::int64_t mm, std::int64_t dd) {
    yy -= mm <= 2;
    auto era = (yy >= 0 ? yy : yy - 399) / 400;
    auto yoe = yy - era * 400;
    auto doy = (153 * (mm + (mm > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
    auto doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  };
  auto civil = [](std::int64_t z) {
    z += 719468;
    auto era = (z >= 0 ? z : z - 146096) / 146097;
    auto doe = z - era * 146097;
    auto yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    auto yy = yoe + era * 400;
    auto doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    auto mp = (5 * doy + 2) / 153;
    auto dd = doy - (153 * mp + 2) / 5 + 1;
    auto mm = mp < 10 ? mp + 3 : mp - 9;
    return static_cast<std::int32_t>((yy + (mm <= 2)) * 10000 + mm * 100 + dd);
  };
  auto first = days_from_civil(y, m, d);
  json::array rows;
  for (int i = 0; i < holiday_days; ++i) {
    auto date = civil(first + i);
    auto wd = ((first + i) % 7 + 11) % 7; // 0 Sunday (1970-01-01: Thursday)
    bool closed = std::find(opts_.holidays.begin(), opts_.holidays.end(), date)
                  != opts_.holidays.end();
    json::object row;
    row["bass_dt"] = std::to_string(date);
    row["wday_dvsn_cd"] = "0" + std::to_string(wd + 1);
    row["bzdy_yn"] = closed ? "N" : "Y";
    row["tr_day_yn"] = closed ? "N" : "Y";
    row["opnd_yn"] = closed ? "N" : "Y";
    row["sttl_day_yn"] = closed ? "N" : "Y";
    rows.push_back(std::move(row));
  }
  json::object o;
  o["ctx_area_nk"] = "";
  o["ctx_area_fk"] = "";
  o["output"] = std::move(rows);
  o["rt_cd"] = "0";
  o["msg_cd"] = "MCA00000";
  o["msg1"] = "정상처리 되었습니다.";
  return json_reply(200, o);
}

http_reply engine::rest_price(const http_request& req) {
  query q{req.target};
  auto code = q.get("FID_INPUT_ISCD");
  auto* st = market_.find(code);
  if (st == nullptr) {
    json::object o;
    o["rt_cd"] = "7";
    o["msg_cd"] = "KIER2570";
    o["msg1"] = "조회할 자료가 없습니다.";
    return json_reply(200, o);
  }
  market_.touch(*st, kst());
  json::object out;
  out["iscd_stat_cls_code"] = "55";
  out["marg_rate"] = "20.00";
  out["rprs_mrkt_kor_name"] = st->market == board::kospi ? "KOSPI" : "KOSDAQ";
  out["bstp_kor_isnm"] = "기타";
  out["temp_stop_yn"] = "N";
  out["oprc_rang_cont_yn"] = "N";
  out["clpr_rang_cont_yn"] = "N";
  out["crdt_able_yn"] = "Y";
  out["grmn_rate_cls_code"] = "40";
  out["elw_pblc_yn"] = "N";
  out["stck_prpr"] = s(st->last);
  out["prdy_vrss"] = s(st->change());
  out["prdy_vrss_sign"] = std::string(1, st->sign());
  out["prdy_ctrt"] = fixed2(st->rate_bp());
  out["acml_tr_pbmn"] = s(st->cum_value);
  out["acml_vol"] = s(st->cum_vol);
  out["prdy_vrss_vol_rate"] =
      fixed2(st->prev_vol > 0 ? st->cum_vol * 10000 / st->prev_vol : 0);
  out["stck_oprc"] = s(st->open);
  out["stck_hgpr"] = s(st->high);
  out["stck_lwpr"] = s(st->low);
  out["stck_mxpr"] = s(st->upper);
  out["stck_llam"] = s(st->lower);
  out["stck_sdpr"] = s(st->prev_close);
  out["wghn_avrg_stck_prc"] = fixed2(
      st->cum_vol > 0 ? st->cum_value * 100 / st->cum_vol : st->last * 100);
  out["hts_frgn_ehrt"] = "30.00";
  out["frgn_ntby_qty"] = "0";
  out["pgtr_ntby_qty"] = s(st->pgm_buy_qty - st->pgm_sell_qty);
  out["aspr_unit"] = s(tick_size(st->last));
  out["hts_deal_qty_unit_val"] = "1";
  out["lstn_stcn"] = s(st->listed);
  out["hts_avls"] = s(st->listed * st->last / 100'000'000);
  out["per"] = "10.00";
  out["pbr"] = "1.00";
  out["vol_tnrt"] =
      fixed2(st->listed > 0 ? st->cum_vol * 10000 / st->listed : 0);
  out["stck_fcam"] = "100";
  out["stck_shrn_iscd"] = jsv(st->code);
  out["vi_cls_code"] = "N";
  out["ovtm_vi_cls_code"] = "N";
  out["invt_caful_yn"] = "N";
  out["mrkt_warn_cls_code"] = "00";
  out["short_over_yn"] = "N";
  out["sltr_yn"] = "N";
  json::object o;
  o["output"] = std::move(out);
  o["rt_cd"] = "0";
  o["msg_cd"] = "MCA00000";
  o["msg1"] = jsv(success_msg());
  return json_reply(200, o);
}

// The overseas price call (HHDFS00000300): AUTH, EXCD, SYMB. A symbol the
// simulator does not trade answers with empty prices, as KIS does.
http_reply engine::rest_overseas_price(const http_request& req) {
  query q{req.target};
  auto* us = market_.find_us(q.get("SYMB"));
  json::object out;
  out["rsym"] =
      jsv(us != nullptr ? "D" + q.get("EXCD") + us->symbol : std::string{});
  out["zdiv"] = us != nullptr ? "4" : "";
  out["base"] = us != nullptr ? jsv(fixed4(us->prev_close)) : "";
  out["pvol"] = us != nullptr ? "0" : "";
  out["last"] = us != nullptr ? jsv(fixed4(us->last)) : "";
  auto d = us != nullptr ? us->last - us->prev_close : 0;
  char sign = d > 0 ? '2' : d < 0 ? '5' : '3';
  out["sign"] = us != nullptr ? std::string(1, sign) : "";
  out["diff"] = us != nullptr ? jsv(fixed4(d < 0 ? -d : d)) : "";
  out["rate"] =
      us != nullptr
          ? jsv(fixed2(us->prev_close > 0 ? d * 10000 / us->prev_close : 0))
          : "";
  out["tvol"] = us != nullptr ? jsv(s(us->cum_vol)) : "";
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%.2f", us != nullptr ? us->cum_value : 0.0);
  out["tamt"] = us != nullptr ? buf : "";
  out["ordy"] = us != nullptr ? "매도불가" : "";
  json::object o;
  o["output"] = std::move(out);
  o["rt_cd"] = "0";
  o["msg_cd"] = "MCA00000";
  o["msg1"] = jsv(success_msg());
  return json_reply(200, o);
}

// -- admin --

http_reply engine::admin(const http_request& req) {
  auto path = std::string_view{req.target}.substr(0, req.target.find('?'));
  auto reply = [](const admin_result& r) {
    http_reply h;
    h.status = r.status;
    h.headers.emplace_back("content-type", "application/json");
    h.body = r.body;
    return h;
  };
  auto error = [&](int status, std::string_view msg) {
    json::object o;
    o["error"] = jsv(msg);
    return reply(admin_result{status, json::serialize(o)});
  };
  if (path == "/state") {
    if (req.method != "GET")
      return error(405, "GET /state");
    return reply(admin_result{200, state_json()});
  }
  if (path == "/feeds") {
    if (req.method != "GET")
      return error(405, "GET /feeds");
    return reply(admin_result{200, feeds_json()});
  }
  if (path == "/order") {
    if (req.method != "POST")
      return error(405, "POST /order");
    auto body = parse_body(req.body);
    if (!body)
      return error(400, "body must be a JSON object");
    order_request o;
    o.cano = field(*body, "cano");
    o.code = field(*body, "code");
    o.side = field(*body, "side");
    auto num = [&](std::string_view k, std::int64_t& out) {
      auto* v = body->if_contains(k);
      if (v == nullptr)
        return true;
      if (v->is_int64())
        out = v->as_int64();
      else if (v->is_uint64() && v->as_uint64() <= INT64_MAX)
        out = static_cast<std::int64_t>(v->as_uint64());
      else
        return false;
      return true;
    };
    if (!num("qty", o.qty) || !num("price", o.price))
      return error(400, "qty and price must be integers");
    if (auto* f = body->if_contains("fills")) {
      if (!f->is_array())
        return error(400, "fills must be an array of integers");
      for (const auto& x : f->as_array()) {
        if (!x.is_int64())
          return error(400, "fills must be an array of integers");
        o.fills.push_back(x.as_int64());
      }
    }
    return reply(place_order(o));
  }
  if (path == "/fault") {
    if (req.method != "POST")
      return error(405, "POST /fault");
    return reply(fault(req.body));
  }
  if (path == "/clock") {
    if (req.method != "POST")
      return error(405, "POST /clock");
    auto body = parse_body(req.body);
    auto* v = body ? body->if_contains("advance_ms") : nullptr;
    if (v == nullptr || !v->is_int64() || v->as_int64() < 0)
      return error(400, "body must be {\"advance_ms\":N}");
    advance(std::chrono::milliseconds{v->as_int64()});
    return reply(admin_result{200, "{\"ok\":true}"});
  }
  return error(404, "unknown path (GET /state, POST /order, POST /fault, "
                    "POST /clock)");
}

} // namespace kisrt::sim
