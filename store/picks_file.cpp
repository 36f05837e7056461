// SPDX-License-Identifier: Apache-2.0
#include "store/picks_file.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <set>

#include "net/kis/key_form.hpp"
#include "net/kis/stock_code.hpp"
#include "store/picks_db.hpp"

namespace kisrt::store {

namespace json = boost::json;

std::int32_t parse_trade_date(std::string_view text) noexcept {
  std::string digits;
  if (text.size() == 10 && text[4] == '-' && text[7] == '-')
    digits = std::string{text.substr(0, 4)} + std::string{text.substr(5, 2)}
             + std::string{text.substr(8, 2)};
  else if (text.size() == 8)
    digits = std::string{text};
  else
    return 0;
  for (char c : digits)
    if (c < '0' || c > '9')
      return 0;
  auto v = std::atoi(digits.c_str());
  auto y = v / 10000;
  auto m = v / 100 % 100;
  auto d = v % 100;
  if (y < 1990 || y > 2999 || m < 1 || m > 12 || d < 1)
    return 0;
  // A real calendar day: 20250231 and 20250229 are not (2024-02-29 is).
  static constexpr int month_days[] = {31, 28, 31, 30, 31, 30,
                                       31, 31, 30, 31, 30, 31};
  auto leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  auto last = month_days[m - 1] + (m == 2 && leap ? 1 : 0);
  return d <= last ? v : 0;
}

std::optional<std::int32_t> parse_rank(std::string_view text) noexcept {
  std::int64_t v = 0;
  auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc{} || ptr != end || v < 1 || v > max_rank)
    return std::nullopt;
  return static_cast<std::int32_t>(v);
}

std::optional<double> parse_score(std::string_view text) noexcept {
  double v = 0;
  auto* end = text.data() + text.size();
  auto [ptr, ec] =
      std::from_chars(text.data(), end, v, std::chars_format::general);
  if (text.empty() || ec != std::errc{} || ptr != end || !std::isfinite(v))
    return std::nullopt;
  return v;
}

std::string csv_escape(std::string_view field) {
  auto blank = [](char c) { return c == ' ' || c == '\t'; };
  if (field.find_first_of(",\"\r\n") == std::string_view::npos
      && (field.empty() || (!blank(field.front()) && !blank(field.back()))))
    return std::string{field};
  std::string out = "\"";
  for (char c : field) {
    if (c == '"')
      out += '"';
    out += c;
  }
  out += '"';
  return out;
}

