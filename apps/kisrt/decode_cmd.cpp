// SPDX-License-Identifier: Apache-2.0
// `kisrt decode [--key K --iv IV | --keys FILE] [FILE...]`: one message per
// line in, one JSON object per record (or control message) out.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "net/kis/control.hpp"
#include "net/kis/decoder.hpp"
#include "net/kis/json_out.hpp"
#include "net/kis/numbers.hpp"

namespace kisrt::app {

namespace {

using namespace kisrt::kis;

struct decode_state {
  frame_decoder dec;
  std::string out;
  bool failed = false;
};

void report(const std::string& source, std::size_t line_no,
            const std::string& what, decode_state& st) {
  std::cerr << source << ':' << line_no << ": " << what << '\n';
  st.failed = true;
}

void print_control(const control_message& m, std::string& out) {
  out += "{\"control\":{\"kind\":";
  switch (m.kind) {
    case control_kind::pingpong: append_json_string(out, "pingpong"); break;
    case control_kind::session_error:
      append_json_string(out, "session_error");
      break;
    case control_kind::ack: append_json_string(out, "ack"); break;
  }
  auto member = [&](std::string_view name, std::string_view value) {
    out += ',';
    append_json_string(out, name);
    out += ':';
    append_json_string(out, value);
  };
  member("tr_id", m.tr_id);
  if (m.kind == control_kind::pingpong) {
    member("datetime", m.datetime);
  } else {
    member("tr_key", m.tr_key);
    member("encrypt", m.encrypted ? "Y" : "N");
    member("rt_cd", m.rt_cd);
    member("msg_cd", m.msg_cd);
    member("msg1", m.msg1);
    member("outcome", to_string(m.outcome));
    if (!m.key.empty())
      member("key", m.key);
    if (!m.iv.empty())
      member("iv", m.iv);
  }
  out += "}}\n";
}

// Returns an error text, or empty on success.
std::string decode_line(std::string_view line, decode_state& st) {
  auto kind = classify(line);
  if (kind == message_kind::invalid)
    return line.empty() ? "empty line"
                        : "neither a data frame nor a control message";
  if (auto bad = find_invalid_utf8(line); bad != std::string_view::npos)
    if (kind == message_kind::control)
      return "invalid UTF-8 at byte " + std::to_string(bad);
  if (kind == message_kind::control) {
    control_message m;
    if (auto err = parse_control(line, m))
      return err.to_string();
    // A recorded session carries its own keys: later frames decode with them.
    if (m.kind == control_kind::ack && is_active(m.outcome) && !m.key.empty())
      if (auto err = st.dec.set_key(m.tr_id, m.key, m.iv))
        return err.to_string();
    print_control(m, st.out);
    return {};
  }
  if (auto err = st.dec.decode(line))
    return err.to_string();
  const auto& h = st.dec.header();
  const auto& batch = st.dec.records();
  const auto* layout = st.dec.layout();
  auto base = st.out.size();
  for (std::size_t r = 0; r < batch.size(); ++r) {
    auto rec = batch[r];
    for (std::size_t i = 0; i < rec.size(); ++i) {
      if (auto bad = find_invalid_utf8(rec[i]); bad != std::string_view::npos) {
        st.out.resize(base);
        auto name = layout ? layout->field_name(i) : std::string_view{};
        return "invalid UTF-8: tr_id=" + std::string{h.tr_id}
               + " record=" + std::to_string(r) + " field=" + std::to_string(i)
               + (name.empty() ? "" : " (") + std::string{name}
               + (name.empty() ? "" : ")") + " byte " + std::to_string(bad);
      }
    }
    auto& out = st.out;
    out += "{\"tr_id\":";
    append_json_string(out, h.tr_id);
    out += ",\"encrypted\":";
    out += h.encrypted ? "true" : "false";
    out += ",\"count\":";
    out += std::to_string(h.count);
    out += ",\"record\":";
    out += std::to_string(r);
    out += ",\"fields\":{";
    auto known = layout ? std::min(layout->width, rec.size()) : 0;
    for (std::size_t i = 0; i < known; ++i) {
      if (i > 0)
        out += ',';
      append_json_string(out, layout->fields[i]);
      out += ':';
      append_json_string(out, rec[i]);
    }
    out += '}';
    if (rec.extra_count() > 0) {
      out += ",\"_extra\":[";
      for (std::size_t i = 0; i < rec.extra_count(); ++i) {
        if (i > 0)
          out += ',';
        append_json_string(out, rec.extra(i));
      }
      out += ']';
    }
    out += "}\n";
  }
  return {};
}

void run_stream(std::istream& in, const std::string& source, decode_state& st) {
  std::string line;
  std::size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    auto err = decode_line(line, st);
    if (!err.empty())
      report(source, line_no, err, st);
    if (st.out.size() > 1 << 16) {
      std::fwrite(st.out.data(), 1, st.out.size(), stdout);
      st.out.clear();
    }
  }
  std::fwrite(st.out.data(), 1, st.out.size(), stdout);
  st.out.clear();
}

bool load_keys(const std::string& path, decode_state& st) {
  std::ifstream in{path};
  if (!in) {
    std::cerr << "kisrt decode: cannot open keys file " << path << '\n';
    return false;
  }
  std::string line;
  std::size_t line_no = 0;
  bool ok = true;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#')
      continue;
    std::istringstream words{line};
    std::string tr_id, key, iv, extra;
    if (!(words >> tr_id >> key >> iv) || (words >> extra)) {
      std::cerr << path << ':' << line_no
                << ": expected three words: tr_id key iv\n";
      ok = false;
      continue;
    }
    if (auto err = st.dec.set_key(tr_id, key, iv)) {
      std::cerr << path << ':' << line_no << ": " << err.to_string() << '\n';
      ok = false;
    }
  }
  return ok;
}

