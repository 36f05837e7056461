// SPDX-License-Identifier: Apache-2.0
#include "net/stream_ops.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/value.hpp>

namespace kisrt::net {

namespace json = boost::json;

const char* to_string(stream_op_kind k) noexcept {
  switch (k) {
    case stream_op_kind::hello: return "hello";
    case stream_op_kind::subscribe: return "subscribe";
    case stream_op_kind::unsubscribe: return "unsubscribe";
    case stream_op_kind::request: return "request";
    case stream_op_kind::release: return "release";
    case stream_op_kind::slots: return "slots";
  }
  return "?";
}

namespace {

bool printable_ascii(std::string_view s) {
  for (char c : s)
    if (c < 0x20 || c >= 0x7f)
      return false;
  return true;
}

// Reads the string member `name` (absent: untouched, true). False with
// `why` set when it is not a short printable string.
bool get_string(const json::object& obj, const char* name, std::string& out,
                const stream_op_limits& lim, std::string& why) {
  auto* v = obj.if_contains(name);
  if (v == nullptr)
    return true;
  if (!v->is_string()) {
    why = std::string{"\""} + name + "\" must be a string";
    return false;
  }
  auto& s = v->get_string();
  if (s.size() > lim.max_string || !printable_ascii(s)) {
    why = std::string{"\""} + name + "\" must be printable ASCII of at most "
          + std::to_string(lim.max_string) + " characters";
    return false;
  }
  out.assign(s.data(), s.size());
  return true;
}

} // namespace

std::string parse_stream_op(std::string_view text, stream_op& out,
                            std::string& op, const stream_op_limits& lim) {
  out = stream_op{};
  op.clear();
  json::parse_options po;
  po.max_depth = lim.max_depth;
  boost::system::error_code ec;
  json::monotonic_resource mr;
  auto doc = json::parse(text, ec, &mr, po);
  if (ec)
    return "not JSON: " + ec.message();
  if (!doc.is_object())
    return "an op is a JSON object";
  auto& obj = doc.get_object();
  if (obj.size() > lim.max_members)
    return "an op has at most " + std::to_string(lim.max_members) + " members";
  std::string why;
  if (!get_string(obj, "op", op, lim, why))
    return why;
  if (op.empty())
    return "no \"op\"";
  if (op == "hello")
    out.kind = stream_op_kind::hello;
  else if (op == "subscribe")
    out.kind = stream_op_kind::subscribe;
  else if (op == "unsubscribe")
    out.kind = stream_op_kind::unsubscribe;
  else if (op == "request")
    out.kind = stream_op_kind::request;
  else if (op == "release")
    out.kind = stream_op_kind::release;
  else if (op == "slots")
    out.kind = stream_op_kind::slots;
  else
    return "unknown op (hello, subscribe, unsubscribe, request, release, "
           "slots)";
  if (!get_string(obj, "name", out.name, lim, why)
      || !get_string(obj, "tr_id", out.tr_id, lim, why)
      || !get_string(obj, "key", out.key, lim, why))
    return why;
  if (auto* keys = obj.if_contains("keys"); keys != nullptr) {
    if (!keys->is_array())
      return "\"keys\" must be an array of strings";
    auto& arr = keys->get_array();
    if (arr.size() > lim.max_keys)
      return "\"keys\" holds " + std::to_string(arr.size()) + " keys, at most "
             + std::to_string(lim.max_keys);
    for (auto& k : arr) {
      if (!k.is_string() || k.get_string().size() > lim.max_string
          || !printable_ascii(k.get_string()))
        return "\"keys\" must hold printable strings of at most "
               + std::to_string(lim.max_string) + " characters";
      out.keys.emplace_back(k.get_string().data(), k.get_string().size());
    }
  }
  if (auto* p = obj.if_contains("priority"); p != nullptr) {
    if (!p->is_int64() || p->get_int64() < 1 || p->get_int64() > 255)
      return "\"priority\" must be an integer from 1 to 255";
    out.priority = static_cast<int>(p->get_int64());
  }
  switch (out.kind) {
    case stream_op_kind::hello:
      if (out.name.empty())
        return "hello needs a \"name\"";
      break;
    case stream_op_kind::subscribe:
    case stream_op_kind::unsubscribe:
      if (out.tr_id.empty())
        return op + " needs a \"tr_id\"";
      break;
    case stream_op_kind::request:
      if (out.tr_id.empty() || out.key.empty())
        return op + " needs a \"tr_id\" and a \"key\"";
      break;
    case stream_op_kind::release: // neither: every request of the client
      if (out.tr_id.empty() != out.key.empty())
        return op + " needs a \"tr_id\" and a \"key\" (or neither)";
      break;
    case stream_op_kind::slots: break;
  }
  return {};
}

} // namespace kisrt::net
