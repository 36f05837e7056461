// SPDX-License-Identifier: Apache-2.0
#include "net/ws_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <deque>
#include <type_traits>

#include "net/detail/io.hpp"
#include "net/detail/tls.hpp"

namespace kisrt::net {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

using plain_ws = websocket::stream<beast::tcp_stream>;
using tls_ws = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;

template <class Stream>
class session final : public ws_client,
                      public std::enable_shared_from_this<session<Stream>> {
public:
  static constexpr bool is_tls = std::is_same_v<Stream, tls_ws>;

  session(asio::io_context& ioc, ws_options opts, ws_callbacks cbs,
          std::shared_ptr<asio::ssl::context> ctx)
      : opts_(std::move(opts))
      , cbs_(std::move(cbs))
      , ctx_(std::move(ctx))
      , resolver_(asio::make_strand(ioc))
      , ws_(make_stream(resolver_.get_executor(), ctx_.get())) {
    // nop
  }

  void start() override {
    asio::post(ws_.get_executor(), [self = this->shared_from_this()] {
      self->resolver_.async_resolve(
          self->opts_.endpoint.host, self->opts_.endpoint.port,
          beast::bind_front_handler(&session::on_resolve, self));
    });
  }

  void send(std::string text) override {
    asio::post(ws_.get_executor(), [self = this->shared_from_this(),
                                    t = std::move(text)]() mutable {
      if (self->done_ || self->closing_)
        return;
      self->queue_.push_back(std::move(t));
      if (self->open_ && self->queue_.size() == 1)
        self->do_write();
    });
  }

  void close() override {
    asio::post(ws_.get_executor(), [self = this->shared_from_this()] {
      if (self->done_ || self->closing_)
        return;
      self->closing_ = true;
      if (!self->open_) {
        self->shutdown_socket();
        self->finish("close", "closed before open");
        return;
      }
      websocket::stream_base::timeout t{};
      t.handshake_timeout = self->opts_.close_timeout;
      t.idle_timeout = websocket::stream_base::none();
      t.keep_alive_pings = false;
      self->ws_.set_option(t);
      self->ws_.async_close(
          websocket::close_code::normal, [self](beast::error_code ec) {
            self->finish("close", ec ? ec.message() : "closed by client");
            self->shutdown_socket();
          });
    });
  }

  void abort() override {
    asio::post(ws_.get_executor(), [self = this->shared_from_this()] {
      if (self->done_)
        return;
      self->closing_ = true;
      self->shutdown_socket();
      self->finish("close", "aborted by client");
    });
  }

private:
  template <class Executor>
  static Stream make_stream(Executor ex, asio::ssl::context* ctx) {
    if constexpr (is_tls)
      return Stream{ex, *ctx};
    else
      return Stream{ex};
  }

  auto& tcp_layer() { return beast::get_lowest_layer(ws_); }

  void shutdown_socket() {
    beast::error_code ignored;
    tcp_layer().socket().shutdown(tcp::socket::shutdown_both, ignored);
    tcp_layer().socket().close(ignored);
  }

  void finish(const char* stage, const std::string& reason) {
    if (done_)
      return;
    done_ = true;
    open_ = false;
    queue_.clear();
    if (cbs_.closed)
      cbs_.closed(stage, reason);
  }

  void fail(const char* stage, beast::error_code ec) {
    if (closing_
        && (ec == asio::error::operation_aborted
            || ec == websocket::error::closed)) {
      finish("close", "closed by client");
      return;
    }
    if (ec == websocket::error::closed) {
      auto reason = ws_.reason();
      finish(stage, "closed by server (code "
                        + std::to_string(static_cast<int>(reason.code))
                        + (reason.reason.empty()
                               ? std::string{}
                               : ", " + std::string{reason.reason.c_str()})
                        + ")");
      return;
    }
    finish(stage, ec.message());
  }

  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (ec)
      return fail("resolve", ec);
    if (closing_)
      return;
    tcp_layer().expires_after(opts_.handshake_timeout);
    tcp_layer().async_connect(
        results, beast::bind_front_handler(&session::on_connect,
                                           this->shared_from_this()));
  }