namespace {

// A field for a message: at most 32 bytes, control bytes escaped.
std::string shown(std::string_view text) {
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < 32; ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      static constexpr char hex[] = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '\'';
  if (text.size() > 32)
    out += "...";
  return out;
}

// Checks one pick; `where` names it in messages.
bool check(const std::string& where, std::int32_t date, const pick_entry& p,
           std::vector<std::string>& errors) {
  auto n = errors.size();
  if (date == 0)
    errors.push_back(where
                     + ": trade_date is missing or not a date "
                       "(YYYYMMDD or YYYY-MM-DD)");
  if (!kis::is_stock_code(p.code) && !kis::is_overseas_key(p.code))
    errors.push_back(where + ": code " + shown(p.code)
                     + " is not a 6-character stock code nor an overseas "
                       "key (DNASAAPL)");
  if (p.rank < 1)
    errors.push_back(where + ": rank must be 1 or more");
  if (p.name.size() > max_text_bytes || p.source.size() > max_text_bytes)
    errors.push_back(where + ": name and source take at most "
                     + std::to_string(max_text_bytes) + " bytes");
  if (!std::isfinite(p.score))
    errors.push_back(where + ": score is not a finite number");
  return errors.size() == n;
}

// Ranks and codes must be unique within a day.
void check_unique(std::string_view name, const picks_by_date& out,
                  std::vector<std::string>& errors) {
  for (auto& [date, picks] : out) {
    std::set<std::int32_t> ranks;
    std::set<std::string> codes;
    for (auto& p : picks) {
      if (!ranks.insert(p.rank).second)
        errors.push_back(std::string{name} + ": " + std::to_string(date)
                         + ": rank " + std::to_string(p.rank)
                         + " appears twice");
      if (!codes.insert(p.code).second)
        errors.push_back(std::string{name} + ": " + std::to_string(date)
                         + ": code " + p.code + " appears twice");
    }
  }
}

std::int32_t json_date(const json::value* v) {
  if (v == nullptr)
    return 0;
  if (v->is_string())
    return parse_trade_date(v->as_string());
  if (v->is_int64())
    return parse_trade_date(std::to_string(v->as_int64()));
  return 0;
}

void parse_json(std::string_view name, std::string_view text,
                picks_by_date& out, std::vector<std::string>& errors) {
  boost::system::error_code ec;
  auto doc = json::parse(text, ec);
  if (ec) {
    errors.push_back(std::string{name} + ": not valid JSON: " + ec.message());
    return;
  }
  const json::array* rows = nullptr;
  std::int32_t top_date = 0;
  bool has_top_date = false;
  if (doc.is_object()) {
    auto& o = doc.as_object();
    if (auto d = o.if_contains("trade_date")) {
      has_top_date = true;
      top_date = json_date(d);
    }
    if (auto p = o.if_contains("picks"); p && p->is_array())
      rows = &p->as_array();
  } else if (doc.is_array()) {
    rows = &doc.as_array();
  }
  if (rows == nullptr) {
    errors.push_back(std::string{name}
                     + ": expected an array of picks or an object with "
                       "\"trade_date\" and \"picks\"");
    return;
  }
  for (std::size_t i = 0; i < rows->size(); ++i) {
    auto where = std::string{name} + ": picks[" + std::to_string(i) + "]";
    auto* o = (*rows)[i].if_object();
    if (o == nullptr) {
      errors.push_back(where + ": not an object");
      continue;
    }
    auto date = has_top_date ? top_date : 0;
    if (auto d = o->if_contains("trade_date"))
      date = json_date(d);
    pick_entry p;
    auto str = [&](const char* key, std::string& dst) {
      if (auto v = o->if_contains(key)) {
        if (v->is_string())
          dst = std::string{v->as_string()};
        else
          errors.push_back(where + ": " + key + " must be a string");
      }
    };
    str("code", p.code);
    str("name", p.name);
    str("source", p.source);
    if (auto v = o->if_contains("rank"); v == nullptr) {
      p.rank = static_cast<std::int32_t>(
          std::min<std::size_t>(i + 1, max_rank)); // file order
    } else {
      std::optional<std::int32_t> r;
      if (v->is_int64())
        r = v->as_int64() >= 1 && v->as_int64() <= max_rank
                ? std::optional<std::int32_t>{static_cast<std::int32_t>(
                    v->as_int64())}
                : std::nullopt;
      else if (v->is_string())
        r = parse_rank(v->as_string());
      if (!r) {
        errors.push_back(where + ": rank must be an integer from 1 to "
                         + std::to_string(max_rank));
        continue;
      }
      p.rank = *r;
    }
    if (auto v = o->if_contains("score")) {
      if (v->is_number())
        p.score = v->to_number<double>();
      else
        errors.push_back(where + ": score must be a number");
    }
    if (check(where, date, p, errors))
      out[date].push_back(std::move(p));
  }
}

// One CSV line into fields (RFC 4180 on one line): a field is either bare
// (no double quote in it) or wholly enclosed in double quotes, with `""`
// for a quote inside. A quoting error is reported as `where:COLUMN: ...`
// (1-based byte column) and gives no fields.
bool csv_fields(std::string_view line, const std::string& where,
                std::vector<std::string>& out,
                std::vector<std::string>& errors) {
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  out.assign(1, std::string{});
  auto col = [&](std::size_t i) { return where + ":" + std::to_string(i + 1); };
  std::size_t i = 0;
  while (true) {
    // leading blanks of a field
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
      ++i;
    if (i < line.size() && line[i] == '"') {
      auto open = i++;
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '"' && i + 1 < line.size() && line[i + 1] == '"') {
          out.back() += '"';
          i += 2;
        } else if (line[i] == '"') {
          closed = true;
          ++i;
          break;
        } else {
          out.back() += line[i++];
        }
      }
      if (!closed) {
        errors.push_back(col(open)
                         + ": unterminated quote (a quoted field must end on "
                           "the same line)");
        return false;
      }
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
        ++i;
      if (i < line.size() && line[i] != ',') {
        errors.push_back(col(i) + ": text after the closing quote");
        return false;
      }
    } else {
      auto start = i;
      while (i < line.size() && line[i] != ',') {
        if (line[i] == '"') {
          errors.push_back(col(i)
                           + ": quote inside an unquoted field (quote the "
                             "whole field and double the quote)");
          return false;
        }
        ++i;
      }
      auto f = line.substr(start, i - start);
      while (!f.empty() && (f.back() == ' ' || f.back() == '\t'))
        f.remove_suffix(1);
      out.back() = std::string{f};
    }
    if (i >= line.size())
      return true;
    ++i; // the comma
    out.emplace_back();
    if (out.size() > 64) {
      errors.push_back(where + ": more than 64 fields");
      return false;
    }
  }
}

