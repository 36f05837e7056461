// SPDX-License-Identifier: Apache-2.0
// The WebSocket side: plain ws, path /tryitout or none, one write in flight
// per session with a queue. All on the simulator's one thread.
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <spdlog/spdlog.h>

#include "sim/engine.hpp"
#include "sim/log.hpp"
#include "sim/net.hpp"

namespace kisrt::sim {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using beast::error_code;

bool path_ok(std::string_view target) {
  auto path = target.substr(0, target.find('?'));
  return path.empty() || path == "/" || path == "/tryitout"
         || path.substr(0, 10) == "/tryitout/";
}

class ws_session : public ws_link,
                   public std::enable_shared_from_this<ws_session> {
public:
  ws_session(tcp::socket&& sock, engine& eng, std::size_t max_queue)
      : ws_(std::move(sock))
      , eng_(eng)
      , max_queue_(max_queue) {
    error_code ec;
    auto ep = beast::get_lowest_layer(ws_).socket().remote_endpoint(ec);
    if (!ec)
      remote_ = ep.address().to_string() + ":" + std::to_string(ep.port());
  }

  void run() {
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(10));
    parser_.emplace();
    parser_->header_limit(16 * 1024);
    parser_->body_limit(8 * 1024);
    http::async_read(
        ws_.next_layer(), buf_, *parser_,
        beast::bind_front_handler(&ws_session::on_upgrade, shared_from_this()));
  }

  // -- ws_link ---------------------------------------------------------------

  void send(std::shared_ptr<const std::string> msg, bool data) override {
    if (dead_ || closing_)
      return;
    if (aborted_)
      return;
    if (data && queued_ > max_queue_)
      return; // slow consumer: data frames are dropped, control kept
    queued_ += msg->size();
    queue_.push_back(std::move(msg));
    if (!writing_)
      do_write();
  }

  std::size_t queued_bytes() const override { return queued_; }

  void close(bool with_frame) override {
    if (dead_ || closing_)
      return;
    closing_ = true;
    if (!with_frame) {
      abort();
      return;
    }
    close_pending_ = true;
    if (!writing_)
      do_close();
  }

private:
  void on_upgrade(error_code ec, std::size_t) {
    if (ec) {
      finish();
      return;
    }
    req_ = parser_->release();
    if (!websocket::is_upgrade(req_) || !path_ok(req_.target())) {
      auto res = std::make_shared<http::response<http::string_body>>(
          websocket::is_upgrade(req_) ? http::status::not_found
                                      : http::status::upgrade_required,
          req_.version());
      res->set(http::field::server, "kisrt-sim");
      res->body() = "kisrt-sim: WebSocket upgrade on / or /tryitout\n";
      res->keep_alive(false);
      res->prepare_payload();
      http::async_write(
          ws_.next_layer(), *res,
          [self = shared_from_this(), res](error_code, std::size_t) {
            self->abort();
            self->finish();
          });
      return;
    }
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout t{};
    t.handshake_timeout = std::chrono::seconds(10);
    t.idle_timeout = websocket::stream_base::none();
    t.keep_alive_pings = false;
    ws_.set_option(t);
    ws_.read_message_max(1024 * 1024);
    ws_.set_option(
        websocket::stream_base::decorator([](websocket::response_type& r) {
          r.set(http::field::server, "kisrt-sim");
        }));
    ws_.async_accept(req_, beast::bind_front_handler(&ws_session::on_accept,
                                                     shared_from_this()));
  }

  void on_accept(error_code ec) {
    if (ec) {
      finish();
      return;
    }
    id_ = eng_.ws_open(shared_from_this(), remote_);
    ws_.control_callback(
        [this](websocket::frame_type kind, beast::string_view payload) {
          if (kind == websocket::frame_type::pong && id_ != 0 && !dead_)
            eng_.ws_pong(id_, payload);
        });
    do_read();
  }

  void do_read() {
    if (dead_)
      return;
    ws_.async_read(rbuf_, beast::bind_front_handler(&ws_session::on_read,
                                                    shared_from_this()));
  }

  void on_read(error_code ec, std::size_t) {
    if (ec) {
      finish();
      return;
    }
    auto text = beast::buffers_to_string(rbuf_.data());
    rbuf_.consume(rbuf_.size());
    eng_.ws_text(id_, text);
    do_read();
  }