  void on_connect(beast::error_code ec, tcp::endpoint) {
    if (ec)
      return fail("connect", ec);
    if constexpr (is_tls) {
      auto* ssl = ws_.next_layer().native_handle();
      if (!SSL_set_tlsext_host_name(ssl, opts_.endpoint.host.c_str()))
        return fail("tls",
                    beast::error_code{static_cast<int>(::ERR_get_error()),
                                      asio::error::get_ssl_category()});
      if (opts_.tls.verify)
        ws_.next_layer().set_verify_callback(
            asio::ssl::host_name_verification(opts_.endpoint.host));
      tcp_layer().expires_after(opts_.handshake_timeout);
      ws_.next_layer().async_handshake(
          asio::ssl::stream_base::client,
          beast::bind_front_handler(&session::on_tls,
                                    this->shared_from_this()));
    } else {
      on_tls({});
    }
  }

  void on_tls(beast::error_code ec) {
    if (ec)
      return fail("tls", ec);
    tcp_layer().expires_never();
    websocket::stream_base::timeout t{};
    t.handshake_timeout = opts_.handshake_timeout;
    t.idle_timeout = websocket::stream_base::none(); // the actor watches
    t.keep_alive_pings = false;                      // KIS drops pingers
    ws_.set_option(t);
    ws_.read_message_max(opts_.max_message);
    ws_.auto_fragment(false);
    ws_.set_option(websocket::stream_base::decorator(
        [token = opts_.bearer_token](websocket::request_type& req) {
          req.set(beast::http::field::user_agent, "kisrt");
          if (!token.empty())
            req.set(beast::http::field::authorization, "Bearer " + token);
        }));
    auto host = opts_.endpoint.host + ":" + opts_.endpoint.port;
    ws_.async_handshake(host, opts_.endpoint.target,
                        beast::bind_front_handler(&session::on_handshake,
                                                  this->shared_from_this()));
  }

  void on_handshake(beast::error_code ec) {
    if (ec)
      return fail("handshake", ec);
    open_ = true;
    if (cbs_.opened)
      cbs_.opened();
    if (closing_)
      return;
    if (!queue_.empty())
      do_write();
    do_read();
  }

  void do_read() {
    ws_.async_read(buffer_, beast::bind_front_handler(
                                &session::on_read, this->shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec)
      return fail("read", ec);
    if (cbs_.message)
      cbs_.message(beast::buffers_to_string(buffer_.data()));
    buffer_.consume(buffer_.size());
    do_read();
  }

  void do_write() {
    ws_.text(true);
    ws_.async_write(asio::buffer(queue_.front()),
                    beast::bind_front_handler(&session::on_write,
                                              this->shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec)
      return fail("write", ec);
    if (queue_.empty())
      return; // finished meanwhile
    queue_.pop_front();
    if (!queue_.empty() && !closing_)
      do_write();
  }

  ws_options opts_;
  ws_callbacks cbs_;
  // Declared before the stream: an SSL stream refers to its context.
  std::shared_ptr<asio::ssl::context> ctx_;
  tcp::resolver resolver_;
  Stream ws_;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  bool open_ = false;
  bool closing_ = false;
  bool done_ = false;
};

} // namespace

ws_client::~ws_client() = default;

std::shared_ptr<ws_client> make_ws_client(io_runner& io, ws_options opts,
                                          ws_callbacks cbs) {
  auto& ioc = io.get().ioc;
  if (opts.endpoint.secure()) {
    auto ctx = detail::make_client_context(opts.tls);
    return std::make_shared<session<tls_ws>>(ioc, std::move(opts),
                                             std::move(cbs), std::move(ctx));
  }
  return std::make_shared<session<plain_ws>>(ioc, std::move(opts),
                                             std::move(cbs), nullptr);
}

} // namespace kisrt::net
