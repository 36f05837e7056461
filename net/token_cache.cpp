// SPDX-License-Identifier: Apache-2.0
#include "net/token_cache.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>

namespace kisrt::net {

namespace {

// FNV-1a: a stable file name that does not reveal the app key.
std::string hash_name(std::string_view key) {
  std::uint64_t h = 1469598103934665603ull;
  for (char c : key) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), "token-%016llx.json",
                static_cast<unsigned long long>(h));
  return buf;
}

std::int64_t days_from_civil(int y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097
         + static_cast<std::int64_t>(doe) - 719468;
}

} // namespace

token_cache::token_cache(std::string dir)
    : dir_(std::move(dir)) {
  // nop
}

std::string token_cache::path_for(std::string_view app_key) const {
  return dir_ + "/" + hash_name(app_key);
}

std::optional<token_cache::entry> token_cache::load(std::string_view app_key,
                                                    std::string& error) const {
  auto path = path_for(app_key);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return std::nullopt; // nothing cached yet
  if ((st.st_mode & 0077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%03o", st.st_mode & 0777);
    error = "token cache " + path + " has mode " + mode
            + " (group/other access); refusing it, expected 600";
    return std::nullopt;
  }
  if (st.st_uid != ::geteuid()) {
    error = "token cache " + path + " belongs to another user; refusing it";
    return std::nullopt;
  }
  std::ifstream in{path};
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  auto doc = boost::json::parse(ss.str(), ec);
  if (ec || !doc.is_object()) {
    error = "token cache " + path + " is not valid JSON; ignoring it";
    return std::nullopt;
  }
  const auto& o = doc.get_object();
  entry e;
  auto tok = o.find("token");
  auto exp = o.find("expires_at");
  auto last = o.find("last_request");
  if (tok == o.end() || !tok->value().is_string() || exp == o.end()
      || !exp->value().is_int64()) {
    error = "token cache " + path + " lacks token/expires_at; ignoring it";
    return std::nullopt;
  }
  e.token = std::string{tok->value().get_string()};
  e.expires_at = exp->value().get_int64();
  if (last != o.end() && last->value().is_int64())
    e.last_request = last->value().get_int64();
  return e;
}

bool token_cache::store(std::string_view app_key, const entry& e,
                        std::string& error) const {
  if (::mkdir(dir_.c_str(), 0700) != 0 && errno != EEXIST) {
    error = "cannot create token cache directory " + dir_ + ": "
            + std::strerror(errno);
    return false;
  }
  boost::json::object o;
  o["token"] = e.token;
  o["expires_at"] = e.expires_at;
  o["last_request"] = e.last_request;
  auto text = boost::json::serialize(o);
  auto path = path_for(app_key);
  auto tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    error = "cannot write token cache " + tmp + ": " + std::strerror(errno);
    return false;
  }
  ::fchmod(fd, 0600); // in case the file existed with other bits
  auto n = ::write(fd, text.data(), text.size());
  bool ok = n == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    error = "cannot write token cache " + path + ": " + std::strerror(errno);
    ::unlink(tmp.c_str());
    return false;
  }
  return true;
}

std::int64_t parse_kst_datetime(std::string_view s) noexcept {
  // YYYY-MM-DD HH:MM:SS
  if (s.size() != 19 || s[4] != '-' || s[7] != '-' || s[10] != ' '
      || s[13] != ':' || s[16] != ':')
    return -1;
  auto num = [&](std::size_t pos, std::size_t len, int& out) {
    out = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9')
        return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y, mo, d, h, mi, se;
  if (!num(0, 4, y) || !num(5, 2, mo) || !num(8, 2, d) || !num(11, 2, h)
      || !num(14, 2, mi) || !num(17, 2, se))
    return -1;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
    return -1;
  auto days =
      days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  constexpr std::int64_t kst_offset = 9 * 3600;
  return days * 86400 + h * 3600 + mi * 60 + se - kst_offset;
}

} // namespace kisrt::net
