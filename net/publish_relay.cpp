// SPDX-License-Identifier: Apache-2.0
#include "net/publish_relay.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <list>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "net/basp_guard.hpp"
#include "net/detail/io.hpp"

namespace kisrt::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using unix_stream = asio::local::stream_protocol;
using error_code = boost::system::error_code;

namespace {

struct session;

} // namespace

struct publish_relay::impl : std::enable_shared_from_this<impl> {
  asio::io_context& ioc;
  tcp::acceptor acceptor;
  publish_relay_options opts;
  relay_attach attach;
  relay_report report;
  publish_relay_stats stats;
  std::atomic<std::size_t> active{0};
  std::uint16_t port = 0;
  std::mutex mtx; ///< guards sessions (closed from their own strands)
  std::list<std::weak_ptr<session>> sessions;

  impl(asio::io_context& ctx, publish_relay_options o, relay_attach a,
       relay_report r)
      : ioc(ctx)
      , acceptor(asio::make_strand(ctx))
      , opts(std::move(o))
      , attach(std::move(a))
      , report(std::move(r)) {
    // nop
  }

  void say(const std::string& what) {
    if (report)
      report(what);
  }

  void accept();
};

namespace {

struct session : std::enable_shared_from_this<session> {
  std::shared_ptr<publish_relay::impl> owner;
  tcp::socket client;
  unix_stream::socket backend;
  asio::steady_timer timer;
  basp_guard guard;
  std::array<char, 16384> from_client{};
  std::array<char, 16384> from_backend{};
  std::vector<char> out;
  bool closed = false;

  session(std::shared_ptr<publish_relay::impl> o, tcp::socket sock)
      : owner(std::move(o))
      , client(std::move(sock))
      , backend(client.get_executor())
      , timer(client.get_executor())
      , guard(basp_guard_limits{owner->opts.max_message, 1024}) {
    // nop
  }

  bool open_backend() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
      return false;
    error_code ec;
    backend.assign(unix_stream{}, fds[0], ec);
    if (ec) {
      ::close(fds[0]);
      ::close(fds[1]);
      return false;
    }
    // CAF expects a non-blocking socket, as its own acceptor makes them.
    ::fcntl(fds[1], F_SETFL, ::fcntl(fds[1], F_GETFL) | O_NONBLOCK);
    if (!owner->attach(fds[1])) {
      ::close(fds[1]);
      return false;
    }
    return true;
  }

  void start() {
    auto self = shared_from_this();
    timer.expires_after(owner->opts.handshake_timeout);
    timer.async_wait([self](const error_code& ec) {
      if (ec || self->closed || self->guard.handshake_done())
        return;
      ++self->owner->stats.timed_out;
      self->owner->say("closed a node connection without a BASP handshake "
                       "after "
                       + std::to_string(self->owner->opts.handshake_timeout
                                            .count())
                       + " ms (publish.handshake_timeout)");
      self->close();
    });
    read_client();
    read_backend();
  }

  void read_client() {
    client.async_read_some(
        asio::buffer(from_client),
        [self = shared_from_this()](const error_code& ec, std::size_t n) {
          if (ec || self->closed)
            return self->close();
          self->out.clear();
          if (!self->guard.feed(self->from_client.data(), n, self->out)) {
            ++self->owner->stats.refused;
            self->owner->say("closed a node connection: "
                             + self->guard.error());
            return self->close();
          }
          if (self->guard.handshake_done())
            self->timer.cancel();
          if (self->out.empty())
            return self->read_client();
          asio::async_write(self->backend, asio::buffer(self->out),
                            [self](const error_code& ec2, std::size_t m) {
                              if (ec2 || self->closed)
                                return self->close();
                              self->owner->stats.forwarded += m;
                              self->read_client();
                            });
        });
  }

  void read_backend() {
    backend.async_read_some(
        asio::buffer(from_backend),
        [self = shared_from_this()](const error_code& ec, std::size_t n) {
          if (ec || self->closed)
            return self->close();
          asio::async_write(self->client,
                            asio::buffer(self->from_backend.data(), n),
                            [self](const error_code& ec2, std::size_t) {
                              if (ec2 || self->closed)
                                return self->close();
                              self->read_backend();
                            });
        });
  }

  void close() {
    if (closed)
      return;
    closed = true;
    error_code ignored;
    timer.cancel();
    client.close(ignored);
    backend.close(ignored);
    --owner->active;
  }
};

} // namespace

void publish_relay::impl::accept() {
  acceptor.async_accept(
      asio::make_strand(ioc),
      [self = shared_from_this()](const error_code& ec, tcp::socket sock) {
        if (ec == asio::error::operation_aborted || !self->acceptor.is_open())
          return;
        if (!ec) {
          error_code ignored;
          if (self->active >= self->opts.max_connections) {
            ++self->stats.busy;
            sock.close(ignored);
          } else {
            sock.set_option(tcp::no_delay{true}, ignored);
            auto s = std::make_shared<session>(self, std::move(sock));
            if (s->open_backend()) {
              ++self->active;
              ++self->stats.accepted;
              {
                std::lock_guard<std::mutex> guard{self->mtx};
                self->sessions.remove_if(
                    [](const std::weak_ptr<session>& w) { return w.expired(); });
                self->sessions.push_back(s);
              }
              asio::post(s->client.get_executor(), [s] { s->start(); });
            } else {
              self->say("cannot hand a node connection to the middleman");
              s->client.close(ignored);
            }
          }
        }
        self->accept();
      });
}

publish_relay::publish_relay(io_runner& io, publish_relay_options opts,
                             relay_attach attach, relay_report report) {
  impl_ = std::make_shared<impl>(io.get().ioc, std::move(opts),
                                 std::move(attach), std::move(report));
  error_code ec;
  auto& o = impl_->opts;
  auto addr = asio::ip::make_address(o.host, ec);
  if (ec)
    throw std::runtime_error("publish address '" + o.host
                             + "' is not an IP address");
  tcp::endpoint ep{addr, o.port};
  auto& acc = impl_->acceptor;
  acc.open(ep.protocol(), ec);
  // A restarted gateway gets its port back at once.
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
  asio::post(acc.get_executor(), [self = impl_] { self->accept(); });
}

publish_relay::~publish_relay() {
  stop();
}

std::uint16_t publish_relay::port() const noexcept {
  return impl_->port;
}

const publish_relay_stats& publish_relay::stats() const noexcept {
  return impl_->stats;
}

void publish_relay::stop() {
  asio::post(impl_->acceptor.get_executor(), [self = impl_] {
    error_code ignored;
    self->acceptor.close(ignored);
  });
  std::lock_guard<std::mutex> guard{impl_->mtx};
  for (auto& w : impl_->sessions)
    if (auto s = w.lock())
      asio::post(s->client.get_executor(), [s] { s->close(); });
  impl_->sessions.clear();
}

} // namespace kisrt::net
