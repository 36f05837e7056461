// SPDX-License-Identifier: Apache-2.0
#include "net/publish_relay.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <list>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <vector>

#include "net/basp_guard.hpp"
#include "net/detail/io.hpp"

namespace kisrt::net {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
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
  relay_identity identity;
  std::optional<ssl::context> tls;
  publish_relay_stats stats;
  std::atomic<std::size_t> active{0};
  std::uint16_t port = 0;
  std::mutex mtx; ///< guards sessions (closed from their own strands)
  std::list<std::weak_ptr<session>> sessions;

  impl(asio::io_context& ctx, publish_relay_options o, relay_attach a,
       relay_report r, relay_identity i)
      : ioc(ctx)
      , acceptor(asio::make_strand(ctx))
      , opts(std::move(o))
      , attach(std::move(a))
      , report(std::move(r))
      , identity(std::move(i)) {
    // nop
  }

  void say(const std::string& what) {
    if (report)
      report(what);
  }

  void accept();
};

namespace {

// The certificate subject's CN of the peer, or empty.
std::string peer_subject(SSL* ssl) {
  std::string out;
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (cert == nullptr)
    return out;
  auto* name = X509_get_subject_name(cert);
  auto i = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (i >= 0) {
    auto* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
    auto* bytes = ASN1_STRING_get0_data(data);
    auto len = ASN1_STRING_length(data);
    if (bytes != nullptr && len > 0 && len <= 256)
      out.assign(reinterpret_cast<const char*>(bytes),
                 static_cast<std::size_t>(len));
  }
  X509_free(cert);
  return out;
}

struct session : std::enable_shared_from_this<session> {
  std::shared_ptr<publish_relay::impl> owner;
  std::optional<tcp::socket> plain;
  std::optional<ssl::stream<tcp::socket>> secure;
  unix_stream::socket backend;
  asio::steady_timer timer;
  basp_guard guard;
  std::string subject; ///< the peer certificate's CN (TLS)
  std::string node_id; ///< announced to `identity` while set
  std::array<char, 16384> from_client{};
  std::array<char, 16384> from_backend{};
  std::vector<char> out;
  bool closed = false;

  session(std::shared_ptr<publish_relay::impl> o, tcp::socket sock)
      : owner(std::move(o))
      , backend(sock.get_executor())
      , timer(sock.get_executor())
      , guard(basp_guard_limits{owner->opts.max_message, 1024}) {
    if (owner->tls)
      secure.emplace(std::move(sock), *owner->tls);
    else
      plain.emplace(std::move(sock));
  }

  tcp::socket& raw() { return secure ? secure->next_layer() : *plain; }

  template <class F>
  void with_client(F&& f) {
    if (secure)
      f(*secure);
    else
      f(*plain);
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
      self->owner->say(
          "closed a node connection without a handshake after "
          + std::to_string(self->owner->opts.handshake_timeout.count())
          + " ms (publish.handshake_timeout)");
      self->close();
    });
    if (!secure)
      return relay();
    secure->async_handshake(
        ssl::stream_base::server, [self](const error_code& ec) {
          if (self->closed)
            return;
          if (ec) {
            ++self->owner->stats.refused;
            self->owner->say("closed a node connection: TLS "
                             "handshake failed: "
                             + ec.message());
            return self->close();
          }
          self->subject = peer_subject(self->secure->native_handle());
          self->relay();
        });
  }

  // Hands the connection to CAF (only now: with TLS, only authenticated
  // peers get that far) and starts both directions.
  void relay() {
    if (!open_backend()) {
      owner->say("cannot hand a node connection to the middleman");
      return close();
    }
    read_client();
    read_backend();
  }

  void read_client() {
    with_client([this](auto& stream) {
      stream.async_read_some(
          asio::buffer(from_client),
          [self = shared_from_this()](const error_code& ec, std::size_t n) {
            self->on_client(ec, n);
          });
    });
  }

  void on_client(const error_code& ec, std::size_t n) {
    if (ec || closed)
      return close();
    out.clear();
    if (!guard.feed(from_client.data(), n, out)) {
      ++owner->stats.refused;
      owner->say("closed a node connection: " + guard.error());
      return close();
    }
    if (guard.handshake_done() && node_id.empty()) {
      timer.cancel();
      node_id = guard.node_id();
      // Before the bytes after the handshake reach CAF.
      if (owner->identity)
        owner->identity(node_id, subject, true);
    }
    if (out.empty())
      return read_client();
    asio::async_write(
        backend, asio::buffer(out),
        [self = shared_from_this()](const error_code& ec2, std::size_t m) {
          if (ec2 || self->closed)
            return self->close();
          self->owner->stats.forwarded += m;
          self->read_client();
        });
  }

  void read_backend() {
    backend.async_read_some(
        asio::buffer(from_backend),
        [self = shared_from_this()](const error_code& ec, std::size_t n) {
          if (ec || self->closed)
            return self->close();
          self->with_client([&self, n](auto& stream) {
            asio::async_write(stream,
                              asio::buffer(self->from_backend.data(), n),
                              [self](const error_code& ec2, std::size_t) {
                                if (ec2 || self->closed)
                                  return self->close();
                                self->read_backend();
                              });
          });
        });
  }

  void close() {
    if (closed)
      return;
    closed = true;
    error_code ignored;
    timer.cancel();
    raw().close(ignored);
    backend.close(ignored);
    if (!node_id.empty() && owner->identity)
      owner->identity(node_id, subject, false);
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
            ++self->active;
            ++self->stats.accepted;
            {
              std::lock_guard<std::mutex> guard{self->mtx};
              self->sessions.remove_if(
                  [](const std::weak_ptr<session>& w) { return w.expired(); });
              self->sessions.push_back(s);
            }
            asio::post(s->timer.get_executor(), [s] { s->start(); });
          }
        }
        self->accept();
      });
}

publish_relay::publish_relay(io_runner& io, publish_relay_options opts,
                             relay_attach attach, relay_report report,
                             relay_identity identity) {
  impl_ =
      std::make_shared<impl>(io.get().ioc, std::move(opts), std::move(attach),
                             std::move(report), std::move(identity));
  error_code ec;
  auto& o = impl_->opts;
  if (o.tls()) {
    // Like CAF's own (caf/openssl/session.cpp): certificates on both sides.
    auto& ctx = impl_->tls.emplace(ssl::context::tls_server);
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2
                    | ssl::context::no_sslv3 | ssl::context::no_tlsv1
                    | ssl::context::no_tlsv1_1);
    if (!o.passphrase.empty()) {
      auto pass = o.passphrase;
      ctx.set_password_callback(
          [pass](std::size_t, ssl::context::password_purpose) { return pass; });
    }
    auto fail = [&](const char* what, const std::string& file) {
      throw std::runtime_error(std::string{"publish: cannot load "} + what
                               + " '" + file + "': " + ec.message());
    };
    ctx.use_certificate_chain_file(o.certificate, ec);
    if (ec)
      fail("the certificate", o.certificate);
    ctx.use_private_key_file(o.key, ssl::context::pem, ec);
    if (ec)
      fail("the key", o.key);
    ctx.load_verify_file(o.cafile, ec);
    if (ec)
      fail("the CA file", o.cafile);
    ctx.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    SSL_CTX_set_cipher_list(ctx.native_handle(), "HIGH:!aNULL:!MD5");
  }
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
      asio::post(s->timer.get_executor(), [s] { s->close(); });
  impl_->sessions.clear();
}

} // namespace kisrt::net
