// SPDX-License-Identifier: Apache-2.0
#include "net/token_cache.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>

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

int token_cache::open_dir(std::string& error) const {
  int fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    error = "cannot open token cache directory " + dir_ + ": "
            + std::strerror(errno);
    return -1;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    error = "cannot stat token cache directory " + dir_ + ": "
            + std::strerror(errno);
    ::close(fd);
    return -1;
  }
  // Anyone who may write here may plant or swap files next to the token.
  if (st.st_uid != ::geteuid()) {
    error = "token cache directory " + dir_
            + " belongs to another user; not using it";
    ::close(fd);
    return -1;
  }
  if ((st.st_mode & 0022) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%03o", st.st_mode & 0777);
    error = "token cache directory " + dir_ + " has mode " + mode
            + " (writable by group or others); not using it, chmod 700 it";
    ::close(fd);
    return -1;
  }
  return fd;
}

std::optional<token_cache::entry> token_cache::load(std::string_view app_key,
                                                    std::string& error) const {
  auto name = hash_name(app_key);
  auto path = dir_ + "/" + name;
  struct stat dst {};
  if (::stat(dir_.c_str(), &dst) != 0 && errno == ENOENT)
    return std::nullopt; // nothing cached yet
  int dfd = open_dir(error);
  if (dfd < 0)
    return std::nullopt;
  // O_NOFOLLOW: a symlink planted in place of the file is not read.
  int fd = ::openat(dfd, name.c_str(),
                    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  auto open_errno = errno;
  ::close(dfd);
  if (fd < 0) {
    if (open_errno == ENOENT)
      return std::nullopt; // nothing cached yet
    error = "token cache " + path + " cannot be opened: "
            + std::strerror(open_errno) + "; refusing it";
    return std::nullopt;
  }
  struct fd_closer {
    int fd;
    ~fd_closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    error = "token cache " + path + " is not a regular file; refusing it";
    return std::nullopt;
  }
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
  constexpr std::size_t max_bytes = 64 * 1024;
  std::string text;
  char buf[4096];
  for (;;) {
    auto n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    if (text.size() + static_cast<std::size_t>(n) > max_bytes) {
      error = "token cache " + path + " is larger than 64 KiB; ignoring it";
      return std::nullopt;
    }
    text.append(buf, static_cast<std::size_t>(n));
  }
  boost::system::error_code ec;
  auto doc = boost::json::parse(text, ec);
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
  int dfd = open_dir(error);
  if (dfd < 0)
    return false;
  struct fd_closer {
    int fd;
    ~fd_closer() { ::close(fd); }
  } dir_closer{dfd};
  boost::json::object o;
  o["token"] = e.token;
  o["expires_at"] = e.expires_at;
  o["last_request"] = e.last_request;
  auto text = boost::json::serialize(o);
  auto name = hash_name(app_key);
  auto path = dir_ + "/" + name;
  // A fresh name that nobody can predict, created exclusively: an existing
  // file or symlink under that name fails the open instead of being
  // followed or truncated.
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
    unsigned char rnd[8];
    if (::getrandom(rnd, sizeof(rnd), 0) != static_cast<ssize_t>(sizeof(rnd))) {
      error = std::string{"cannot write token cache: getrandom: "}
              + std::strerror(errno);
      return false;
    }
    char suffix[24];
    std::snprintf(suffix, sizeof(suffix),
                  ".tmp-%02x%02x%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1],
                  rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
    tmp = "." + name + suffix;
    fd = ::openat(dfd, tmp.c_str(),
                  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) {
      error = "cannot write token cache " + dir_ + "/" + tmp + ": "
              + std::strerror(errno);
      return false;
    }
  }
  if (fd < 0) {
    error = "cannot write token cache in " + dir_ + ": no free temporary name";
    return false;
  }
  std::size_t done = 0;
  bool ok = true;
  while (ok && done < text.size()) {
    auto n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    ok = n > 0;
    if (ok)
      done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  auto write_errno = errno;
  ::close(fd);
  if (!ok || ::renameat(dfd, tmp.c_str(), dfd, name.c_str()) != 0) {
    error = "cannot write token cache " + path + ": "
            + std::strerror(ok ? errno : write_errno);
    ::unlinkat(dfd, tmp.c_str(), 0);
    return false;
  }
  ::fsync(dfd); // the rename itself survives a crash
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
