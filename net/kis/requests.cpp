// SPDX-License-Identifier: Apache-2.0
#include "net/kis/requests.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "net/kis/control.hpp"

namespace kisrt::kis {

namespace json = boost::json;

namespace {

json::string_view sv(std::string_view x) {
  return {x.data(), x.size()};
}

} // namespace

std::string encode_subscription(std::string_view approval_key, tr_type type,
                                std::string_view tr_id, std::string_view tr_key,
                                std::string_view custtype) {
  json::object header;
  header["approval_key"] = sv(approval_key);
  header["custtype"] = sv(custtype);
  header["tr_type"] = type == tr_type::subscribe ? "1" : "2";
  header["content-type"] = "utf-8";
  json::object input;
  input["tr_id"] = sv(tr_id);
  input["tr_key"] = sv(tr_key);
  json::object body;
  body["input"] = std::move(input);
  json::object root;
  root["header"] = std::move(header);
  root["body"] = std::move(body);
  return json::serialize(root);
}

std::string encode_approval_request(std::string_view appkey,
                                    std::string_view appsecret) {
  json::object o;
  o["grant_type"] = "client_credentials";
  o["appkey"] = sv(appkey);
  o["secretkey"] = sv(appsecret);
  return json::serialize(o);
}

std::string encode_token_request(std::string_view appkey,
                                 std::string_view appsecret) {
  json::object o;
  o["grant_type"] = "client_credentials";
  o["appkey"] = sv(appkey);
  o["appsecret"] = sv(appsecret);
  return json::serialize(o);
}

std::string encode_revoke_request(std::string_view appkey,
                                  std::string_view appsecret,
                                  std::string_view token) {
  json::object o;
  o["appkey"] = sv(appkey);
  o["appsecret"] = sv(appsecret);
  o["token"] = sv(token);
  return json::serialize(o);
}

std::string_view parse_subscription(std::string_view text,
                                    subscription_request& out) {
  out = subscription_request{};
  json::parse_options opts;
  opts.max_depth = max_control_depth;
  boost::system::error_code ec;
  json::monotonic_resource mr;
  auto doc = json::parse(text, ec, &mr, opts);
  if (ec || !doc.is_object())
    return "OPSP9998";
  auto str = [](const json::object& o, std::string_view key, std::string& dst) {
    auto it = o.find(key);
    if (it == o.end() || !it->value().is_string())
      return false;
    dst.assign(it->value().get_string().data(),
               it->value().get_string().size());
    return true;
  };
  const auto& root = doc.get_object();
  auto h = root.find("header");
  if (h == root.end() || !h->value().is_object())
    return "OPSP9997";
  const auto& header = h->value().get_object();
  auto b = root.find("body");
  const json::object* input = nullptr;
  if (b != root.end() && b->value().is_object()) {
    const auto& body = b->value().get_object();
    auto in = body.find("input");
    if (in != body.end() && in->value().is_object())
      input = &in->value().get_object();
    // Keep tr_id/tr_key for the answer even when the header is bad.
    if (input != nullptr) {
      str(*input, "tr_id", out.tr_id);
      str(*input, "tr_key", out.tr_key);
    }
  }
  if (!str(header, "approval_key", out.approval_key))
    return "OPSP9996";
  if (!str(header, "custtype", out.custtype))
    return "OPSP9995";
  if (out.custtype != "P" && out.custtype != "B")
    return "OPSP8998";
  if (!str(header, "tr_type", out.type))
    return "OPSP9994";
  if (out.type != "1" && out.type != "2")
    return "OPSP8997";
  if (b == root.end() || !b->value().is_object())
    return "OPSP9992";
  if (input == nullptr)
    return "OPSP9991";
  auto id = input->find("tr_id");
  if (id == input->end() || !id->value().is_string())
    return "OPSP9993";
  auto key = input->find("tr_key");
  if (key == input->end() || !key->value().is_string())
    return "OPSP9990";
  return {};
}

std::string encode_ack(std::string_view tr_id, std::string_view tr_key,
                       bool encrypted, std::string_view msg_cd,
                       std::string_view key, std::string_view iv,
                       std::string_view msg1) {
  json::object header;
  header["tr_id"] = sv(tr_id);
  header["tr_key"] = sv(tr_key);
  header["encrypt"] = encrypted ? "Y" : "N";
  json::object body;
  auto rt = rt_cd_for(msg_cd);
  body["rt_cd"] = sv(rt.empty() ? std::string_view{"1"} : rt);
  body["msg_cd"] = sv(msg_cd);
  body["msg1"] = sv(msg1.empty() ? msg1_for(msg_cd) : msg1);
  if (!key.empty() && !iv.empty()) {
    json::object output;
    output["iv"] = sv(iv);
    output["key"] = sv(key);
    body["output"] = std::move(output);
  }
  json::object root;
  root["header"] = std::move(header);
  root["body"] = std::move(body);
  return json::serialize(root);
}

std::string encode_session_error(std::string_view msg_cd) {
  return encode_ack("(null)", "", false, msg_cd);
}

std::string encode_pingpong(std::string_view datetime) {
  json::object header;
  header["tr_id"] = "PINGPONG";
  header["datetime"] = sv(datetime);
  json::object root;
  root["header"] = std::move(header);
  return json::serialize(root);
}

} // namespace kisrt::kis
