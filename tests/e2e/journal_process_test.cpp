// SPDX-License-Identifier: Apache-2.0
// The notice journal (docs/nodes.md), with the real processes on loopback:
// `kisrt --sim --publish` and kisrt-nodes that follow execution notices. Orders
// go in through the simulator's admin API (POST /order). One node reaches the
// gateway through a TCP forwarder that the test cuts: the gateway drops the
// node while fills flow, and after the node rejoins it writes every notice it
// missed, in order, then live ones, each line the same as a directly connected
// node's. Then the node is killed and restarted with the same --state FILE and
// again gets what it missed. Every wait is bounded by poll() on a pipe or a
// socket read.
#define CAF_SUITE nodes.journal
#include <caf/test/unit_test.hpp>

#include "tests/common/loopback_io.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

using kisrt::test::http_get;
using kisrt::test::read_line;

struct child {
  pid_t pid = -1;
  int out = -1;
  int err = -1;

  static child start(std::vector<std::string> args) {
    int o[2];
    int e[2];
    if (::pipe(o) != 0 || ::pipe(e) != 0)
      CAF_FAIL("pipe failed");
    child p;
    p.pid = ::fork();
    if (p.pid == 0) {
      ::dup2(o[1], 1);
      ::dup2(e[1], 2);
      for (int fd : {o[0], o[1], e[0], e[1]})
        ::close(fd);
      std::vector<char*> argv;
      for (auto& a : args)
        argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(o[1]);
    ::close(e[1]);
    p.out = o[0];
    p.err = e[0];
    return p;
  }

  void stop(int sig) {
    if (pid <= 0)
      return;
    ::kill(pid, sig);
    int status = 0;
    ::waitpid(pid, &status, 0);
    pid = -1;
  }

  child() = default;
  child(child&& x) noexcept
      : pid(x.pid)
      , out(x.out)
      , err(x.err) {
    x.pid = -1;
    x.out = x.err = -1;
  }
  child& operator=(child&& x) noexcept {
    std::swap(pid, x.pid);
    std::swap(out, x.out);
    std::swap(err, x.err);
    return *this;
  }

  ~child() {
    stop(SIGKILL);
    for (int fd : {out, err})
      if (fd >= 0)
        ::close(fd);
  }
};

bool wait_for(int fd, const std::string& what,
              std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (read_line(fd, left).find(what) != std::string::npos)
      return true;
  }
  return false;
}

int number_after(const std::string& s, const std::string& prefix) {
  auto i = s.find(prefix);
  if (i == std::string::npos)
    return -1;
  return std::atoi(s.c_str() + i + prefix.size());
}

