// SPDX-License-Identifier: Apache-2.0
#include "net/stream_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <openssl/ssl.h>

#include <array>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include "net/bearer_token.hpp"
#include "net/detail/io.hpp"
#include "net/io_runner.hpp"

namespace kisrt::net {

stream_out::~stream_out() = default;

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

// The close reason of a WebSocket close frame holds at most 123 bytes.
std::string cut_reason(std::string s) {
  if (s.size() > 120)
    s.resize(120);
  return s;
}

/// What the server and every session share.
struct shared_state {
  stream_server_options opts;
  stream_callbacks cbs;
  stream_server_stats stats;
  bearer_token token;
  std::optional<ssl::context> tls;

  void log(const std::string& line) const {
    if (cbs.log)
      cbs.log(line);
  }

  // Empty when the upgrade may pass; else why not (never the token).
  std::string check_auth(const http::request<http::empty_body>& req) const {
    auto i = req.find(http::field::authorization);
    if (i == req.end())
      return token.check(nullptr);
    auto value = std::string_view{i->value().data(), i->value().size()};
    return token.check(&value);
  }
};

class session_base {
public:
  virtual ~session_base() = default;
  virtual void enqueue(std::string text, std::string_view key) = 0;
  virtual void close_with(std::string reason) = 0;
};

} // namespace

struct stream_server::impl {
  asio::io_context& ioc;
  tcp::acceptor acceptor;
  std::shared_ptr<shared_state> st;
  std::uint16_t port = 0;
  std::mutex mtx; ///< guards sessions and next_id
  std::map<std::uint64_t, std::weak_ptr<session_base>> sessions;
  std::uint64_t next_id = 1;
  std::size_t active = 0; ///< connections (io thread only)
  bool stopped = false;

  impl(asio::io_context& ctx, std::shared_ptr<shared_state> s)
      : ioc(ctx)
      , acceptor(ctx)
      , st(std::move(s)) {
    // nop
  }

  std::shared_ptr<session_base> find(std::uint64_t id) {
    std::lock_guard<std::mutex> guard{mtx};
    if (auto i = sessions.find(id); i != sessions.end())
      return i->second.lock();
    return nullptr;
  }

  void accept(std::shared_ptr<impl> self);
};