  void do_write() {
    writing_ = true;
    ws_.text(true);
    const std::string* out = queue_.front().get();
    if (eng_.opts().stamp_trades) {
      // The latency benchmark's send timestamp: taken now, as the frame
      // goes to the socket (not when it was queued).
      stamped_ = *out;
      auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::steady_clock::now().time_since_epoch())
                    .count();
      if (restamp_trades(stamped_, ns))
        out = &stamped_;
    }
    ws_.async_write(
        asio::buffer(*out),
        beast::bind_front_handler(&ws_session::on_write, shared_from_this()));
  }

  void on_write(error_code ec, std::size_t) {
    writing_ = false;
    // abort() may have emptied the queue while this write was in flight.
    if (!queue_.empty()) {
      queued_ -= queue_.front()->size();
      queue_.pop_front();
    }
    if (ec) {
      abort();
      return;
    }
    if (dead_ || aborted_)
      return;
    if (close_pending_) {
      // Control messages queued before the close still go out first.
      if (!queue_.empty())
        do_write();
      else
        do_close();
      return;
    }
    if (!queue_.empty())
      do_write();
  }

  void do_close() {
    close_pending_ = false;
    ws_.async_close(websocket::close_code::normal,
                    [self = shared_from_this()](error_code) {
                      // The pending read ends the session.
                    });
  }

  void abort() {
    aborted_ = true;
    auto& sock = beast::get_lowest_layer(ws_).socket();
    error_code ignored;
    sock.shutdown(tcp::socket::shutdown_both, ignored);
    sock.close(ignored);
    queue_.clear();
    queued_ = 0;
  }

  void finish() {
    if (dead_)
      return;
    dead_ = true;
    if (id_ != 0)
      eng_.ws_closed(id_);
  }

  websocket::stream<beast::tcp_stream> ws_;
  engine& eng_;
  std::size_t max_queue_;
  std::string remote_;
  beast::flat_buffer buf_;
  beast::flat_buffer rbuf_;
  std::optional<http::request_parser<http::empty_body>> parser_;
  http::request<http::empty_body> req_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::string stamped_; ///< the front frame with its send time (stamp_trades)
  std::size_t queued_ = 0;
  bool writing_ = false;
  bool closing_ = false;
  bool close_pending_ = false;
  bool dead_ = false;
  bool aborted_ = false;
  std::uint64_t id_ = 0;
};

class acceptor_state : public std::enable_shared_from_this<acceptor_state> {
public:
  acceptor_state(asio::io_context& ioc, engine& eng, std::size_t max_queue)
      : ioc_(ioc)
      , acc_(ioc)
      , eng_(eng)
      , max_queue_(max_queue) {
    // nop
  }

  void open(const tcp::endpoint& ep) {
    acc_.open(ep.protocol());
    acc_.set_option(asio::socket_base::reuse_address(true));
    acc_.bind(ep);
    acc_.listen(asio::socket_base::max_listen_connections);
    ep_ = acc_.local_endpoint();
  }

  void do_accept() {
    acc_.async_accept(ioc_,
                      beast::bind_front_handler(&acceptor_state::on_accept,
                                                shared_from_this()));
  }

  std::uint16_t port() const { return ep_.port(); }

  void stop() {
    stopped_ = true;
    error_code ignored;
    acc_.close(ignored);
  }

  void set_refusing(bool r) {
    if (stopped_ || r == refusing_)
      return;
    if (r) {
      refusing_ = true;
      error_code ignored;
      acc_.close(ignored);
      log()->warn("ws: refusing connections");
      return;
    }
    try {
      open(ep_);
      refusing_ = false;
      do_accept();
      log()->warn("ws: accepting connections again");
    } catch (const std::exception& e) {
      error_code ignored;
      acc_.close(ignored);
      log()->error("ws: cannot re-open port {}: {} (retrying)", ep_.port(),
                   e.what());
    }
  }

private:
  void on_accept(error_code ec, tcp::socket sock) {
    if (ec == asio::error::operation_aborted)
      return; // acceptor closed (stop or refuse); re-opening re-arms
    if (ec) {
      if (!stopped_ && !refusing_ && acc_.is_open())
        do_accept();
      return;
    }
    if (!stopped_) {
      error_code ignored;
      sock.set_option(tcp::no_delay(true), ignored);
      std::make_shared<ws_session>(std::move(sock), eng_, max_queue_)->run();
    }
    if (!stopped_ && !refusing_)
      do_accept();
  }

  asio::io_context& ioc_;
  tcp::acceptor acc_;
  tcp::endpoint ep_;
  engine& eng_;
  std::size_t max_queue_;
  bool stopped_ = false;
  bool refusing_ = false;
};

class ws_listener : public listener {
public:
  explicit ws_listener(std::shared_ptr<acceptor_state> st)
      : st_(std::move(st)) {
    // nop
  }
  std::uint16_t port() const override { return st_->port(); }
  void stop() override { st_->stop(); }
  void set_refusing(bool r) override { st_->set_refusing(r); }

private:
  std::shared_ptr<acceptor_state> st_;
};

} // namespace

std::unique_ptr<listener> make_ws_listener(asio::io_context& ioc, engine& eng,
                                           const std::string& address,
                                           std::uint16_t port,
                                           std::size_t max_queue_bytes) {
  auto st = std::make_shared<acceptor_state>(ioc, eng, max_queue_bytes);
  st->open(tcp::endpoint{asio::ip::make_address(address), port});
  st->do_accept();
  return std::make_unique<ws_listener>(std::move(st));
}

} // namespace kisrt::sim