constexpr const char* usage =
    "usage: kisrt decode [--key K --iv IV | --keys FILE] [FILE...]\n"
    "  Reads one KIS message per line (stdin without FILE) and prints one\n"
    "  JSON object per record or control message. Keys of encrypted TRs come\n"
    "  from --key/--iv (all TRs), --keys (lines: tr_id key iv), or from\n"
    "  SUBSCRIBE SUCCESS acks earlier in the input. Exit status 2 if any line\n"
    "  failed.\n";

} // namespace

int decode_main(int argc, char** argv) {
  decode_state st;
  std::string key, iv;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value = [&](const char* name) -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "kisrt decode: " << name << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--key") {
      key = value("--key");
    } else if (arg == "--iv") {
      iv = value("--iv");
    } else if (arg == "--keys") {
      if (!load_keys(value("--keys"), st))
        return 2;
    } else if (arg == "-h" || arg == "--help") {
      std::cout << usage;
      return 0;
    } else if (arg.size() > 1 && arg[0] == '-') {
      std::cerr << "kisrt decode: unknown option " << arg << '\n' << usage;
      return 2;
    } else {
      files.emplace_back(arg);
    }
  }
  if (key.empty() != iv.empty()) {
    std::cerr << "kisrt decode: --key and --iv go together\n";
    return 2;
  }
  if (!key.empty())
    if (auto err = st.dec.set_default_key(key, iv)) {
      std::cerr << "kisrt decode: " << err.to_string() << '\n';
      return 2;
    }
  if (files.empty()) {
    run_stream(std::cin, "<stdin>", st);
  } else {
    for (const auto& f : files) {
      std::ifstream in{f, std::ios::binary};
      if (!in) {
        std::cerr << "kisrt decode: cannot open " << f << '\n';
        st.failed = true;
        continue;
      }
      run_stream(in, f, st);
    }
  }
  std::fflush(stdout);
  return st.failed ? 2 : 0;
}

} // namespace kisrt::app
