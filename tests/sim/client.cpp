// SPDX-License-Identifier: Apache-2.0
#include "tests/sim/client.hpp"

#include <optional>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>

#include "net/kis/requests.hpp"

namespace kisrt::sim::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using beast::error_code;
namespace json = boost::json;

namespace {

// Runs the io_context until `done` or the timeout; on timeout `cancel` is
// called and the handler is drained. Returns false on timeout.
template <class Cancel>
bool run_until(asio::io_context& ioc, const bool& done,
               std::chrono::milliseconds timeout, Cancel cancel) {
  ioc.restart();
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done && std::chrono::steady_clock::now() < deadline)
    ioc.run_one_for(deadline - std::chrono::steady_clock::now());
  if (done)
    return true;
  cancel();
  ioc.restart();
  while (!done)
    ioc.run_one_for(1000ms);
  return false;
}

} // namespace

// -- ws_client --

struct ws_client::impl {
  asio::io_context ioc;
  std::optional<websocket::stream<beast::tcp_stream>> ws;
  beast::flat_buffer buf;
  std::string err;
  bool close_frame = false;
  bool open = false;
  int pongs = 0;
};

ws_client::ws_client()
    : impl_(std::make_unique<impl>()) {
  // nop
}

ws_client::~ws_client() {
  if (impl_->open) {
    error_code ec;
    beast::get_lowest_layer(*impl_->ws).socket().close(ec);
  }
}

bool ws_client::connect(std::uint16_t port, const std::string& path) {
  auto& d = *impl_;
  d.ws.emplace(d.ioc);
  bool done = false;
  error_code result;
  tcp::endpoint ep{asio::ip::make_address("127.0.0.1"), port};
  beast::get_lowest_layer(*d.ws).expires_after(3s);
  beast::get_lowest_layer(*d.ws).async_connect(ep, [&](error_code ec) {
    if (ec) {
      result = ec;
      done = true;
      return;
    }
    beast::get_lowest_layer(*d.ws).expires_never();
    d.ws->async_handshake("127.0.0.1:" + std::to_string(port), path,
                          [&](error_code ec2) {
                            result = ec2;
                            done = true;
                          });
  });
  if (!run_until(d.ioc, done, 4000ms,
                 [&] { beast::get_lowest_layer(*d.ws).cancel(); })) {
    d.err = "timeout";
    return false;
  }
  if (result) {
    d.err = result.message();
    return false;
  }
  d.ws->read_message_max(64 * 1024 * 1024);
  d.ws->control_callback([&d](websocket::frame_type k, beast::string_view) {
    if (k == websocket::frame_type::pong)
      ++d.pongs;
  });
  d.open = true;
  return true;
}

void ws_client::send(const std::string& text) {
  auto& d = *impl_;
  if (!d.open)
    return;
  error_code ec;
  d.ws->text(true);
  d.ws->write(asio::buffer(text), ec);
}

void ws_client::send_pong(const std::string& payload) {
  error_code ec;
  if (impl_->open)
    impl_->ws->pong(websocket::ping_data{payload.c_str()}, ec);
}

void ws_client::send_ping(const std::string& payload) {
  error_code ec;
  if (impl_->open)
    impl_->ws->ping(websocket::ping_data{payload.c_str()}, ec);
}

ws_client::status ws_client::read(std::string& out,
                                  std::chrono::milliseconds timeout) {
  auto& d = *impl_;
  if (!d.open)
    return status::closed;
  bool done = false;
  error_code result;
  d.ws->async_read(d.buf, [&](error_code ec, std::size_t) {
    result = ec;
    done = true;
  });
  if (!run_until(d.ioc, done, timeout,
                 [&] { beast::get_lowest_layer(*d.ws).cancel(); })) {
    // A cancelled read leaves the stream unusable; reconnect if needed.
    d.open = false;
    return status::timeout;
  }
  if (result) {
    d.open = false;
    d.close_frame = result == websocket::error::closed;
    return status::closed;
  }
  out = beast::buffers_to_string(d.buf.data());
  d.buf.consume(d.buf.size());
  return status::ok;
}

