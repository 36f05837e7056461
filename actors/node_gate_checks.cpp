// SPDX-License-Identifier: Apache-2.0
#include "actors/node_gate_checks.hpp"

#include "net/kis/key_form.hpp"
#include "net/kis/layout.hpp"

namespace kisrt {

bool is_notice_tr(std::string_view tr_id) noexcept {
  for (auto* l = kis::layouts_begin(); l != kis::layouts_end(); ++l)
    if (l->encrypted
        && (l->tr_id == tr_id || kis::paper_tr_id(l->tr_id) == tr_id))
      return true;
  // The known notice ids even if a layout were missing.
  return tr_id == "H0STCNI0" || tr_id == "H0STCNI9" || tr_id == "H0GSCNI0"
         || tr_id == "H0GSCNI9" || tr_id == "H0IFCNI0" || tr_id == "H0IFCNI9";
}

std::string check_node_key(const slot_key& key, bool allow_empty,
                           node_use use) {
  auto shown = [&] {
    return "'" + printable(key.tr_id, 16) + ":" + printable(key.tr_key, 32)
           + "'";
  };
  if (key.tr_id.empty() || key.tr_id.size() > 16)
    return "key " + shown() + ": tr_id must have 1 to 16 characters";
  if (is_notice_tr(key.tr_id)) {
    if (use == node_use::request)
      return "key " + shown() + ": " + printable(key.tr_id, 16)
             + " is an execution-notice TR, which nodes may not ask for";
    if (key.tr_key.empty())
      return allow_empty ? std::string{}
                         : "key " + shown() + ": tr_key is required";
    if (!kis::has_key_form(kis::key_kind::hts_id, key.tr_key))
      return "key " + shown() + ": " + printable(key.tr_id, 16) + " takes "
             + std::string{kis::key_form_text(kis::key_kind::hts_id)};
    return {};
  }
  if (auto why = kis::check_tr(key.tr_id); !why.empty())
    return "key " + shown() + ": " + why;
  if (key.tr_key.empty()) {
    if (allow_empty)
      return {};
    return "key " + shown() + ": tr_key is required";
  }
  if (key.tr_key.size() > max_node_key)
    return "key " + shown() + ": tr_key has "
           + std::to_string(key.tr_key.size()) + " bytes, at most "
           + std::to_string(max_node_key);
  if (auto why = kis::check_key(key.tr_id, key.tr_key); !why.empty())
    return why;
  return {};
}

std::string printable(std::string_view s, std::size_t max) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  auto n = s.size() > max ? max : s.size();
  out.reserve(n + 8);
  for (std::size_t i = 0; i < n; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c >= 0x7f || c == '\\' || c == '\'' || c == '"') {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (s.size() > max)
    out += "...(" + std::to_string(s.size()) + " bytes)";
  return out;
}

std::string node_owner(const std::string& name) {
  return "node:" + name;
}

} // namespace kisrt
