// SPDX-License-Identifier: Apache-2.0
#include "net/http_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <atomic>
#include <optional>
#include <stdexcept>

#include "net/bearer_token.hpp"
#include "net/detail/io.hpp"

namespace kisrt::net {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto iequals = iequals_ascii;

// The path of a target, fit for a log line: no query (it may carry
// secrets), printable ASCII only, at most 64 characters.
std::string loggable_path(const std::string& target) {
  auto path = target.substr(0, target.find('?'));
  std::string out;
  for (char c : path.substr(0, 64))
    out += c > 0x20 && c < 0x7f && c != '"' ? c : '?';
  if (path.size() > 64)
    out += "...";
  return out;
}

// What every connection shares with the server.
struct server_state {
  std::shared_ptr<const http_handler> handler;
  http_server_options opts;
  bearer_token token;
  std::atomic<std::uint64_t> accept_attempts{0};
  std::atomic<std::uint64_t> accept_failures{0};
  std::atomic<std::uint64_t> accept_pause_ms{0};
  std::atomic<std::uint64_t> open_connections{0};

  void log(const std::string& line) const {
    if (opts.log)
      opts.log(line);
  }

  // Empty when the request may pass; else why not (never the token).
  std::string check_auth(const header_list& headers) const {
    std::optional<std::string_view> value;
    for (auto& [k, v] : headers)
      if (iequals(k, "authorization"))
        value = v;
    return token.check(value ? &*value : nullptr);
  }
};

constexpr std::size_t linger_bytes = 1024 * 1024;

class connection : public std::enable_shared_from_this<connection> {
public:
  connection(tcp::socket sock, std::shared_ptr<server_state> state)
      : stream_(std::move(sock))
      , state_(std::move(state))
      , reader_(state_->opts.limits) {
    ++state_->open_connections;
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec)
      peer_ = ep.address().to_string() + ":" + std::to_string(ep.port());
  }

  ~connection() { --state_->open_connections; }

  void start() {
    asio::dispatch(stream_.get_executor(),
                   [self = shared_from_this()] { self->begin_request(); });
  }

private:
  using state = http_request_reader::state;

  void begin_request() {
    stream_.expires_after(state_->opts.request_timeout);
    handle(reader_.parse());
  }

  void handle(state st) {
    switch (st) {
      case state::done: on_request(); return;
      case state::failed:
        state_->log("admin: " + std::to_string(reader_.error_status()) + " to "
                    + peer_ + ": " + reader_.error());
        reply(reader_.error_status(), "{\"error\":\"" + reader_.error() + "\"}",
              false);
        return;
      case state::need_more:
        stream_.async_read_some(
            asio::buffer(buf_),
            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
              // Timeout, reset or EOF: there is nobody to answer.
              if (ec)
                return self->close();
              self->handle(self->reader_.feed({self->buf_.data(), n}));
            });
        return;
    }
  }

  void on_request() {
    auto r = reader_.take();
    keep_alive_ = reader_.keep_alive();
    if (auto why = state_->check_auth(r.headers); !why.empty()) {
      state_->log("admin: 401 for " + r.method.substr(0, 16) + " "
                  + loggable_path(r.target) + " from " + peer_ + ": " + why);
      reply(401, R"({"error":"unauthorized"})", keep_alive_,
            {{"WWW-Authenticate", "Bearer"}});
      return;
    }
    // Handlers never see the credential.
    for (auto i = r.headers.begin(); i != r.headers.end();)
      i = iequals(i->first, "authorization") ? r.headers.erase(i) : i + 1;
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
      (*state_->handler)(std::move(r), respond);
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
    stream_.expires_after(state_->opts.request_timeout);
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res,
                       keep_alive](beast::error_code ec, std::size_t) {
                        if (ec)
                          return self->close();
                        if (!keep_alive)
                          return self->linger();
                        self->begin_request();
                      });
  }

  // After the last answer: stop sending, then read and drop what the peer
  // still sends for a while, so that closing with unread data (a reset)
  // does not destroy the answer before the peer reads it.
  void linger() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::min<std::chrono::milliseconds>(
        state_->opts.request_timeout, std::chrono::seconds{2}));
    drain();
  }

  void drain() {
    stream_.async_read_some(
        asio::buffer(buf_),
        [self = shared_from_this()](beast::error_code ec, std::size_t n) {
          self->drained_ += n;
          if (ec || self->drained_ > linger_bytes)
            return self->close();
          self->drain();
        });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  std::shared_ptr<server_state> state_;
  http_request_reader reader_;
  std::array<char, 4096> buf_{};
  std::string peer_ = "?";
  std::size_t drained_ = 0;
  bool keep_alive_ = false;
};

} // namespace