// Blocking POST on loopback; returns the body.
std::string http_post(int port, const std::string& path,
                      const std::string& body) {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{5, 0};
  ::setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    auto req = "POST " + path
               + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                 "Content-Type: application/json\r\nContent-Length: "
               + std::to_string(body.size()) + "\r\n\r\n" + body;
    if (::write(s, req.data(), req.size())
        == static_cast<ssize_t>(req.size())) {
      char buf[4096];
      ssize_t n;
      while ((n = ::read(s, buf, sizeof(buf))) > 0)
        out.append(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(s);
  auto at = out.find("\r\n\r\n");
  return at == std::string::npos ? out : out.substr(at + 4);
}

/// A loopback TCP forwarder to `target` that the test can cut (every
/// connection closed, new ones closed at once) and resume.
class forwarder {
public:
  explicit forwarder(int target)
      : target_(target) {
    if (::pipe(cmd_) != 0 || ::pipe(ack_) != 0)
      CAF_FAIL("pipe failed");
    listen();
    thread_ = std::thread{[this] { run(); }};
  }
  ~forwarder() {
    command('q');
    thread_.join();
    for (int fd : {cmd_[0], cmd_[1], ack_[0], ack_[1]})
      ::close(fd);
  }
  int port() const { return port_; }
  void cut() { command('c'); }
  void resume() { command('r'); }

private:
  void command(char c) {
    if (::write(cmd_[1], &c, 1) != 1 || ::read(ack_[0], &c, 1) != 1)
      CAF_FAIL("forwarder command failed");
  }

  void listen() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port_));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0
        || ::listen(listener_, 8) != 0
        || ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      CAF_FAIL("forwarder cannot listen on " << port_ << ": "
                                             << std::strerror(errno));
    port_ = ntohs(a.sin_port);
  }

  void close_all() {
    for (auto& [a, b] : pairs_) {
      ::close(a);
      ::close(b);
    }
    pairs_.clear();
  }

  void run() {
    for (;;) {
      std::vector<pollfd> fds{{cmd_[0], POLLIN, 0}};
      fds.push_back({listener_, POLLIN, 0});
      auto first_pair = fds.size();
      for (auto& [a, b] : pairs_) {
        fds.push_back({a, POLLIN, 0});
        fds.push_back({b, POLLIN, 0});
      }
      if (::poll(fds.data(), fds.size(), -1) <= 0)
        continue;
      if (fds[0].revents != 0) {
        char c = 0;
        if (::read(cmd_[0], &c, 1) != 1)
          return;
        if (c == 'c' || c == 'q')
          close_all();
        cut_ = c == 'c';
        if (c == 'q')
          ::close(listener_);
        (void)::write(ack_[1], &c, 1);
        if (c == 'q')
          return;
        continue;
      }
      if (fds[1].revents != 0) {
        int in = ::accept(listener_, nullptr, nullptr);
        int up = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<std::uint16_t>(target_));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        // While cut, a node's connection attempt fails at once.
        if (in >= 0 && !cut_
            && ::connect(up, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
          pairs_.emplace_back(in, up);
        } else {
          ::close(in);
          ::close(up);
        }
        continue;
      }
      for (std::size_t i = first_pair; i < fds.size(); ++i) {
        if (fds[i].revents == 0)
          continue;
        auto& pr = pairs_[(i - first_pair) / 2];
        int from = fds[i].fd;
        int to = from == pr.first ? pr.second : pr.first;
        char buf[65536];
        auto n = ::read(from, buf, sizeof buf);
        bool ok = n > 0;
        for (ssize_t done = 0; ok && done < n;) {
          auto w = ::write(to, buf + done, static_cast<std::size_t>(n - done));
          ok = w > 0;
          done += w > 0 ? w : 0;
        }
        if (!ok) {
          ::close(pr.first);
          ::close(pr.second);
          pairs_.erase(pairs_.begin()
                       + static_cast<std::ptrdiff_t>((i - first_pair) / 2));
        }
        break; // the pair list changed or was served: poll again
      }
    }
  }

  int target_;
  int port_ = 0;
  int listener_ = -1;
  bool cut_ = false;
  int cmd_[2];
  int ack_[2];
  std::vector<std::pair<int, int>> pairs_;
  std::thread thread_;
};

child node(int port, const std::string& name, const std::string& state) {
  std::vector<std::string> args{std::string{KISRT_BIN_DIR} + "/kisrt-node",
                                "--gateway",
                                "127.0.0.1:" + std::to_string(port),
                                "--name",
                                name,
                                "--subscribe",
                                "H0STCNI0"};
  if (!state.empty()) {
    args.push_back("--state");
    args.push_back(state);
  }
  return child::start(std::move(args));
}

struct fixture {
  child gw;
  int admin = -1;
  int port = -1;
  int sim_admin = -1;
  child watcher; ///< connected directly, never cut
  std::string state;
  int orders = 0;

  fixture() {
    gw = child::start({std::string{KISRT_BIN_DIR} + "/kisrt", "--sim", "--set",
                       "sim.rate=5", "--admin", "127.0.0.1:0", "--publish",
                       "127.0.0.1:0"});
    admin = number_after(read_line(gw.out, 10s), "\"admin_port\":");
    port = number_after(read_line(gw.out, 10s), "\"publish_port\":");
    CAF_REQUIRE_GREATER(admin, 0);
    CAF_REQUIRE_GREATER(port, 0);
    sim_admin = number_after(http_get(admin, "/sim"), "\"admin_port\":");
    CAF_REQUIRE_GREATER(sim_admin, 0);
    watcher = node(port, "watcher", "");
    CAF_REQUIRE(wait_for(watcher.err, "notices after #", 20s));
    char tmpl[] = "/tmp/kisrt-node-state-XXXXXX";
    auto fd = ::mkstemp(tmpl);
    ::close(fd);
    state = tmpl;
    std::remove(state.c_str());
  }

  ~fixture() {
    std::remove(state.c_str());
    std::remove((state + ".tmp").c_str());
  }

  /// Places an order with two partial fills; returns the watcher's lines
  /// for its notices (an acknowledgement, then a notice per fill).
  std::vector<std::string> order() {
    ++orders;
    auto answer = http_post(sim_admin, "/order",
                            R"({"cano":"50000001","code":"005930",)"
                            R"("side":"buy","qty":2,"price":0,)"
                            R"("fills":[1,1]})");
    CAF_REQUIRE(answer.find("\"order_no\"") != std::string::npos);
    auto n = answer.find("accepted") != std::string::npos ? 3 : 1;
    std::vector<std::string> lines;
    for (int i = 0; i < n; ++i)
      lines.push_back(read_line(watcher.out, 20s));
    return lines;
  }
};