ws_client::status ws_client::read_control(std::string& out,
                                          std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return status::timeout;
    auto st = read(out, left);
    if (st != status::ok)
      return st;
    if (!out.empty() && (out[0] == '0' || out[0] == '1'))
      continue;
    if (out.find("\"PINGPONG\"") != std::string::npos)
      continue;
    return status::ok;
  }
}

bool ws_client::got_close_frame() const {
  return impl_->close_frame;
}

int ws_client::pongs() const {
  return impl_->pongs;
}

void ws_client::close() {
  auto& d = *impl_;
  if (!d.open)
    return;
  bool done = false;
  d.ws->async_close(websocket::close_code::normal,
                    [&](error_code) { done = true; });
  run_until(d.ioc, done, 2000ms,
            [&] { beast::get_lowest_layer(*d.ws).cancel(); });
  error_code ec;
  beast::get_lowest_layer(*d.ws).socket().close(ec);
  d.open = false;
}

std::string ws_client::error() const {
  return impl_->err;
}

// -- http_client --

std::string http_response::header(const std::string& name) const {
  for (const auto& [k, v] : headers)
    if (k == name)
      return v;
  return {};
}

json::value http_response::json() const {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  return ec ? json::value{} : v;
}

struct http_client::impl {
  asio::io_context ioc;
  ssl::context ctx{ssl::context::tls_client};
  std::uint16_t port = 0;
  bool tls = false;
  std::optional<beast::tcp_stream> plain;
  std::optional<ssl::stream<beast::tcp_stream>> secure;
  bool connected = false;

  bool connect() {
    tcp::endpoint ep{asio::ip::make_address("127.0.0.1"), port};
    bool done = false;
    error_code result;
    if (tls) {
      ctx.set_verify_mode(ssl::verify_none);
      secure.emplace(ioc, ctx);
      beast::get_lowest_layer(*secure).expires_after(3s);
      beast::get_lowest_layer(*secure).async_connect(ep, [&](error_code ec) {
        if (ec) {
          result = ec;
          done = true;
          return;
        }
        secure->async_handshake(ssl::stream_base::client, [&](error_code ec2) {
          result = ec2;
          done = true;
        });
      });
    } else {
      plain.emplace(ioc);
      plain->expires_after(3s);
      plain->async_connect(ep, [&](error_code ec) {
        result = ec;
        done = true;
      });
    }
    run_until(ioc, done, 4000ms, [&] {
      if (tls)
        beast::get_lowest_layer(*secure).cancel();
      else
        plain->cancel();
    });
    connected = done && !result;
    return connected;
  }
};

http_client::http_client(std::uint16_t port, bool tls)
    : impl_(std::make_unique<impl>()) {
  impl_->port = port;
  impl_->tls = tls;
}

http_client::~http_client() = default;

http_response http_client::request(
    const std::string& method, const std::string& target,
    const std::vector<std::pair<std::string, std::string>>& headers,
    const std::string& body, std::chrono::milliseconds timeout) {
  auto& d = *impl_;
  http_response out;
  if (!d.connected && !d.connect())
    return out;
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [k, v] : headers)
    req.set(k, v);
  if (!body.empty() || method == "POST") {
    req.set(http::field::content_type, "application/json; charset=utf-8");
    req.body() = body;
  }
  req.keep_alive(true);
  req.prepare_payload();
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  bool done = false;
  error_code result;
  auto go = [&](auto& stream) {
    beast::get_lowest_layer(stream).expires_after(timeout);
    http::async_write(stream, req, [&](error_code ec, std::size_t) {
      if (ec) {
        result = ec;
        done = true;
        return;
      }
      http::async_read(stream, buf, res, [&](error_code ec2, std::size_t) {
        result = ec2;
        done = true;
      });
    });
  };
  if (d.tls)
    go(*d.secure);
  else
    go(*d.plain);
  run_until(d.ioc, done, timeout + 500ms, [&] {
    if (d.tls)
      beast::get_lowest_layer(*d.secure).cancel();
    else
      d.plain->cancel();
  });
  if (result) {
    d.connected = false;
    return out;
  }
  out.status = static_cast<int>(res.result_int());
  for (const auto& f : res)
    out.headers.emplace_back(std::string{f.name_string()},
                             std::string{f.value()});
  out.body = res.body();
  if (!res.keep_alive())
    d.connected = false;
  return out;
}

