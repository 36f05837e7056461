// SPDX-License-Identifier: Apache-2.0
// admin.listen, admin.allow_remote and admin.token_env (docs/security.md): what
// is accepted, what is refused, and that refusals come before anything starts.
#define CAF_SUITE app.admin_options
#include <caf/test/unit_test.hpp>

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>

#include "apps/kisrt/gateway.hpp"
#include "tests/apps/kisrt/options_fixture.hpp"

using namespace kisrt::app;
using namespace std::chrono_literals;

namespace {

struct fixture {
  std::map<std::string, std::string> vars;
  std::vector<std::string> errors;

  gateway_options read(const std::string& text) {
    return kisrt::test::read_config("[kis]\nsim = true\n" + text, errors, vars);
  }

  bool has_error(const std::string& needle) const {
    return kisrt::test::any_contains(errors, needle);
  }

  std::string all_errors() const {
    std::string s;
    for (auto& e : errors)
      s += e + "\n";
    return s;
  }
};

const char* token = "0123456789abcdef-secret";

struct run_result {
  int exit_code = -1;
  std::string output; ///< stdout and stderr
};

// Runs kisrt with `args`; stdout and stderr together, bounded wait.
run_result run_kisrt(std::vector<std::string> args,
                     std::chrono::milliseconds timeout = 10s) {
  run_result r;
  int out[2];
  if (::pipe(out) != 0)
    return r;
  auto bin = std::string{KISRT_BIN_DIR} + "/kisrt";
  auto pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::dup2(out[1], 2);
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
      ::kill(pid, SIGKILL);
      break;
    }
    auto n = ::read(out[0], buf, sizeof(buf));
    if (n <= 0)
      break;
    r.output.append(buf, static_cast<std::size_t>(n));
    // A gateway that started prints its port: stop it.
    if (r.output.find("{\"admin_port\":") != std::string::npos)
      ::kill(pid, SIGTERM);
  }
  ::close(out[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status))
    r.exit_code = WEXITSTATUS(status);
  return r;
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(admin_options_tests, fixture)

CAF_TEST(loopback addresses in every documented form are accepted) {
  for (auto [text, host] :
       {std::pair{"127.0.0.1:8080", "127.0.0.1"},
        std::pair{"localhost:0", "127.0.0.1"},
        std::pair{"127.0.0.9:0", "127.0.0.9"}, std::pair{"[::1]:0", "::1"}}) {
    auto o = read(std::string{"[admin]\nlisten = "} + text + "\n");
    CAF_CHECK_EQUAL(all_errors(), "");
    CAF_CHECK_EQUAL(o.admin_host, host);
    CAF_CHECK(o.admin_token.empty());
  }
  CAF_CHECK(!read("[admin]\nlisten = off\n").admin);
}

CAF_TEST(non loopback addresses need allow_remote and a token) {
  for (auto text : {"0.0.0.0:0", "[::]:0", "10.1.2.3:80", "128.0.0.1:0"}) {
    read(std::string{"[admin]\nlisten = "} + text + "\n");
    CAF_CHECK(has_error(std::string{"key 'admin.listen': '"} + text
                        + "' is not a loopback address"));
  }
  read("[admin]\nlisten = 0.0.0.0:0\nallow_remote = on\n");
  CAF_CHECK(has_error("key 'admin.allow_remote': needs admin.token_env"));
  read("[admin]\nlisten = 0.0.0.0:0\nallow_remote = on\ntoken_env = T\n");
  CAF_CHECK(has_error("key 'admin.token_env': environment variable T is not "
                      "set"));
  vars["T"] = "short";
  read("[admin]\nlisten = 0.0.0.0:0\nallow_remote = on\ntoken_env = T\n");
  CAF_CHECK(has_error("shorter than 16 characters"));
  CAF_CHECK(all_errors().find("short\n") == std::string::npos);
  vars["T"] = token;
  auto o =
      read("[admin]\nlisten = 0.0.0.0:0\nallow_remote = on\ntoken_env = T\n");
  CAF_CHECK_EQUAL(all_errors(), "");
  CAF_CHECK_EQUAL(o.admin_host, "0.0.0.0");
  CAF_CHECK_EQUAL(o.admin_token, token);
  // A token on loopback is asked for too.
  o = read("[admin]\ntoken_env = T\n");
  CAF_CHECK_EQUAL(all_errors(), "");
  CAF_CHECK_EQUAL(o.admin_token, token);
}

CAF_TEST(malformed addresses are errors naming the key) {
  read("[admin]\nlisten = :::0\n");
  CAF_CHECK(has_error("key 'admin.listen': '::': an IPv6 address goes in "
                      "brackets"));
  read("[admin]\nlisten = example.com:80\n");
  CAF_CHECK(has_error("key 'admin.listen': 'example.com' is not an IP "
                      "address or localhost"));
  read("[admin]\nlisten = 127.0.0.1:+80\n");
  CAF_CHECK(has_error("key 'admin.listen': port '+80' is not 0..65535"));
}

// A5: `--admin [::]:0` failed only after the embedded simulator started.
CAF_TEST(kisrt refuses a bad admin address with exit 2 before starting) {
  for (auto addr : {"[::]:0", "0.0.0.0:0", ":::0", "nowhere:1"}) {
    CAF_MESSAGE("--admin " << addr);
    auto r = run_kisrt({"--sim", "--admin", addr});
    CAF_CHECK_EQUAL(r.exit_code, 2);
    CAF_CHECK(r.output.find("kisrt: config: --set: key 'admin.listen': ")
              != std::string::npos);
    CAF_CHECK(r.output.find("embedded simulator") == std::string::npos);
    CAF_CHECK(r.output.find("admin_port") == std::string::npos);
  }
}

CAF_TEST(kisrt serves localhost and bracketed IPv6 loopback) {
  for (auto addr : {"localhost:0", "[::1]:0"}) {
    CAF_MESSAGE("--admin " << addr);
    auto r = run_kisrt({"--sim", "--admin", addr});
    CAF_CHECK(r.output.find("{\"admin_port\":") != std::string::npos);
    CAF_CHECK_EQUAL(r.exit_code, 0);
  }
}

CAF_TEST_FIXTURE_SCOPE_END()
