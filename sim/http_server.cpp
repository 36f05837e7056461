// SPDX-License-Identifier: Apache-2.0
// REST (HTTPS or plain) and admin (plain, loopback) listeners: Beast reads a
// request, the engine answers, Beast writes the reply with the header names
// exactly as the engine spelled them (lowercase `tr_id`, `tr_cont`, ...).
#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <spdlog/spdlog.h>

#include "sim/engine.hpp"
#include "sim/log.hpp"
#include "sim/net.hpp"

namespace kisrt::sim {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using beast::error_code;

constexpr std::size_t body_limit = 1024 * 1024;

class closable {
public:
  virtual ~closable() = default;
  virtual void shut() = 0;
};

using registry = std::vector<std::weak_ptr<closable>>;

template <class Stream>
class http_session : public closable,
                     public std::enable_shared_from_this<http_session<Stream>> {
public:
  template <class... Ts>
  http_session(engine& eng, http_role role, Ts&&... xs)
      : stream_(std::forward<Ts>(xs)...)
      , eng_(eng)
      , role_(role) {
    // nop
  }

  void run() {
    if constexpr (is_tls) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(10));
      stream_.async_handshake(
          ssl::stream_base::server,
          beast::bind_front_handler(&http_session::on_handshake,
                                    this->shared_from_this()));
    } else {
      do_read();
    }
  }

  void shut() override {
    error_code ignored;
    auto& sock = beast::get_lowest_layer(stream_).socket();
    sock.shutdown(tcp::socket::shutdown_both, ignored);
    sock.close(ignored);
  }

private:
  static constexpr bool is_tls = !std::is_same_v<Stream, beast::tcp_stream>;

  void on_handshake(error_code ec) {
    if (ec)
      return; // e.g. a client that does not speak TLS
    do_read();
  }

  void do_read() {
    parser_.emplace();
    parser_->header_limit(16 * 1024);
    parser_->body_limit(body_limit);
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(60));
    http::async_read(stream_, buf_, *parser_,
                     beast::bind_front_handler(&http_session::on_read,
                                               this->shared_from_this()));
  }

  void on_read(error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream) {
      close();
      return;
    }
    if (ec == http::error::body_limit || ec == http::error::header_limit) {
      reply_error(http::status::payload_too_large, "request too large", 11);
      return;
    }
    if (ec) {
      if (ec.category()
          == http::make_error_code(http::error::bad_target).category())
        reply_error(http::status::bad_request, "malformed HTTP request", 11);
      else
        close();
      return;
    }
    auto& msg = parser_->get();
    http_request req;
    req.method = std::string{msg.method_string()};
    req.target = std::string{msg.target()};
    for (const auto& f : msg) {
      std::string name{f.name_string()};
      std::transform(name.begin(), name.end(), name.begin(), [](char c) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      });
      req.headers.emplace_back(std::move(name), std::string{f.value()});
    }
    req.body = std::move(msg.body());
    http_reply rep;
    try {
      rep = role_ == http_role::rest ? eng_.rest(req) : eng_.admin(req);
    } catch (const std::exception& e) {
      log()->error("http handler failed: {}", e.what());
      rep.status = 500;
      rep.headers.emplace_back("content-type", "application/json");
      rep.body = "{\"error\":\"internal error\"}";
    }
    auto res = std::make_shared<http::response<http::string_body>>();
    res->version(msg.version());
    res->result(static_cast<unsigned>(rep.status));
    for (const auto& [k, v] : rep.headers)
      res->set(k, v);
    res->body() = std::move(rep.body);
    res->keep_alive(msg.keep_alive());
    res->prepare_payload();
    write(std::move(res));
  }

  void reply_error(http::status st, const char* what, unsigned version) {
    auto res = std::make_shared<http::response<http::string_body>>(st, version);
    res->set("content-type", "application/json");
    res->body() = std::string{"{\"error\":\""} + what + "\"}";
    res->keep_alive(false);
    res->prepare_payload();
    write(std::move(res));
  }

  void write(std::shared_ptr<http::response<http::string_body>> res) {
    res_ = res;
    http::async_write(
        stream_, *res,
        [self = this->shared_from_this(), res](error_code ec, std::size_t) {
          self->res_.reset();
          if (ec || !res->keep_alive())
            self->close();
          else
            self->do_read();
        });
  }

  void close() {
    if constexpr (is_tls) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
      stream_.async_shutdown(
          [self = this->shared_from_this()](error_code) { self->shut(); });
    } else {
      error_code ignored;
      beast::get_lowest_layer(stream_).socket().shutdown(
          tcp::socket::shutdown_send, ignored);
    }
  }

  Stream stream_;
  engine& eng_;
  http_role role_;
  beast::flat_buffer buf_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<http::response<http::string_body>> res_;
};