// -- environment --

options default_options() {
  options o;
  o.accounts = {{"APPKEY1", "SECRET1", "user1", "12345678"},
                {"APPKEY2", "SECRET2", "user2", "87654321"},
                {"APPKEY3", "SECRET3", "user3", "11112222"}};
  o.holdings = {{"12345678", "005930", 10}, {"12345678", "000660", 5}};
  o.seed = 42;
  o.manual_clock = true;
  o.kst_start = 10 * 3600;
  o.kst_date = 20250102;
  o.log_level = "off";
  o.rest_plain = true;
  return o;
}

sim_env::sim_env(options o)
    : opts(std::move(o)) {
  sim = std::make_unique<simulator>(opts);
  p = sim->start();
}

sim_env::~sim_env() {
  sim->stop();
}

http_client sim_env::rest() const {
  return http_client{p.rest, !opts.rest_plain};
}

http_client sim_env::admin() const {
  return http_client{p.admin, false};
}

std::string sim_env::approval(const std::string& key,
                              const std::string& secret) {
  auto c = rest();
  auto r = c.request("POST", "/oauth2/Approval", {},
                     kis::encode_approval_request(key, secret));
  return jstr(r.json(), "approval_key");
}

std::string sim_env::token(const std::string& key, const std::string& secret) {
  auto c = rest();
  auto r = c.request("POST", "/oauth2/tokenP", {},
                     kis::encode_token_request(key, secret));
  return jstr(r.json(), "access_token");
}

json::value sim_env::state() {
  boost::system::error_code ec;
  return json::parse(sim->state_json(), ec);
}

bool sim_env::wait_sessions(std::size_t n, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto st = state();
    if (st.is_object() && st.as_object().at("sessions").as_array().size() == n)
      return true;
    // state_json() is a round trip through the simulator's thread: each
    // poll waits for it, no sleep needed.
    std::this_thread::yield();
  }
  return false;
}

bool sim_env::wait_registrations(std::size_t n,
                                 std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto st = state();
    const auto& ss = st.at("sessions").as_array();
    if (!ss.empty() && ss.at(0).at("registrations").as_array().size() == n)
      return true;
    std::this_thread::yield();
  }
  return false;
}

std::string sim_env::sub(const std::string& approval, const std::string& tr_id,
                         const std::string& tr_key, bool subscribe) const {
  return kis::encode_subscription(
      approval, subscribe ? kis::tr_type::subscribe : kis::tr_type::unsubscribe,
      tr_id, tr_key);
}

std::string jstr(const json::value& v, const char* a, const char* b,
                 const char* c) {
  const json::value* cur = &v;
  for (const char* k : {a, b, c}) {
    if (k == nullptr)
      break;
    if (!cur->is_object())
      return {};
    auto* next = cur->as_object().if_contains(k);
    if (next == nullptr)
      return {};
    cur = next;
  }
  return cur->is_string() ? std::string{cur->as_string()} : std::string{};
}

std::string msg_cd(const std::string& control) {
  boost::system::error_code ec;
  auto v = json::parse(control, ec);
  return ec ? std::string{} : jstr(v, "body", "msg_cd");
}

} // namespace kisrt::sim::test
