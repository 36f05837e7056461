// SPDX-License-Identifier: Apache-2.0
// What every kisrt binary prints for --version, from one place: the project
// version (CMakeLists.txt) and the git description of the source tree at
// build time (cmake/kisrt-version.cmake).
#pragma once

#include <string>
#include <string_view>

namespace kisrt {

/// The project version, e.g. "0.1.0".
std::string_view version() noexcept;

/// `git describe --always --dirty` at build time (e.g. "f54a6b7-dirty"), or
/// "unknown" when the source tree is not a git checkout.
std::string_view git_description() noexcept;

/// "<program> <version> (git <description>)", the line --version prints.
std::string version_line(std::string_view program);

/// When the first argument is `--version`: prints version_line(program) on
/// stdout and returns true (the caller exits 0).
bool print_version_if_asked(int argc, char** argv, std::string_view program);

} // namespace kisrt