struct http_server::impl : std::enable_shared_from_this<impl> {
  asio::io_context& ioc;
  tcp::acceptor acceptor;
  asio::steady_timer pause;
  std::shared_ptr<server_state> state;
  std::uint16_t port = 0;
  std::chrono::milliseconds backoff{0}; ///< 0: not paused
  std::uint64_t episode_failures = 0;
  bool at_limit = false;

  impl(asio::io_context& ctx, std::shared_ptr<server_state> s)
      : ioc(ctx)
      , acceptor(asio::make_strand(ctx))
      , pause(acceptor.get_executor())
      , state(std::move(s)) {
    // nop
  }

  void accept() {
    ++state->accept_attempts;
    acceptor.async_accept(
        asio::make_strand(ioc),
        [self = shared_from_this()](beast::error_code ec, tcp::socket sock) {
          self->on_accept(ec, std::move(sock));
        });
  }

  void on_accept(beast::error_code ec, tcp::socket sock) {
    if (ec == asio::error::operation_aborted || !acceptor.is_open())
      return;
    if (ec) {
      ++state->accept_failures;
      // A connection the peer reset before we took it: the error consumed
      // it, so accepting again at once cannot spin.
      if (ec == asio::error::connection_aborted)
        return accept();
      // Out of descriptors (EMFILE, ENFILE, ENOBUFS, ENOMEM), or anything
      // else that may fail again at once: the pending connection stays
      // queued and the listening socket readable, so accepting again now
      // would spin.
      ++episode_failures;
      if (backoff.count() == 0) {
        backoff = state->opts.accept_backoff;
        state->log("admin: accept failed (" + ec.message()
                   + "); pausing accepts until it succeeds again");
      } else {
        backoff = std::min(backoff * 2, state->opts.accept_backoff * 16);
      }
      state->accept_pause_ms = static_cast<std::uint64_t>(backoff.count());
      pause.expires_after(backoff);
      pause.async_wait([self = shared_from_this()](beast::error_code e) {
        if (!e && self->acceptor.is_open())
          self->accept();
      });
      return;
    }
    if (backoff.count() != 0) {
      state->log("admin: accepting again after "
                 + std::to_string(episode_failures) + " failed accept(s)");
      backoff = std::chrono::milliseconds{0};
      state->accept_pause_ms = 0;
      episode_failures = 0;
    }
    if (state->open_connections >= state->opts.max_connections) {
      if (!at_limit)
        state->log("admin: " + std::to_string(state->opts.max_connections)
                   + " connections open (the limit); closing new ones");
      at_limit = true;
      beast::error_code ignored;
      sock.close(ignored);
    } else {
      at_limit = false;
      std::make_shared<connection>(std::move(sock), state)->start();
    }
    accept();
  }
};

http_server::http_server(io_runner& io, const std::string& host,
                         std::uint16_t port, http_handler handler,
                         http_server_options opts) {
  auto state = std::make_shared<server_state>();
  state->handler = std::make_shared<const http_handler>(std::move(handler));
  state->opts = std::move(opts);
  if (!state->opts.bearer_token.empty())
    state->token = bearer_token{state->opts.bearer_token};
  impl_ = std::make_shared<impl>(io.get().ioc, std::move(state));
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
    self->pause.cancel();
  });
}

http_server::counters http_server::stats() const noexcept {
  auto& s = *impl_->state;
  return {s.accept_attempts.load(), s.accept_failures.load(),
          s.open_connections.load(), s.accept_pause_ms.load()};
}

} // namespace kisrt::net
