// SPDX-License-Identifier: Apache-2.0
#include "net/kis/control.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/value.hpp>

namespace kisrt::kis {

namespace {

struct code_info {
  std::string_view msg_cd;
  std::string_view rt_cd;
  std::string_view msg1;
  ack_outcome outcome;
};

constexpr code_info codes[] = {
    {"OPSP0000", "0", "SUBSCRIBE SUCCESS", ack_outcome::subscribed},
    {"OPSP0001", "0", "UNSUBSCRIBE SUCCESS", ack_outcome::unsubscribed},
    {"OPSP0002", "1", "ALREADY IN SUBSCRIBE", ack_outcome::already_subscribed},
    {"OPSP0003", "1", "UNSUBSCRIBE ERROR(not found!)",
     ack_outcome::not_subscribed},
    {"OPSP0007", "1", "SUBSCRIBE INTERNAL ERROR", ack_outcome::retry},
    {"OPSP0008", "1", "MAX SUBSCRIBE OVER", ack_outcome::cap_reached},
    {"OPSP0009", "1", "SUBSCRIBE ERROR : mci send failed", ack_outcome::retry},
    {"OPSP0010", "1", "SUBSCRIBE WARNING : invalid appkey",
     ack_outcome::invalid_appkey},
    {"OPSP0011", "1", "invalid approval(appkey) : NOT FOUND",
     ack_outcome::invalid_approval},
    {"OPSP8991", "1", "SUBSCRIBE ERROR : invalid tr_id",
     ack_outcome::invalid_tr_id},
    {"OPSP8992", "1", "SUBSCRIBE ERROR : invalid tr_key",
     ack_outcome::invalid_tr_key},
    {"OPSP8993", "1", "JSON PARSING ERROR : invalid tr_key",
     ack_outcome::invalid_tr_key},
    {"OPSP8994", "1", "JSON PARSING ERROR : personalseckey not found",
     ack_outcome::client_error},
    {"OPSP8995", "1", "JSON PARSING ERROR : appsecret not found",
     ack_outcome::client_error},
    {"OPSP8996", "9", "ALREADY IN USE appkey", ack_outcome::app_key_in_use},
    {"OPSP8997", "1", "JSON PARSING ERROR : invalid tr_type",
     ack_outcome::client_error},
    {"OPSP8998", "1", "JSON PARSING ERROR : invalid custtype",
     ack_outcome::client_error},
    {"OPSP8999", "1", "resource not available (ALLOC_CALL_PARAM)",
     ack_outcome::server_busy},
    {"OPSP9990", "1", "JSON PARSING ERROR : tr_key not found",
     ack_outcome::client_error},
    {"OPSP9991", "1", "JSON PARSING ERROR : input not found",
     ack_outcome::client_error},
    {"OPSP9992", "1", "JSON PARSING ERROR : body not found",
     ack_outcome::client_error},
    {"OPSP9993", "1", "JSON PARSING ERROR : tr_id not found",
     ack_outcome::client_error},
    {"OPSP9994", "1", "JSON PARSING ERROR : tr_type not found",
     ack_outcome::client_error},
    {"OPSP9995", "1", "JSON PARSING ERROR : custtype not found",
     ack_outcome::client_error},
    {"OPSP9996", "1", "JSON PARSING ERROR : approval_key not found",
     ack_outcome::client_error},
    {"OPSP9997", "1", "JSON PARSING ERROR : header not found",
     ack_outcome::client_error},
    {"OPSP9998", "1", "JSON PARSING ERROR : invalid json",
     ack_outcome::client_error},
    {"OPSP9999", "1", "JSON PARSING ERROR : appkey not found",
     ack_outcome::client_error},
};

const code_info* find_code(std::string_view msg_cd) noexcept {
  for (const auto& c : codes)
    if (c.msg_cd == msg_cd)
      return &c;
  return nullptr;
}

// Reads a string member; false when absent or not a string.
bool get_string(const boost::json::object& obj, std::string_view key,
                std::string& out) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->value().is_string())
    return false;
  const auto& s = it->value().get_string();
  out.assign(s.data(), s.size());
  return true;
}

const boost::json::object* get_object(const boost::json::object& obj,
                                      std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->value().is_object())
    return nullptr;
  return &it->value().get_object();
}

} // namespace

std::string_view to_string(ack_outcome x) noexcept {
  switch (x) {
    case ack_outcome::subscribed: return "subscribed";
    case ack_outcome::unsubscribed: return "unsubscribed";
    case ack_outcome::already_subscribed: return "already_subscribed";
    case ack_outcome::not_subscribed: return "not_subscribed";
    case ack_outcome::retry: return "retry";
    case ack_outcome::cap_reached: return "cap_reached";
    case ack_outcome::invalid_appkey: return "invalid_appkey";
    case ack_outcome::invalid_approval: return "invalid_approval";
    case ack_outcome::invalid_tr_id: return "invalid_tr_id";
    case ack_outcome::invalid_tr_key: return "invalid_tr_key";
    case ack_outcome::client_error: return "client_error";
    case ack_outcome::app_key_in_use: return "app_key_in_use";
    case ack_outcome::server_busy: return "server_busy";
    case ack_outcome::unknown_code: return "unknown_code";
  }
  return "unknown_code";
}

ack_outcome classify_msg_cd(std::string_view msg_cd) noexcept {
  auto* c = find_code(msg_cd);
  return c ? c->outcome : ack_outcome::unknown_code;
}

std::string_view msg1_for(std::string_view msg_cd) noexcept {
  auto* c = find_code(msg_cd);
  return c ? c->msg1 : std::string_view{};
}

std::string_view rt_cd_for(std::string_view msg_cd) noexcept {
  auto* c = find_code(msg_cd);
  return c ? c->rt_cd : std::string_view{};
}

codec_error parse_control(std::string_view json, control_message& out) {
  out = control_message{};
  boost::json::parse_options opts;
  opts.max_depth = max_control_depth;
  boost::system::error_code ec;
  boost::json::monotonic_resource mr;
  auto doc = boost::json::parse(json, ec, &mr, opts);
  if (ec)
    return make_error(errc::bad_json, {}, "control JSON: " + ec.message());
  if (!doc.is_object())
    return make_error(errc::bad_control, {}, "control JSON is not an object");
  const auto& root = doc.get_object();
  auto* header = get_object(root, "header");
  if (header == nullptr)
    return make_error(errc::bad_control, {}, "no \"header\" object");
  if (!get_string(*header, "tr_id", out.tr_id))
    return make_error(errc::bad_control, {}, "no header.tr_id string");
  if (out.tr_id == "PINGPONG") {
    out.kind = control_kind::pingpong;
    get_string(*header, "datetime", out.datetime);
    return {};
  }
  get_string(*header, "tr_key", out.tr_key);
  std::string enc;
  if (get_string(*header, "encrypt", enc))
    out.encrypted = enc == "Y";
  auto* body = get_object(root, "body");
  if (body == nullptr)
    return make_error(errc::bad_control, out.tr_id, "no \"body\" object");
  if (!get_string(*body, "msg_cd", out.msg_cd))
    return make_error(errc::bad_control, out.tr_id, "no body.msg_cd string");
  get_string(*body, "rt_cd", out.rt_cd);
  get_string(*body, "msg1", out.msg1);
  if (auto* output = get_object(*body, "output")) {
    get_string(*output, "key", out.key);
    get_string(*output, "iv", out.iv);
  }
  out.outcome = classify_msg_cd(out.msg_cd);
  out.kind =
      out.tr_id == "(null)" ? control_kind::session_error : control_kind::ack;
  return {};
}

} // namespace kisrt::kis
