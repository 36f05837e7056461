// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt/config_file.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace kisrt::app {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty()
         && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool valid_name(std::string_view s) {
  if (s.empty())
    return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok)
      return false;
  }
  return true;
}

// Strips a trailing "# comment" outside quotes and unquotes "value".
bool clean_value(std::string_view raw, std::string& out, std::string& why) {
  raw = trim(raw);
  if (!raw.empty() && raw.front() == '"') {
    auto close = raw.find('"', 1);
    if (close == std::string_view::npos) {
      why = "unterminated quote";
      return false;
    }
    auto rest = trim(raw.substr(close + 1));
    if (!rest.empty() && rest.front() != '#') {
      why = "text after the closing quote";
      return false;
    }
    out = std::string{raw.substr(1, close - 1)};
    return true;
  }
  auto hash = raw.find(" #");
  if (hash != std::string_view::npos)
    raw = raw.substr(0, hash);
  out = std::string{trim(raw)};
  return true;
}

} // namespace

std::vector<std::string> config_file::parse(std::string_view text,
                                            const std::string& name) {
  std::vector<std::string> errs;
  std::string section;
  std::size_t line_no = 0;
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = text.substr(0, nl);
    text =
        nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    auto where = name + ":" + std::to_string(line_no);
    line = trim(line);
    if (line.empty() || line.front() == '#' || line.front() == ';')
      continue;
    if (line.front() == '[') {
      if (line.back() != ']') {
        errs.push_back(where + ": section header without ']'");
        continue;
      }
      auto sec = trim(line.substr(1, line.size() - 2));
      if (!valid_name(sec)) {
        errs.push_back(where + ": bad section name '" + std::string{sec} + "'");
        continue;
      }
      section = std::string{sec};
      continue;
    }
    auto eq = line.find('=');
    if (eq == std::string_view::npos) {
      errs.push_back(where + ": expected 'key = value'");
      continue;
    }
    auto key = trim(line.substr(0, eq));
    if (!valid_name(key)) {
      errs.push_back(where + ": bad key '" + std::string{key} + "'");
      continue;
    }
    std::string value, why;
    if (!clean_value(line.substr(eq + 1), value, why)) {
      errs.push_back(where + ": key '" + std::string{key} + "': " + why);
      continue;
    }
    auto full =
        section.empty() ? std::string{key} : section + "." + std::string{key};
    if (auto it = values_.find(full);
        it != values_.end() && it->second.origin.rfind(name + ":", 0) == 0) {
      errs.push_back(where + ": key '" + full + "' already set at "
                     + it->second.origin);
      continue;
    }
    values_[full] = entry{std::move(value), where};
  }
  return errs;
}

std::vector<std::string> config_file::load(const std::string& path) {
  std::ifstream in{path};
  if (!in)
    return {path + ": cannot read the configuration file"};
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path);
}

std::optional<std::string> config_file::set(std::string_view assignment) {
  auto eq = assignment.find('=');
  if (eq == std::string_view::npos)
    return "--set " + std::string{assignment} + ": expected section.key=value";
  auto key = trim(assignment.substr(0, eq));
  if (!valid_name(key))
    return "--set: bad key '" + std::string{key} + "'";
  values_[std::string{key}] =
      entry{std::string{trim(assignment.substr(eq + 1))}, "--set"};
  return std::nullopt;
}

const config_file::entry* config_file::find(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end())
    return nullptr;
  it->second.used = true;
  return &it->second;
}

void config_file::error(const std::string& key, const std::string& why) {
  auto it = values_.find(key);
  auto origin = it == values_.end() ? std::string{"config"} : it->second.origin;
  errors_.push_back(origin + ": key '" + key + "': " + why);
}

std::string config_file::get_string(const std::string& key,
                                    std::string fallback) {
  auto* e = find(key);
  return e ? e->value : fallback;
}

std::int64_t config_file::get_int(const std::string& key, std::int64_t fallback,
                                  std::int64_t min, std::int64_t max) {
  auto* e = find(key);
  if (!e)
    return fallback;
  errno = 0;
  char* end = nullptr;
  auto v = std::strtoll(e->value.c_str(), &end, 10);
  if (e->value.empty() || *end != '\0' || errno != 0) {
    error(key, "'" + e->value + "' is not an integer");
    return fallback;
  }
  if (v < min || v > max) {
    error(key, std::to_string(v) + " is out of range [" + std::to_string(min)
                   + ", " + std::to_string(max) + "]");
    return fallback;
  }
  return v;
}

double config_file::get_double(const std::string& key, double fallback,
                               double min, double max) {
  auto* e = find(key);
  if (!e)
    return fallback;
  char* end = nullptr;
  auto v = std::strtod(e->value.c_str(), &end);
  if (e->value.empty() || *end != '\0' || !std::isfinite(v)) {
    error(key, "'" + e->value + "' is not a number");
    return fallback;
  }
  if (v < min || v > max) {
    error(key, e->value + " is out of range");
    return fallback;
  }
  return v;
}

bool config_file::get_bool(const std::string& key, bool fallback) {
  auto* e = find(key);
  if (!e)
    return fallback;
  const auto& v = e->value;
  if (v == "true" || v == "on" || v == "yes" || v == "1")
    return true;
  if (v == "false" || v == "off" || v == "no" || v == "0")
    return false;
  error(key, "'" + v + "' is not a boolean (true/false, on/off, yes/no)");
  return fallback;
}

std::chrono::milliseconds
config_file::get_duration(const std::string& key,
                          std::chrono::milliseconds fallback) {
  auto* e = find(key);
  if (!e)
    return fallback;
  const auto& v = e->value;
  char* end = nullptr;
  auto n = std::strtod(v.c_str(), &end);
  std::string unit{end};
  double ms;
  if (unit.empty() || unit == "s")
    ms = n * 1000;
  else if (unit == "ms")
    ms = n;
  else if (unit == "m" || unit == "min")
    ms = n * 60000;
  else if (unit == "h")
    ms = n * 3600000;
  else {
    error(key, "'" + v + "' is not a duration (e.g. 500ms, 30s, 5m, 23h)");
    return fallback;
  }
  if (v.empty() || end == v.c_str() || !std::isfinite(n) || n < 0) {
    error(key, "'" + v + "' is not a duration (e.g. 500ms, 30s, 5m, 23h)");
    return fallback;
  }
  return std::chrono::milliseconds{static_cast<std::int64_t>(ms)};
}

std::vector<std::string>
config_file::get_list(const std::string& key,
                      std::vector<std::string> fallback) {
  auto* e = find(key);
  if (!e)
    return fallback;
  std::vector<std::string> out;
  std::string_view rest = e->value;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    auto item = trim(rest.substr(0, comma));
    if (!item.empty())
      out.emplace_back(item);
    if (comma == std::string_view::npos)
      break;
    rest = rest.substr(comma + 1);
  }
  return out;
}

std::vector<std::string> config_file::sections(std::string_view prefix) const {
  std::vector<std::string> out;
  for (auto& [key, e] : values_) {
    if (key.compare(0, prefix.size(), prefix) != 0)
      continue;
    auto dot = key.rfind('.');
    if (dot == std::string::npos || dot < prefix.size())
      continue;
    auto sec = key.substr(0, dot);
    if (out.empty() || out.back() != sec)
      out.push_back(sec);
  }
  return out;
}

std::vector<std::string> config_file::unused_keys() const {
  std::vector<std::string> out;
  for (auto& [key, e] : values_)
    if (!e.used)
      out.push_back(e.origin + ": unknown key '" + key + "'");
  return out;
}

} // namespace kisrt::app
