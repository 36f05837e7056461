# SPDX-License-Identifier: Apache-2.0
# The one place a kisrt binary's version comes from:
# - kisrt/version.hpp (configure time): KISRT_VERSION, from project(VERSION);
#   installed for embedders;
# - kisrt/git_description.inc (every build, rewritten only when it changes):
#   `git describe --always --dirty` of the source tree, "unknown" without
#   git or a repository; -DKISRT_GIT_DESCRIPTION=... overrides it (a build
#   from a release tarball).
# kisrt_version (apps/common/version.hpp) turns both into `--version`.
configure_file("${CMAKE_CURRENT_LIST_DIR}/version.hpp.in"
               "${PROJECT_BINARY_DIR}/generated/kisrt/version.hpp" @ONLY)

find_package(Git QUIET)
set(KISRT_GIT_DESCRIPTION "" CACHE STRING
    "Use this instead of `git describe` in --version (empty: ask git)")
set(kisrt_git_description_inc
    "${PROJECT_BINARY_DIR}/generated/kisrt/git_description.inc")
add_custom_target(kisrt_git_description
  COMMAND "${CMAKE_COMMAND}" "-DSOURCE_DIR=${PROJECT_SOURCE_DIR}"
          "-DGIT=${GIT_EXECUTABLE}" "-DOVERRIDE=${KISRT_GIT_DESCRIPTION}"
          "-DOUT=${kisrt_git_description_inc}"
          -P "${CMAKE_CURRENT_LIST_DIR}/kisrt-git-describe.cmake"
  BYPRODUCTS "${kisrt_git_description_inc}"
  VERBATIM)

add_library(kisrt_version STATIC "${PROJECT_SOURCE_DIR}/apps/common/version.cpp")
add_dependencies(kisrt_version kisrt_git_description)
target_link_libraries(kisrt_version PUBLIC kisrt_options)
