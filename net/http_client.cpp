// SPDX-License-Identifier: Apache-2.0
#include "net/http_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <cctype>
#include <optional>

#include "net/detail/io.hpp"
#include "net/detail/tls.hpp"

namespace kisrt::net {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i]))
        != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// One request on one connection. Plain or TLS, chosen at runtime.
class exchange : public std::enable_shared_from_this<exchange> {
public:
  exchange(asio::io_context& ioc, const http_options& opts,
           std::shared_ptr<asio::ssl::context> ctx, http_request req,
           std::function<void(http_response)> done)
      : opts_(opts)
      , done_(std::move(done))
      , resolver_(asio::make_strand(ioc)) {
    if (ctx)
      tls_.emplace(resolver_.get_executor(), *ctx);
    else
      plain_.emplace(resolver_.get_executor());
    ctx_ = std::move(ctx);
    req_.method_string(req.method);
    req_.target(req.target);
    req_.version(11);
    req_.set(http::field::host, opts_.base.host);
    req_.set(http::field::user_agent, "kisrt");
    for (auto& [k, v] : req.headers)
      req_.set(k, v);
    req_.body() = std::move(req.body);
    req_.prepare_payload();
    parser_.body_limit(opts_.max_body);
  }

  void start() {
    resolver_.async_resolve(
        opts_.base.host, opts_.base.port,
        beast::bind_front_handler(&exchange::on_resolve, shared_from_this()));
  }

private:
  beast::tcp_stream& tcp_layer() {
    return tls_ ? beast::get_lowest_layer(*tls_) : *plain_;
  }

  void fail(const char* stage, beast::error_code ec) {
    http_response res;
    if (ec == beast::error::timeout)
      res.error = std::string{stage} + ": timed out";
    else
      res.error = std::string{stage} + ": " + ec.message();
    finish(std::move(res));
  }

  void finish(http_response res) {
    beast::error_code ignored;
    tcp_layer().socket().shutdown(tcp::socket::shutdown_both, ignored);
    tcp_layer().socket().close(ignored);
    if (done_) {
      auto f = std::move(done_);
      done_ = nullptr;
      f(std::move(res));
    }
  }

  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (ec)
      return fail("resolve", ec);
    tcp_layer().expires_after(opts_.timeout);
    tcp_layer().async_connect(
        results,
        beast::bind_front_handler(&exchange::on_connect, shared_from_this()));
  }

  void on_connect(beast::error_code ec, tcp::endpoint) {
    if (ec)
      return fail("connect", ec);
    if (!tls_)
      return write();
    if (!SSL_set_tlsext_host_name(tls_->native_handle(),
                                  opts_.base.host.c_str()))
      return fail("tls", beast::error_code{static_cast<int>(::ERR_get_error()),
                                           asio::error::get_ssl_category()});
    if (opts_.tls.verify)
      tls_->set_verify_callback(
          asio::ssl::host_name_verification(opts_.base.host));
    tls_->async_handshake(
        asio::ssl::stream_base::client,
        beast::bind_front_handler(&exchange::on_tls, shared_from_this()));
  }

  void on_tls(beast::error_code ec) {
    if (ec)
      return fail("tls", ec);
    write();
  }

  void write() {
    auto self = shared_from_this();
    auto cb = beast::bind_front_handler(&exchange::on_write, self);
    if (tls_)
      http::async_write(*tls_, req_, std::move(cb));
    else
      http::async_write(*plain_, req_, std::move(cb));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec)
      return fail("write", ec);
    auto cb = beast::bind_front_handler(&exchange::on_read, shared_from_this());
    if (tls_)
      http::async_read(*tls_, buffer_, parser_, std::move(cb));
    else
      http::async_read(*plain_, buffer_, parser_, std::move(cb));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec)
      return fail("read", ec);
    auto& msg = parser_.get();
    http_response res;
    res.status = static_cast<int>(msg.result_int());
    for (auto& field : msg)
      res.headers.emplace_back(std::string{field.name_string()},
                               std::string{field.value()});
    res.body = std::move(msg.body());
    finish(std::move(res));
  }

  http_options opts_; // a copy: the client may go away first
  std::function<void(http_response)> done_;
  tcp::resolver resolver_;
  std::shared_ptr<asio::ssl::context> ctx_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls_;
  std::optional<beast::tcp_stream> plain_;
  http::request<http::string_body> req_;
  http::response_parser<http::string_body> parser_;
  beast::flat_buffer buffer_;
};

} // namespace

std::string_view http_response::header(std::string_view name) const noexcept {
  for (auto& [k, v] : headers)
    if (iequals(k, name))
      return v;
  return {};
}

struct http_client::impl {
  asio::io_context& ioc;
  http_options opts;
  std::shared_ptr<asio::ssl::context> ctx;
};

http_client::http_client(io_runner& io, http_options opts)
    : impl_(
        std::make_shared<impl>(impl{io.get().ioc, std::move(opts), nullptr})) {
  if (impl_->opts.base.secure())
    impl_->ctx = detail::make_client_context(impl_->opts.tls);
}

http_client::~http_client() = default;

const http_options& http_client::options() const noexcept {
  return impl_->opts;
}

void http_client::async_request(http_request req,
                                std::function<void(http_response)> done) {
  auto x = std::make_shared<exchange>(impl_->ioc, impl_->opts, impl_->ctx,
                                      std::move(req), std::move(done));
  asio::post(impl_->ioc, [x] { x->start(); });
}

} // namespace kisrt::net