namespace {

template <class NextLayer>
class session : public session_base,
                public std::enable_shared_from_this<session<NextLayer>> {
public:
  using ws_type = websocket::stream<NextLayer>;

  template <class... Ts>
  session(std::shared_ptr<stream_server::impl> owner, Ts&&... xs)
      : owner_(std::move(owner))
      , st_(owner_->st)
      , ws_(std::forward<Ts>(xs)...)
      , timer_(ws_.get_executor()) {
    error_code ec;
    auto ep = beast::get_lowest_layer(ws_).socket().remote_endpoint(ec);
    if (!ec)
      peer_ = ep.address().to_string() + ":" + std::to_string(ep.port());
  }

  void run() {
    beast::get_lowest_layer(ws_).expires_after(st_->opts.handshake_timeout);
    if constexpr (std::is_same_v<NextLayer, beast::tcp_stream>) {
      read_upgrade();
    } else {
      ws_.next_layer().async_handshake(
          ssl::stream_base::server,
          [self = this->shared_from_this()](const error_code& ec) {
            if (ec) {
              ++self->st_->stats.refused;
              self->st_->log("stream: TLS handshake failed: " + ec.message());
              return self->teardown();
            }
            self->read_upgrade();
          });
    }
  }

  // -- session_base (any thread) ----------------------------------------------

  void enqueue(std::string text, std::string_view key) override {
    std::unique_lock<std::mutex> lk{mtx_};
    if (closing_)
      return;
    if (!key.empty()) {
      if (auto i = by_key_.find(std::string{key}); i != by_key_.end()) {
        i->second->text = std::move(text);
        ++st_->stats.conflated;
        return; // queued, so a write or a kick is on its way
      }
    }
    queue_.push_back(entry{std::move(text), std::string{key}});
    if (!key.empty())
      by_key_.emplace(std::string{key}, std::prev(queue_.end()));
    if (queue_.size() > st_->opts.max_queue) {
      // Too slow: the client learns it by the close reason, never by a
      // gap in its trades.
      ++st_->stats.slow;
      queue_.clear();
      by_key_.clear();
      closing_ = true;
      reason_ = "too slow: more than " + std::to_string(st_->opts.max_queue)
                + " events queued";
    }
    post_kick(lk);
  }

  void close_with(std::string reason) override {
    std::unique_lock<std::mutex> lk{mtx_};
    if (closing_)
      return;
    closing_ = true;
    reason_ = cut_reason(std::move(reason));
    post_kick(lk);
  }

private:
  struct entry {
    std::string text;
    std::string key;
  };

  void post_kick(std::unique_lock<std::mutex>&) {
    if (kick_posted_)
      return;
    kick_posted_ = true;
    asio::post(ws_.get_executor(),
               [self = this->shared_from_this()] { self->kick(); });
  }

  // -- io thread --------------------------------------------------------------

  void read_upgrade() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(st_->opts.max_header));
    parser_->body_limit(0);
    http::async_read(
        ws_.next_layer(), buf_, *parser_,
        [self = this->shared_from_this()](const error_code& ec, std::size_t) {
          self->on_upgrade(ec);
        });
  }

  void on_upgrade(const error_code& ec) {
    if (ec) {
      ++st_->stats.refused;
      if (ec != http::error::end_of_stream)
        st_->log("stream: bad upgrade request: " + ec.message());
      return teardown();
    }
    req_ = parser_->release();
    auto path = std::string_view{req_.target().data(), req_.target().size()};
    path = path.substr(0, path.find('?'));
    std::string why;
    auto status = http::status::ok;
    if (!websocket::is_upgrade(req_)) {
      why = "not a WebSocket upgrade";
      status = http::status::upgrade_required;
    } else if (path != "/" && path != "/stream") {
      why = "path is not / or /stream";
      status = http::status::not_found;
    } else if (auto bad = st_->check_auth(req_); !bad.empty()) {
      why = bad;
      status = http::status::unauthorized;
    }
    if (!why.empty()) {
      ++st_->stats.refused;
      st_->log("stream: refused a client: " + why);
      auto res = std::make_shared<http::response<http::string_body>>(
          status, req_.version());
      res->set(http::field::server, "kisrt");
      if (status == http::status::unauthorized)
        res->set(http::field::www_authenticate, "Bearer");
      res->body() = "kisrt stream: " + why + "\n";
      res->keep_alive(false);
      res->prepare_payload();
      http::async_write(
          ws_.next_layer(), *res,
          [self = this->shared_from_this(),
           res](const error_code&, std::size_t) { self->teardown(); });
      return;
    }
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout t{};
    t.handshake_timeout = st_->opts.handshake_timeout;
    t.idle_timeout = st_->opts.idle_timeout;
    t.keep_alive_pings = true;
    ws_.set_option(t);
    ws_.read_message_max(st_->opts.max_frame);
    ws_.set_option(
        websocket::stream_base::decorator([](websocket::response_type& r) {
          r.set(http::field::server, "kisrt");
        }));
    ws_.async_accept(req_,
                     [self = this->shared_from_this()](const error_code& ec2) {
                       self->on_accept(ec2);
                     });
  }

  void on_accept(const error_code& ec) {
    if (ec) {
      ++st_->stats.refused;
      return teardown();
    }
    {
      std::lock_guard<std::mutex> guard{owner_->mtx};
      if (owner_->stopped)
        return teardown();
      id_ = owner_->next_id++;
      owner_->sessions.emplace(id_, this->weak_from_this());
    }
    ++st_->stats.accepted;
    ++st_->stats.open;
    if (st_->cbs.opened)
      st_->cbs.opened(id_, peer_);
    do_read();
  }

  void do_read() {
    ws_.async_read(
        rbuf_, [self = this->shared_from_this()](
                   const error_code& ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(const error_code& ec) {
    if (ec) {
      std::string why;
      {
        std::lock_guard<std::mutex> lk{mtx_};
        if (closing_)
          why = reason_;
      }
      if (!why.empty()) {
        // closed by the gateway, with its reason
      } else if (ec == websocket::error::closed) {
        auto& r = ws_.reason();
        why = "client closed";
        if (!r.reason.empty())
          why += ": " + cut_reason(std::string{r.reason.c_str()});
      } else if (ec == websocket::error::message_too_big) {
        why = "a frame larger than " + std::to_string(st_->opts.max_frame)
              + " bytes";
      } else {
        why = ec.message();
      }
      return finish(why);
    }
    if (!ws_.got_text()) {
      rbuf_.consume(rbuf_.size());
      close_with("text frames only");
      return do_read();
    }
    auto text = beast::buffers_to_string(rbuf_.data());
    rbuf_.consume(rbuf_.size());
    if (st_->cbs.message && !closed_)
      st_->cbs.message(id_, std::move(text));
    do_read();
  }

  void kick() {
    {
      std::lock_guard<std::mutex> lk{mtx_};
      kick_posted_ = false;
    }
    if (!writing_)
      write_next();
  }

  void write_next() {
    if (dead_)
      return;
    std::unique_lock<std::mutex> lk{mtx_};
    if (queue_.empty()) {
      if (closing_ && !close_started_) {
        close_started_ = true;
        auto reason = reason_;
        lk.unlock();
        start_close(reason);
      }
      return;
    }
    auto& front = queue_.front();
    current_ = std::move(front.text);
    if (!front.key.empty())
      by_key_.erase(front.key);
    queue_.pop_front();
    lk.unlock();
    writing_ = true;
    ws_.text(true);
    ws_.async_write(
        asio::buffer(current_),
        [self = this->shared_from_this()](const error_code& ec, std::size_t) {
          self->writing_ = false;
          if (ec)
            return self->abort();
          ++self->st_->stats.sent;
          self->write_next();
        });
  }

  void start_close(const std::string& reason) {
    // A client that does not answer the close frame in time loses its
    // socket anyway.
    timer_.expires_after(st_->opts.handshake_timeout);
    timer_.async_wait([self = this->shared_from_this()](const error_code& ec) {
      if (!ec)
        self->abort();
    });
    ws_.async_close(
        websocket::close_reason{websocket::close_code::policy_error, reason},
        [self = this->shared_from_this()](const error_code&) {
          // The pending read ends the session.
        });
  }

  void abort() {
    error_code ignored;
    beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both,
                                                   ignored);
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

  void finish(const std::string& why) {
    if (closed_)
      return;
    closed_ = true;
    timer_.cancel();
    {
      std::lock_guard<std::mutex> lk{mtx_};
      closing_ = true;
      queue_.clear();
      by_key_.clear();
    }
    {
      std::lock_guard<std::mutex> guard{owner_->mtx};
      owner_->sessions.erase(id_);
    }
    --st_->stats.open;
    if (st_->cbs.closed)
      st_->cbs.closed(id_, why);
    teardown();
  }

  void teardown() {
    if (dead_)
      return;
    dead_ = true;
    abort();
    --owner_->active;
  }

  std::shared_ptr<stream_server::impl> owner_;
  std::shared_ptr<shared_state> st_;
  ws_type ws_;
  asio::steady_timer timer_;
  std::string peer_;
  beast::flat_buffer buf_;
  beast::flat_buffer rbuf_;
  std::optional<http::request_parser<http::empty_body>> parser_;
  http::request<http::empty_body> req_;
  std::uint64_t id_ = 0;
  // -- the outbox, shared with senders (mtx_) --
  std::mutex mtx_;
  std::list<entry> queue_;
  std::unordered_map<std::string, typename std::list<entry>::iterator> by_key_;
  bool closing_ = false;
  bool kick_posted_ = false;
  std::string reason_;
  // -- io thread only --
  std::string current_;
  bool writing_ = false;
  bool close_started_ = false;
  bool closed_ = false; ///< finish() ran
  bool dead_ = false;   ///< the socket is closed
};

} // namespace

void stream_server::impl::accept(std::shared_ptr<impl> self) {
  acceptor.async_accept(ioc, [self](const error_code& ec, tcp::socket sock) {
    if (ec == asio::error::operation_aborted || !self->acceptor.is_open())
      return;
    if (!ec) {
      error_code ignored;
      if (self->active >= self->st->opts.max_clients) {
        ++self->st->stats.busy;
        self->st->log("stream: refused a client: "
                      + std::to_string(self->active)
                      + " clients, the limit (stream.max_clients)");
        sock.close(ignored);
      } else {
        sock.set_option(tcp::no_delay{true}, ignored);
        ++self->active;
        if (self->st->tls) {
          using layer = beast::ssl_stream<beast::tcp_stream>;
          std::make_shared<session<layer>>(self, std::move(sock),
                                           *self->st->tls)
              ->run();
        } else {
          std::make_shared<session<beast::tcp_stream>>(self, std::move(sock))
              ->run();
        }
      }
    }
    self->accept(self);
  });
}

stream_server::stream_server(io_runner& io, stream_server_options opts,
                             stream_callbacks cbs) {
  auto st = std::make_shared<shared_state>();
  st->opts = std::move(opts);
  st->cbs = std::move(cbs);
  auto& o = st->opts;
  if (!o.bearer_token.empty())
    st->token = bearer_token{o.bearer_token};
  error_code ec;
  if (o.tls()) {
    auto& ctx = st->tls.emplace(ssl::context::tls_server);
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2
                    | ssl::context::no_sslv3 | ssl::context::no_tlsv1
                    | ssl::context::no_tlsv1_1);
    if (!o.passphrase.empty()) {
      auto pass = o.passphrase;
      ctx.set_password_callback(
          [pass](std::size_t, ssl::context::password_purpose) { return pass; });
    }
    ctx.use_certificate_chain_file(o.certificate, ec);
    if (ec)
      throw std::runtime_error("stream: cannot load the certificate '"
                               + o.certificate + "': " + ec.message());
    ctx.use_private_key_file(o.key, ssl::context::pem, ec);
    if (ec)
      throw std::runtime_error("stream: cannot load the key '" + o.key
                               + "': " + ec.message());
    SSL_CTX_set_cipher_list(ctx.native_handle(), "HIGH:!aNULL:!MD5");
  }
  impl_ = std::make_shared<impl>(io.get().ioc, std::move(st));
  auto addr = asio::ip::make_address(o.host, ec);
  if (ec)
    throw std::runtime_error("stream address '" + o.host
                             + "' is not an IP address");
  tcp::endpoint ep{addr, o.port};
  auto& acc = impl_->acceptor;
  acc.open(ep.protocol(), ec);
  if (!ec)
    acc.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec)
    acc.bind(ep, ec);
  if (!ec)
    acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + o.host + ":"
                             + std::to_string(o.port) + ": " + ec.message());
  impl_->port = acc.local_endpoint().port();
  asio::post(impl_->ioc, [self = impl_] { self->accept(self); });
}

stream_server::~stream_server() {
  stop();
}

std::uint16_t stream_server::port() const noexcept {
  return impl_->port;
}

const stream_server_stats& stream_server::stats() const noexcept {
  return impl_->st->stats;
}

void stream_server::send(std::uint64_t id, std::string text,
                         std::string_view conflate_key) {
  if (auto s = impl_->find(id))
    s->enqueue(std::move(text), conflate_key);
}

void stream_server::close(std::uint64_t id, std::string reason) {
  if (auto s = impl_->find(id))
    s->close_with(std::move(reason));
}

void stream_server::stop() {
  std::vector<std::shared_ptr<session_base>> open;
  {
    std::lock_guard<std::mutex> guard{impl_->mtx};
    if (impl_->stopped)
      return;
    impl_->stopped = true;
    for (auto& [id, w] : impl_->sessions)
      if (auto s = w.lock())
        open.push_back(std::move(s));
  }
  asio::post(impl_->ioc, [self = impl_] {
    error_code ignored;
    self->acceptor.close(ignored);
  });
  for (auto& s : open)
    s->close_with("gateway shutting down");
}

} // namespace kisrt::net
