// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt/slots_json.hpp"

#include "net/kis/json_out.hpp"

namespace kisrt::app {

void append_owners_json(std::string& out,
                        const std::vector<owner_ref>& owners) {
  out += '[';
  for (std::size_t i = 0; i < owners.size(); ++i) {
    if (i > 0)
      out += ',';
    auto& o = owners[i];
    kis::append_json_string(out,
                            o.kind == owner_kind::request && !o.name.empty()
                                ? o.name
                                : to_string(o.kind));
  }
  out += ']';
}

std::string slots_json(const slot_snapshot& snap, const session_namer& name) {
  auto session_name = [&](session_id id) {
    return name ? name(id) : "s" + std::to_string(id + 1);
  };
  std::string out = "{\"sessions\":[";
  bool first = true;
  for (auto& s : snap.sessions) {
    if (!first)
      out += ',';
    first = false;
    out += "{\"id\":";
    kis::append_json_string(out, session_name(s.id));
    out += ",\"up\":";
    out += s.up ? "true" : "false";
    out += ",\"cap\":" + std::to_string(s.cap);
    out += ",\"learned_cap\":" + std::to_string(s.learned_cap);
    out += ",\"used\":" + std::to_string(s.used);
    out += ",\"epoch\":" + std::to_string(s.epoch);
    out += '}';
  }
  out += "],\"slots\":[";
  first = true;
  for (auto& x : snap.slots) {
    if (!first)
      out += ',';
    first = false;
    out += "{\"session\":";
    if (x.session == no_session)
      out += "null";
    else
      kis::append_json_string(out, session_name(x.session));
    out += ",\"tr_id\":";
    kis::append_json_string(out, x.key.tr_id);
    out += ",\"tr_key\":";
    kis::append_json_string(out, x.key.tr_key);
    out += ",\"priority\":" + std::to_string(static_cast<int>(x.level));
    out += ",\"state\":";
    kis::append_json_string(out, to_string(x.state));
    out += ",\"owners\":";
    append_owners_json(out, x.owners);
    out += '}';
  }
  out += "]}";
  return out;
}

} // namespace kisrt::app