std::vector<std::string> read_lines(int fd, std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(read_line(fd, 30s));
  return out;
}

// The seq of each line, checking that each is a notice line.
std::vector<int> seqs(const std::vector<std::string>& lines) {
  std::vector<int> out;
  for (auto& l : lines) {
    CAF_CHECK_EQUAL(l.rfind(R"({"event":"notice","seq":)", 0), 0u);
    out.push_back(number_after(l, "\"seq\":"));
  }
  return out;
}

std::vector<int> range(int from, int to) {
  std::vector<int> out;
  for (int i = from; i <= to; ++i)
    out.push_back(i);
  return out;
}

template <class T>
std::vector<T> concat(std::vector<T> a, const std::vector<T>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::string slurp(const std::string& path) {
  std::ifstream in{path};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Waits until the node's state file says `seq` (the node saves its place
// right after writing a notice's line): inotify on the file's directory,
// bounded by `timeout`.
bool wait_state(const std::string& path, int seq,
                std::chrono::milliseconds timeout) {
  auto want = "\nseq=" + std::to_string(seq) + "\n";
  int fd = ::inotify_init1(IN_CLOEXEC);
  auto dir = path.substr(0, path.rfind('/'));
  ::inotify_add_watch(fd, dir.c_str(), IN_MOVED_TO | IN_CLOSE_WRITE);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool ok = false;
  while (!(ok = slurp(path).find(want) != std::string::npos)) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0)
      break;
    char buf[4096];
    (void)::read(fd, buf, sizeof buf);
  }
  ::close(fd);
  return ok;
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(journal_process_tests, fixture)

CAF_TEST(a node whose connection drops while fills flow gets every notice) {
  forwarder fwd{port};
  auto n = node(fwd.port(), "n1", state);
  CAF_REQUIRE(wait_for(n.err, "notices after #", 20s));
  // Connected: live notices with seq.
  auto first = order();
  auto got = read_lines(n.out, first.size());
  CAF_CHECK_EQUAL(got, first);
  auto s0 = seqs(first);
  CAF_REQUIRE(!s0.empty());
  auto base = s0.front();
  CAF_CHECK_EQUAL(s0, range(base, base + static_cast<int>(s0.size()) - 1));
  // The connection drops: the gateway lets the node go, fills go on.
  fwd.cut();
  CAF_CHECK(wait_for(gw.err, "node 'n1' is gone", 20s));
  CAF_CHECK(wait_for(n.err, "gateway gone", 20s));
  auto missed = order(); // two orders, in this order
  missed = concat(missed, order());
  // The node rejoins: first what it missed, in order, the same lines the
  // watcher got live; then live ones.
  fwd.resume();
  CAF_CHECK(wait_for(n.err, "joined as 'n1'", 30s));
  got = read_lines(n.out, missed.size());
  CAF_CHECK_EQUAL(got, missed);
  auto live = order();
  got = read_lines(n.out, live.size());
  CAF_CHECK_EQUAL(got, live);
  auto all = seqs(concat(concat(first, missed), live));
  CAF_CHECK_EQUAL(all, range(base, base + static_cast<int>(all.size()) - 1));
  // The place is in the state file.
  CAF_CHECK(wait_state(state, all.back(), 10s));
}

CAF_TEST(a node restarted with the same state file gets what it missed) {
  auto n = node(port, "n2", state);
  CAF_REQUIRE(wait_for(n.err, "notices after #", 20s));
  auto first = order();
  CAF_CHECK_EQUAL(read_lines(n.out, first.size()), first);
  // Killed once its place is saved (killed between a line and the save, it
  // would write that notice again after the restart: at least once).
  CAF_REQUIRE(wait_state(state, seqs(first).back(), 10s));
  n.stop(SIGKILL);
  auto missed = order(); // two orders, in this order
  missed = concat(missed, order());
  auto again = node(port, "n2", state);
  CAF_CHECK(wait_for(again.err, "joined as 'n2'", 20s));
  CAF_CHECK_EQUAL(read_lines(again.out, missed.size()), missed);
  auto live = order();
  CAF_CHECK_EQUAL(read_lines(again.out, live.size()), live);
  auto all = seqs(concat(concat(first, missed), live));
  CAF_REQUIRE(!all.empty());
  CAF_CHECK_EQUAL(
      all, range(all.front(), all.front() + static_cast<int>(all.size()) - 1));
}

CAF_TEST_FIXTURE_SCOPE_END()
