// SPDX-License-Identifier: Apache-2.0
// Runs a binary of build/bin with a bounded wait and captures its stdout:
// every wait is poll() on the pipe; a process still running at the
// deadline is killed and reported as such.
#pragma once

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

namespace kisrt::test {

struct process_result {
  bool timed_out = false;
  int exit_code = -1; ///< -1 when killed or not exited normally
  std::string out;
};

inline process_result run_binary(const std::string& name,
                                 std::vector<std::string> args,
                                 std::chrono::milliseconds timeout) {
  process_result r;
  int out[2];
  if (::pipe(out) != 0)
    return r;
  auto bin = std::string{KISRT_BIN_DIR} + "/" + name;
  auto pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::close(out[0]);
    ::close(out[1]);
    std::vector<char*> argv{bin.data()};
    for (auto& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{out[0], POLLIN, 0};
    if (left.count() <= 0
        || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
      r.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    auto n = ::read(out[0], buf, sizeof(buf));
    if (n <= 0)
      break; // EOF: the process closed stdout (exited)
    r.out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(out[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status))
    r.exit_code = WEXITSTATUS(status);
  return r;
}

inline std::size_t count_of(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto i = s.find(what); i != std::string::npos; i = s.find(what, i + 1))
    ++n;
  return n;
}

} // namespace kisrt::test