class http_acceptor : public std::enable_shared_from_this<http_acceptor> {
public:
  http_acceptor(asio::io_context& ioc, engine& eng, http_role role,
                const tls_material* tls)
      : ioc_(ioc)
      , acc_(ioc)
      , eng_(eng)
      , role_(role) {
    if (tls != nullptr) {
      ctx_.emplace(ssl::context::tls_server);
      ctx_->set_options(ssl::context::default_workarounds
                        | ssl::context::no_sslv2 | ssl::context::no_sslv3
                        | ssl::context::single_dh_use);
      ctx_->use_certificate_chain(
          asio::buffer(tls->cert_pem.data(), tls->cert_pem.size()));
      ctx_->use_private_key(
          asio::buffer(tls->key_pem.data(), tls->key_pem.size()),
          ssl::context::pem);
    }
  }

  void open(const tcp::endpoint& ep) {
    acc_.open(ep.protocol());
    acc_.set_option(asio::socket_base::reuse_address(true));
    acc_.bind(ep);
    acc_.listen(asio::socket_base::max_listen_connections);
  }

  std::uint16_t port() const {
    error_code ec;
    return acc_.local_endpoint(ec).port();
  }

  void do_accept() {
    acc_.async_accept(ioc_, beast::bind_front_handler(&http_acceptor::on_accept,
                                                      shared_from_this()));
  }

  void stop() {
    stopped_ = true;
    error_code ignored;
    acc_.close(ignored);
    for (auto& w : sessions_)
      if (auto s = w.lock())
        s->shut();
    sessions_.clear();
  }

private:
  void on_accept(error_code ec, tcp::socket sock) {
    if (stopped_)
      return;
    if (!ec) {
      std::shared_ptr<closable> s;
      if (ctx_) {
        auto x = std::make_shared<http_session<ssl::stream<beast::tcp_stream>>>(
            eng_, role_, std::move(sock), *ctx_);
        x->run();
        s = x;
      } else {
        auto x = std::make_shared<http_session<beast::tcp_stream>>(
            eng_, role_, std::move(sock));
        x->run();
        s = x;
      }
      sessions_.erase(std::remove_if(sessions_.begin(), sessions_.end(),
                                     [](const auto& w) { return w.expired(); }),
                      sessions_.end());
      sessions_.push_back(s);
    }
    do_accept();
  }

  asio::io_context& ioc_;
  tcp::acceptor acc_;
  engine& eng_;
  http_role role_;
  std::optional<ssl::context> ctx_;
  registry sessions_;
  bool stopped_ = false;
};

class http_listener : public listener {
public:
  explicit http_listener(std::shared_ptr<http_acceptor> a)
      : a_(std::move(a)) {
    // nop
  }
  std::uint16_t port() const override { return a_->port(); }
  void stop() override { a_->stop(); }

private:
  std::shared_ptr<http_acceptor> a_;
};

} // namespace

std::unique_ptr<listener> make_http_listener(asio::io_context& ioc, engine& eng,
                                             const std::string& address,
                                             std::uint16_t port, http_role role,
                                             const tls_material* tls) {
  auto a = std::make_shared<http_acceptor>(ioc, eng, role, tls);
  a->open(tcp::endpoint{asio::ip::make_address(address), port});
  a->do_accept();
  return std::make_unique<http_listener>(std::move(a));
}

} // namespace kisrt::sim
