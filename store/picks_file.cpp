// SPDX-License-Identifier: Apache-2.0
#include "store/picks_file.hpp"

#include <boost/json.hpp>

#include <cmath>
#include <cstdlib>
#include <set>

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
  if (y < 1990 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31)
    return 0;
  return v;
}

namespace {

// Checks one pick; `where` names it in messages.
bool check(const std::string& where, std::int32_t date, const pick_entry& p,
           std::vector<std::string>& errors) {
  auto n = errors.size();
  if (date == 0)
    errors.push_back(where
                     + ": trade_date is missing or not a date "
                       "(YYYYMMDD or YYYY-MM-DD)");
  if (!is_stock_code(p.code))
    errors.push_back(where + ": code '" + p.code
                     + "' is not a 6-character stock code");
  if (p.rank < 1)
    errors.push_back(where + ": rank must be 1 or more");
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
    if (auto v = o->if_contains("rank"); v && v->is_int64())
      p.rank = static_cast<std::int32_t>(v->as_int64());
    else if (v && v->is_string())
      p.rank = std::atoi(std::string{v->as_string()}.c_str());
    else
      p.rank = static_cast<std::int32_t>(i + 1); // file order
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

// One CSV line into fields; double quotes may enclose a field.
std::vector<std::string> csv_fields(std::string_view line) {
  std::vector<std::string> out{std::string{}};
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    auto c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  for (auto& f : out) {
    auto b = f.find_first_not_of(" \t");
    auto e = f.find_last_not_of(" \t");
    f = b == std::string::npos ? std::string{} : f.substr(b, e - b + 1);
  }
  return out;
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
    auto f = csv_fields(line);
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
    char* e = nullptr;
    auto r = std::strtol(rank.c_str(), &e, 10);
    p.rank = rank.empty() || *e != '\0' ? 0 : static_cast<std::int32_t>(r);
    if (auto s = get("score"); !s.empty()) {
      p.score = std::strtod(s.c_str(), &e);
      if (*e != '\0') {
        errors.push_back(where + ": score '" + s + "' is not a number");
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
