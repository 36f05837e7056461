// SPDX-License-Identifier: Apache-2.0
#include "net/kis_transport.hpp"

#include <stdexcept>
#include <utility>

#include "net/http_client.hpp"
#include "net/io_runner.hpp"
#include "net/kis/requests.hpp"
#include "net/kis/rest.hpp"
#include "net/url.hpp"
#include "net/ws_client.hpp"

namespace kisrt::net {

namespace {

/// A transport over ws_client. The client is made in start(), so that a
/// bad URL is reported like any other failed connect.
class ws_transport : public transport {
public:
  ws_transport(std::shared_ptr<io_runner> io, const std::string& url,
               const tls_options& tls, transport_events events)
      : io_(std::move(io))
      , events_(std::move(events)) {
    opts_.tls = tls;
    url_error_ = parse_url(url, opts_.endpoint);
  }

  ~ws_transport() override = default;

  void start() override {
    if (!url_error_.empty()) {
      if (events_.closed)
        events_.closed("connect", "bad ws url: " + url_error_);
      return;
    }
    ws_callbacks cbs;
    cbs.opened = std::move(events_.opened);
    cbs.message = std::move(events_.message);
    cbs.closed = std::move(events_.closed);
    ws_ = make_ws_client(*io_, std::move(opts_), std::move(cbs));
    ws_->start();
  }

  void send(std::string text) override {
    if (ws_)
      ws_->send(std::move(text));
  }

  void close() override {
    if (ws_)
      ws_->close();
  }

  void abort() override {
    if (ws_)
      ws_->abort();
  }

private:
  std::shared_ptr<io_runner> io_;
  transport_events events_;
  ws_options opts_;
  std::string url_error_;
  std::shared_ptr<ws_client> ws_;
};

} // namespace

transport_factory ws_transport_factory(std::shared_ptr<io_runner> io,
                                       std::string ws_url, tls_options tls) {
  return [io = std::move(io), url = std::move(ws_url),
          tls = std::move(tls)](transport_events events) {
    return std::unique_ptr<transport>{
        new ws_transport(io, url, tls, std::move(events))};
  };
}

approval_fetcher rest_approval_fetcher(std::shared_ptr<io_runner> io,
                                       const std::string& rest_url,
                                       tls_options tls, std::string app_key,
                                       std::string app_secret) {
  http_options opts;
  if (auto why = parse_url(rest_url, opts.base); !why.empty())
    throw std::runtime_error("rest url '" + rest_url + "': " + why);
  opts.tls = std::move(tls);
  auto rest = std::make_shared<http_client>(*io, std::move(opts));
  return [io = std::move(io), rest = std::move(rest), key = std::move(app_key),
          secret = std::move(app_secret)](approval_done done) {
    http_request req;
    req.method = "POST";
    req.target = "/oauth2/Approval";
    req.headers = {{"content-type", "application/json; charset=utf-8"}};
    req.body = kis::encode_approval_request(key, secret);
    rest->async_request(std::move(req), [done = std::move(done)](
                                            http_response res) {
      if (!res.error.empty()) {
        done(false, res.error);
        return;
      }
      if (auto err = kis::read_rest_error(res.status, res.body); !err.empty()) {
        done(false, err.to_string());
        return;
      }
      std::string approval;
      if (auto err = kis::parse_approval_response(res.body, approval))
        done(false, err.to_string());
      else
        done(true, std::move(approval));
    });
  };
}

} // namespace kisrt::net
