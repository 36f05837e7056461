// SPDX-License-Identifier: Apache-2.0
#include "net/http_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <optional>
#include <stdexcept>

#include "net/detail/io.hpp"

namespace kisrt::net {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::size_t max_request_body = 1024 * 1024;

class connection : public std::enable_shared_from_this<connection> {
public:
  connection(tcp::socket sock, std::shared_ptr<const http_handler> handler)
      : stream_(std::move(sock))
      , handler_(std::move(handler)) {
    // nop
  }

  void start() {
    asio::dispatch(stream_.get_executor(),
                   [self = shared_from_this()] { self->read(); });
  }

private:
  void read() {
    parser_.emplace();
    parser_->body_limit(max_request_body);
    stream_.expires_after(std::chrono::seconds(30));
    http::async_read(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&connection::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) {
      if (ec == http::error::body_limit)
        reply(413, R"({"error":"request body too large"})", false);
      else
        close();
      return;
    }
    auto req = parser_->release();
    keep_alive_ = req.keep_alive();
    http_server_request r;
    r.method = std::string{req.method_string()};
    r.target = std::string{req.target()};
    for (auto& f : req)
      r.headers.emplace_back(std::string{f.name_string()},
                             std::string{f.value()});
    r.body = std::move(req.body());
    auto self = shared_from_this();
    auto once = std::make_shared<std::atomic<bool>>(false);
    http_respond respond = [self, once](http_response res) {
      if (once->exchange(true))
        return;
      asio::post(self->stream_.get_executor(),
                 [self, res = std::move(res)]() mutable {
                   self->reply(res.status, std::move(res.body),
                               self->keep_alive_, std::move(res.headers));
                 });
    };
    try {
      (*handler_)(std::move(r), respond);
    } catch (const std::exception&) {
      respond(http_response{500, {}, R"({"error":"internal error"})", {}});
    }
  }

  void reply(int status, std::string body, bool keep_alive,
             header_list headers = {}) {
    auto res = std::make_shared<http::response<http::string_body>>();
    res->result(static_cast<unsigned>(status));
    res->version(11);
    res->set(http::field::server, "kisrt");
    res->set(http::field::content_type, "application/json");
    for (auto& [k, v] : headers)
      res->set(k, v);
    res->keep_alive(keep_alive);
    res->body() = std::move(body);
    res->prepare_payload();
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res,
                       keep_alive](beast::error_code ec, std::size_t) {
                        if (ec || !keep_alive)
                          return self->close();
                        self->read();
                      });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  std::shared_ptr<const http_handler> handler_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool keep_alive_ = false;
};

} // namespace

struct http_server::impl : std::enable_shared_from_this<impl> {
  asio::io_context& ioc;
  tcp::acceptor acceptor;
  std::shared_ptr<const http_handler> handler;
  std::uint16_t port = 0;

  impl(asio::io_context& ctx, std::shared_ptr<const http_handler> h)
      : ioc(ctx)
      , acceptor(asio::make_strand(ctx))
      , handler(std::move(h)) {
    // nop
  }

  void accept() {
    acceptor.async_accept(asio::make_strand(ioc), [self = shared_from_this()](
                                                      beast::error_code ec,
                                                      tcp::socket sock) {
      if (ec == asio::error::operation_aborted || !self->acceptor.is_open())
        return;
      if (!ec)
        std::make_shared<connection>(std::move(sock), self->handler)->start();
      self->accept();
    });
  }
};

http_server::http_server(io_runner& io, const std::string& host,
                         std::uint16_t port, http_handler handler) {
  impl_ = std::make_shared<impl>(
      io.get().ioc, std::make_shared<const http_handler>(std::move(handler)));
  beast::error_code ec;
  auto addr = asio::ip::make_address(host, ec);
  if (ec)
    throw std::runtime_error("admin address '" + host
                             + "' is not an IP address");
  tcp::endpoint ep{addr, port};
  auto& acc = impl_->acceptor;
  acc.open(ep.protocol(), ec);
  if (!ec)
    acc.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec)
    acc.bind(ep, ec);
  if (!ec)
    acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + host + ":"
                             + std::to_string(port) + ": " + ec.message());
  impl_->port = acc.local_endpoint().port();
  asio::post(acc.get_executor(), [self = impl_] { self->accept(); });
}

http_server::~http_server() {
  stop();
}

std::uint16_t http_server::port() const noexcept {
  return impl_->port;
}

void http_server::stop() {
  asio::post(impl_->acceptor.get_executor(), [self = impl_] {
    beast::error_code ignored;
    self->acceptor.close(ignored);
  });
}

} // namespace kisrt::net
