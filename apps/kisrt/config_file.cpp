// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt/config_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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
  if (s.empty() || s.size() > config_file::max_name_bytes)
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

// Position of the first byte below 0x20 or 0x7f, other than a tab or a CR
// at the very end; npos when there is none.
std::size_t first_control(std::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    auto c = static_cast<unsigned char>(line[i]);
    if (c == '\t' || (c == '\r' && i + 1 == line.size()))
      continue;
    if (c < 0x20 || c == 0x7f)
      return i;
  }
  return std::string_view::npos;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

} // namespace

std::string config_file::quote(std::string_view text) {
  constexpr std::size_t shown = 32;
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < shown; ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '\'';
  if (text.size() > shown)
    out += "...(" + std::to_string(text.size()) + " bytes)";
  return out;
}

std::string config_file::format_duration(std::chrono::milliseconds d) {
  auto n = d.count();
  if (n != 0 && n % 3600000 == 0)
    return std::to_string(n / 3600000) + "h";
  if (n != 0 && n % 60000 == 0)
    return std::to_string(n / 60000) + "m";
  if (n % 1000 == 0)
    return std::to_string(n / 1000) + "s";
  return std::to_string(n) + "ms";
}

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
    if (auto bad = first_control(line); bad != std::string_view::npos) {
      errs.push_back(where + ":" + std::to_string(bad + 1)
                     + ": control character " + quote(line.substr(bad, 1))
                     + " (only tabs and a CR before the newline are allowed)");
      continue;
    }
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
        errs.push_back(where + ": bad section name " + quote(sec));
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
      errs.push_back(where + ": bad key " + quote(key));
      continue;
    }
    if (auto len = trim(line.substr(eq + 1)).size(); len > max_value_bytes) {
      errs.push_back(where + ": key '" + (section.empty() ? "" : section + ".")
                     + std::string{key} + "': the value is "
                     + std::to_string(len) + " bytes, more than the "
                     + std::to_string(max_value_bytes) + "-byte limit");
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
  auto fail = [&](const std::string& why) {
    return std::vector<std::string>{path + ": " + why};
  };
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fail(std::string{"cannot read the configuration file: "}
                + std::strerror(errno));
  // Read at most one byte past the limit: /dev/zero or a huge file is
  // refused without allocating it.
  std::string text;
  char buf[16384];
  for (;;) {
    auto n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      auto err = errno;
      ::close(fd);
      return fail(std::string{"cannot read the configuration file: "}
                  + std::strerror(err));
    }
    if (n == 0)
      break;
    if (text.size() + static_cast<std::size_t>(n) > max_file_bytes) {
      ::close(fd);
      return fail("the configuration file is larger than "
                  + std::to_string(max_file_bytes / 1024)
                  + " KiB; refusing it");
    }
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return parse(text, path);
}

std::optional<std::string> config_file::set(std::string_view assignment) {
  auto eq = assignment.find('=');
  if (eq == std::string_view::npos)
    return "--set " + quote(assignment) + ": expected section.key=value";
  auto key = trim(assignment.substr(0, eq));
  if (!valid_name(key))
    return "--set: bad key " + quote(key);
  auto value = trim(assignment.substr(eq + 1));
  if (value.size() > max_value_bytes)
    return "--set: key '" + std::string{key} + "': the value is "
           + std::to_string(value.size()) + " bytes, more than the "
           + std::to_string(max_value_bytes) + "-byte limit";
  if (auto bad = first_control(value); bad != std::string_view::npos)
    return "--set: key '" + std::string{key} + "': control character "
           + quote(value.substr(bad, 1)) + " in the value";
  values_[std::string{key}] = entry{std::string{value}, "--set"};
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
    error(key, quote(e->value) + " is not an integer");
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
    error(key, quote(e->value) + " is not a number");
    return fallback;
  }
  if (v < min || v > max) {
    auto num = [](double x) {
      std::ostringstream os;
      os << x;
      return os.str();
    };
    error(key, quote(e->value) + " is out of range [" + num(min) + ", "
                   + num(max) + "]");
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
  error(key, quote(v) + " is not a boolean (true/false, on/off, yes/no)");
  return fallback;
}

std::chrono::milliseconds config_file::get_duration(
    const std::string& key, std::chrono::milliseconds fallback,
    std::chrono::milliseconds min, std::chrono::milliseconds max) {
  auto* e = find(key);
  if (!e)
    return fallback;
  const std::string& v = e->value;
  auto bad = [&] {
    error(key, quote(v) + " is not a duration (e.g. 500ms, 30s, 5m, 23h)");
    return fallback;
  };
  // Strict: DIGITS[.DIGITS]UNIT, at most 12 integer digits (then the value
  // fits a double exactly and no unit can overflow a 64-bit count).
  std::size_t i = 0;
  double whole = 0;
  while (i < v.size() && is_digit(v[i]) && i < 12)
    whole = whole * 10 + (v[i++] - '0');
  if (i == 0 || (i < v.size() && is_digit(v[i])))
    return bad();
  double frac = 0, scale = 1;
  if (i < v.size() && v[i] == '.') {
    auto start = ++i;
    while (i < v.size() && is_digit(v[i]) && i - start < 9) {
      frac = frac * 10 + (v[i++] - '0');
      scale *= 10;
    }
    if (i == start || (i < v.size() && is_digit(v[i])))
      return bad();
  }
  auto unit = std::string_view{v}.substr(i);
  double ms_per;
  if (unit.empty() || unit == "s")
    ms_per = 1000;
  else if (unit == "ms")
    ms_per = 1;
  else if (unit == "m" || unit == "min")
    ms_per = 60000;
  else if (unit == "h")
    ms_per = 3600000;
  else
    return bad();
  auto ms = (whole + frac / scale) * ms_per;
  if (ms < static_cast<double>(min.count())
      || ms > static_cast<double>(max.count())) {
    error(key, quote(v) + " is out of range [" + format_duration(min) + ", "
                   + format_duration(max) + "]");
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

std::vector<std::string> config_file::keys(std::string_view prefix) const {
  std::vector<std::string> out;
  for (auto& [key, e] : values_)
    if (key.size() > prefix.size()
        && key.compare(0, prefix.size(), prefix) == 0)
      out.push_back(key);
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