void parse_csv(std::string_view name, std::string_view text, picks_by_date& out,
               std::vector<std::string>& errors) {
  std::map<std::string, std::size_t> col;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto end = text.find('\n', pos);
    auto line =
        text.substr(pos, end == std::string_view::npos ? std::string_view::npos
                                                       : end - pos);
    pos = end == std::string_view::npos ? text.size() + 1 : end + 1;
    ++line_no;
    auto where = std::string{name} + ":" + std::to_string(line_no);
    if (line.empty() || line == "\r" || line[0] == '#')
      continue;
    std::vector<std::string> f;
    if (!csv_fields(line, where, f, errors))
      continue;
    if (col.empty()) {
      for (std::size_t i = 0; i < f.size(); ++i)
        col[f[i]] = i;
      for (auto req : {"trade_date", "rank", "code"})
        if (col.count(req) == 0) {
          errors.push_back(where + ": the header needs a column '" + req
                           + "' (trade_date,rank,code,name,score,source)");
          return;
        }
      continue;
    }
    auto get = [&](const char* key) -> std::string {
      auto i = col.find(key);
      return i != col.end() && i->second < f.size() ? f[i->second]
                                                    : std::string{};
    };
    auto date = parse_trade_date(get("trade_date"));
    pick_entry p;
    p.code = get("code");
    p.name = get("name");
    p.source = get("source");
    auto rank = get("rank");
    if (auto r = parse_rank(rank)) {
      p.rank = *r;
    } else {
      errors.push_back(where + ": rank " + shown(rank)
                       + " is not an integer from 1 to "
                       + std::to_string(max_rank));
      continue;
    }
    if (auto s = get("score"); !s.empty()) {
      if (auto v = parse_score(s)) {
        p.score = *v;
      } else {
        errors.push_back(where + ": score " + shown(s)
                         + " is not a finite decimal number");
        continue;
      }
    }
    if (check(where, date, p, errors))
      out[date].push_back(std::move(p));
  }
  if (col.empty())
    errors.push_back(std::string{name} + ": empty file");
}

} // namespace

picks_by_date parse_picks(std::string_view name, std::string_view text,
                          std::vector<std::string>& errors) {
  picks_by_date out;
  auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos
      && (text[first] == '{' || text[first] == '['))
    parse_json(name, text, out, errors);
  else
    parse_csv(name, text, out, errors);
  check_unique(name, out, errors);
  return out;
}

} // namespace kisrt::store
