// SPDX-License-Identifier: Apache-2.0
#include "apps/common/version.hpp"

#include <cstdio>
#include <cstring>

#include "kisrt/git_description.inc"
#include "kisrt/version.hpp"

namespace kisrt {

std::string_view version() noexcept {
  return KISRT_VERSION;
}

std::string_view git_description() noexcept {
  return KISRT_GIT_DESCRIPTION;
}

std::string version_line(std::string_view program) {
  std::string line{program};
  line += ' ';
  line += version();
  line += " (git ";
  line += git_description();
  line += ')';
  return line;
}

bool print_version_if_asked(int argc, char** argv, std::string_view program) {
  if (argc < 2 || argv[1] == nullptr || std::strcmp(argv[1], "--version") != 0)
    return false;
  auto line = version_line(program);
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
  return true;
}

} // namespace kisrt
