// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt-node/node_state.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace kisrt::node {

bool is_notice_tr(const std::string& tr_id) {
  return tr_id == "H0STCNI0" || tr_id == "H0STCNI9" || tr_id == "H0GSCNI0"
         || tr_id == "H0GSCNI9";
}

bool wants_notices(const options& o) {
  if (o.subscribe_all)
    return true;
  for (auto& k : o.subscribe)
    if (is_notice_tr(k.tr_id))
      return true;
  return false;
}

bool wants_notice(const options& o, const std::string& tr_id,
                  const std::string& key) {
  if (o.subscribe_all)
    return true;
  for (auto& k : o.subscribe)
    if (k.tr_id == tr_id && (k.tr_key.empty() || k.tr_key == key))
      return true;
  return false;
}

namespace {

bool is_journal_id(const std::string& s) {
  if (s.empty() || s.size() > 64)
    return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')))
      return false;
  return true;
}

} // namespace

std::optional<std::string> read_state(const std::string& path,
                                      notice_cursor& out) {
  std::ifstream in{path};
  if (!in) {
    if (errno == ENOENT)
      return std::nullopt;
    return "--state " + path + ": cannot read: " + std::strerror(errno);
  }
  notice_cursor c;
  bool have_seq = false;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (n > 16 || line.size() > 128)
      return "--state " + path + ": line " + std::to_string(n)
             + ": not a kisrt-node state file";
    if (line.empty())
      continue;
    auto where = "--state " + path + ": line " + std::to_string(n) + ": ";
    if (line.rfind("journal=", 0) == 0) {
      c.journal = line.substr(8);
      if (!is_journal_id(c.journal))
        return where + "'" + c.journal + "' is not a journal ID";
    } else if (line.rfind("seq=", 0) == 0) {
      auto v = line.substr(4);
      char* end = nullptr;
      errno = 0;
      auto x = std::strtoull(v.c_str(), &end, 10);
      if (v.empty() || v.size() > 19 || *end != '\0' || v[0] == '-'
          || errno != 0)
        return where + "'" + v + "' is not a sequence number";
      c.seq = x;
      have_seq = true;
    } else {
      return where + "expected journal=ID or seq=N";
    }
  }
  if (c.journal.empty() || !have_seq)
    return "--state " + path + ": needs a journal= and a seq= line";
  out = std::move(c);
  return std::nullopt;
}

std::optional<std::string> write_state(const std::string& path,
                                       const notice_cursor& place) {
  auto tmp = path + ".tmp";
  auto text =
      "journal=" + place.journal + "\nseq=" + std::to_string(place.seq) + "\n";
  auto fail = [&](const char* what) {
    return "--state " + path + ": " + what + ": " + std::strerror(errno);
  };
  auto fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return fail("cannot write the temporary file");
  auto ok = ::write(fd, text.data(), text.size())
            == static_cast<ssize_t>(text.size());
  ok = ok && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok)
    return fail("cannot write the temporary file");
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    return fail("cannot replace the file");
  return std::nullopt;
}

notice_step classify(const notice_cursor& last, const notice_cursor& at) {
  if (last.journal.empty())
    return notice_step::next;
  if (last.journal != at.journal)
    return notice_step::new_journal;
  if (at.seq <= last.seq)
    return notice_step::duplicate;
  return at.seq == last.seq + 1 ? notice_step::next : notice_step::gap;
}

notice_cursor merge_start(const notice_cursor& last,
                          const notice_cursor& start) {
  if (last.journal == start.journal && last.seq > start.seq)
    return last;
  return start;
}

} // namespace kisrt::node
