// SPDX-License-Identifier: Apache-2.0
#include "net/http_request_reader.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <algorithm>
#include <optional>
#include <stdexcept>

namespace kisrt::net {

namespace {

namespace http = boost::beast::http;

using parser_type = http::request_parser<http::string_body>;

} // namespace

struct http_request_reader::impl {
  http_limits limits;
  std::optional<parser_type> parser;
  std::string pending; ///< received, not yet parsed
  bool keep_alive = false;

  void reset() {
    parser.emplace();
    parser->eager(true);
    parser->header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(limits.header_bytes, 0xFFFF'FFFFu)));
    parser->body_limit(limits.body_bytes);
  }
};

http_request_reader::http_request_reader(http_limits limits)
    : impl_(std::make_unique<impl>()) {
  impl_->limits = limits;
  impl_->reset();
}

http_request_reader::~http_request_reader() = default;

http_request_reader::state http_request_reader::fail(int status,
                                                     std::string why) {
  error_status_ = status;
  error_ = std::move(why);
  impl_->pending.clear();
  return state::failed;
}

http_request_reader::state http_request_reader::feed(std::string_view bytes) {
  if (error_status_ != 0)
    return state::failed;
  impl_->pending.append(bytes.data(), bytes.size());
  return parse();
}

http_request_reader::state http_request_reader::parse() {
  auto& d = *impl_;
  if (error_status_ != 0)
    return state::failed;
  if (d.parser->is_done())
    return state::done;
  std::size_t pos = 0;
  auto result = state::need_more;
  // Beast needs a header, a chunk-size line and the whole trailer in one
  // piece, and bounds only the header. Handing it at most one window at a
  // time bounds the other two: what does not fit never completes. (Beast
  // throws std::length_error on a field over 64 KiB: never reached then,
  // and caught all the same.)
  for (;;) {
    auto avail = d.pending.size() - pos;
    if (avail == 0)
      break;
    auto window = d.parser->is_header_done() ? d.limits.trailer_bytes
                                             : d.limits.header_bytes;
    window = std::max<std::size_t>(window, 16);
    auto n = std::min(avail, window);
    boost::beast::error_code ec;
    std::size_t used = 0;
    try {
      used = d.parser->put(boost::asio::buffer(d.pending.data() + pos, n), ec);
    } catch (const std::length_error&) {
      return fail(431, "request header or trailer field too large");
    } catch (const std::exception&) {
      return fail(400, "malformed request");
    }
    pos += used;
    if (ec == http::error::need_more) {
      // Progress (a header, then part of the body): go on from there.
      if (used > 0)
        continue;
      if (n == window) {
        if (!d.parser->is_header_done())
          return fail(431, "request header fields too large");
        return fail(431, "chunk line or trailer fields too large");
      }
      break;
    }
    if (ec == http::error::header_limit)
      return fail(431, "request header fields too large");
    if (ec == http::error::body_limit)
      return fail(413, "request body too large");
    if (ec)
      return fail(400, "malformed request: " + ec.message());
    if (d.parser->is_done()) {
      result = state::done;
      break;
    }
    if (used == 0 || pos == d.pending.size())
      break;
  }
  d.pending.erase(0, pos);
  return result;
}

http_server_request http_request_reader::take() {
  auto& d = *impl_;
  http_server_request r;
  if (!d.parser->is_done())
    return r;
  auto req = d.parser->release();
  d.keep_alive = req.keep_alive();
  r.method = std::string{req.method_string()};
  r.target = std::string{req.target()};
  for (auto& f : req)
    r.headers.emplace_back(std::string{f.name_string()},
                           std::string{f.value()});
  r.body = std::move(req.body());
  d.reset();
  return r;
}

bool http_request_reader::keep_alive() const noexcept {
  return impl_->keep_alive;
}

std::size_t http_request_reader::buffered_bytes() const noexcept {
  return impl_->pending.size();
}

} // namespace kisrt::net
