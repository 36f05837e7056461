# SPDX-License-Identifier: Apache-2.0
# cmake --install and the CMake package (docs/operations.md, "Installing";
# docs/embedding.md, "find_package(kisrt)").
#
# Components: `runtime` (binaries, example configurations, docs, LICENSE,
# the service files) and `dev` (headers, static libraries, the CMake
# package). `cmake --install build --prefix P [--strip]` installs both.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# -- binaries ---------------------------------------------------------------
# Every binary answers --version from kisrt_version (cmake/kisrt-version.cmake).
set(kisrt_installed_binaries kisrt kisrt-sim kisrt-node kisrt-scenario)
set(kisrt_version_binaries ${kisrt_installed_binaries} kisrt-example-actors
    kisrt-example-callbacks)
foreach(exe IN LISTS kisrt_version_binaries)
  target_link_libraries(${exe} PRIVATE kisrt_version)
endforeach()
install(TARGETS ${kisrt_installed_binaries}
  RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT runtime)

# -- libraries: the three public targets and every kisrt library they link --
# kisrt::client (callback facade), kisrt::gateway (typed actor handles),
# kisrt::codec (KIS wire codec). The libraries are static, so their private
# dependencies are part of the export (as link-only dependencies); the set
# is found by walking the link graph, so a library added later is exported
# without a change here.
function(kisrt_link_closure out)
  set(todo ${ARGN})
  set(seen "")
  while(todo)
    list(POP_FRONT todo t)
    if(t IN_LIST seen)
      continue()
    endif()
    list(APPEND seen ${t})
    foreach(prop LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
      get_target_property(libs ${t} ${prop})
      if(NOT libs)
        continue()
      endif()
      foreach(lib IN LISTS libs)
        string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" lib "${lib}")
        if(lib MATCHES "^kisrt_" AND TARGET ${lib})
          get_target_property(imported ${lib} IMPORTED)
          if(NOT imported)
            list(APPEND todo ${lib})
          endif()
        endif()
      endforeach()
    endforeach()
  endwhile()
  set(${out} ${seen} PARENT_SCOPE)
endfunction()

kisrt_link_closure(kisrt_exported kisrt_client kisrt_gateway kisrt_codec)
foreach(t IN LISTS kisrt_exported)
  string(REGEX REPLACE "^kisrt_" "" name ${t})
  set_target_properties(${t} PROPERTIES EXPORT_NAME ${name})
endforeach()
# The same names for a project that adds kisrt with add_subdirectory.
add_library(kisrt::client ALIAS kisrt_client)
add_library(kisrt::gateway ALIAS kisrt_gateway)
add_library(kisrt::codec ALIAS kisrt_codec)
install(TARGETS ${kisrt_exported} EXPORT kisrtTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT dev
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT dev)
# --strip: static libraries keep their symbols but lose the debug info (CMake
# strips only executables and shared libraries by itself).
set(kisrt_installed_archives "")
foreach(t IN LISTS kisrt_exported)
  get_target_property(type ${t} TYPE)
  if(type STREQUAL "STATIC_LIBRARY")
    list(APPEND kisrt_installed_archives
         "${CMAKE_INSTALL_LIBDIR}/$<TARGET_FILE_NAME:${t}>")
  endif()
endforeach()
if(CMAKE_STRIP)
  install(CODE "
    if(CMAKE_INSTALL_DO_STRIP)
      foreach(a ${kisrt_installed_archives})
        set(f \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/\${a}\")
        execute_process(COMMAND \"${CMAKE_STRIP}\" --strip-debug \"\${f}\"
                        RESULT_VARIABLE rc)
        if(NOT rc EQUAL 0)
          message(FATAL_ERROR \"strip --strip-debug \${f} failed\")
        endif()
      endforeach()
    endif()" COMPONENT dev)
endif()

# -- headers under include/kisrt/ -------------------------------------------
# What the public targets' headers include, found by following their
# `#include "..."` lines, installed with the layout they use; include/kisrt
# and include are the installed targets' include directories, so
# `#include <kisrt/client.hpp>` works and so do the headers' own includes.
# kisrt::client's headers include no CAF, Boost, Beast or Asio header
# (examples/consumer checks it).
function(kisrt_header_closure out)
  set(todo ${ARGN})
  set(seen "")
  while(todo)
    list(POP_FRONT todo h)
    if(h IN_LIST seen)
      continue()
    endif()
    list(APPEND seen ${h})
    file(STRINGS "${PROJECT_SOURCE_DIR}/${h}" lines
         REGEX "^[ \t]*#[ \t]*include[ \t]+\"[^\"]+\"")
    foreach(line IN LISTS lines)
      string(REGEX REPLACE ".*\"([^\"]+)\".*" "\\1" inc "${line}")
      if(EXISTS "${PROJECT_SOURCE_DIR}/${inc}")
        list(APPEND todo ${inc})
      endif()
    endforeach()
  endwhile()
  set(${out} ${seen} PARENT_SCOPE)
endfunction()

file(GLOB kisrt_codec_headers RELATIVE "${PROJECT_SOURCE_DIR}"
     "${PROJECT_SOURCE_DIR}/net/kis/*.hpp")
file(GLOB kisrt_gateway_headers RELATIVE "${PROJECT_SOURCE_DIR}"
     "${PROJECT_SOURCE_DIR}/apps/kisrt/gateway*.hpp")
kisrt_header_closure(kisrt_public_headers
  apps/kisrt/client.hpp
  ${kisrt_gateway_headers}
  apps/kisrt/config_file.hpp
  apps/kisrt/embedded_sim.hpp
  actors/scheduler_tuning.hpp
  messages/actors.hpp
  messages/type_ids.hpp
  sim/simulator.hpp
  ${kisrt_codec_headers})
# An edit of a public header's includes changes the list: configure again.
list(TRANSFORM kisrt_public_headers PREPEND "${PROJECT_SOURCE_DIR}/"
     OUTPUT_VARIABLE kisrt_public_header_paths)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  ${kisrt_public_header_paths})
foreach(h IN LISTS kisrt_public_headers)
  get_filename_component(dir "${h}" DIRECTORY)
  install(FILES "${PROJECT_SOURCE_DIR}/${h}"
    DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/kisrt/${dir}" COMPONENT dev)
endforeach()
# <kisrt/client.hpp>, <kisrt/gateway.hpp>, <kisrt/codec.hpp>: one include
# per target.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/kisrt/"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/kisrt" COMPONENT dev
  FILES_MATCHING PATTERN "*.hpp")
install(FILES "${PROJECT_BINARY_DIR}/generated/kisrt/version.hpp"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/kisrt" COMPONENT dev)

# -- the CMake package: find_package(kisrt) ---------------------------------
set(kisrt_cmake_dir "${CMAKE_INSTALL_LIBDIR}/cmake/kisrt")
install(EXPORT kisrtTargets NAMESPACE kisrt::
  DESTINATION "${kisrt_cmake_dir}" COMPONENT dev)
configure_package_config_file(
  "${CMAKE_CURRENT_LIST_DIR}/kisrtConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/kisrtConfig.cmake"
  INSTALL_DESTINATION "${kisrt_cmake_dir}")
# 0.x: a new minor version may change the interfaces.
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/kisrtConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
# Debian's libcaf-dev has no CMake config: the package finds CAF with the
# same module the project uses.
install(FILES
  "${PROJECT_BINARY_DIR}/kisrtConfig.cmake"
  "${PROJECT_BINARY_DIR}/kisrtConfigVersion.cmake"
  "${CMAKE_CURRENT_LIST_DIR}/FindCAF.cmake"
  DESTINATION "${kisrt_cmake_dir}" COMPONENT dev)

# -- pkg-config: kisrt.pc (kisrt::client and kisrt::codec) -----------------
# The static libraries in link order: every library before the ones it uses
# (a depth-first walk of the link graph from kisrt_client, reversed).
function(kisrt_link_order out)
  set(order "")
  set(visiting "")
  function(kisrt_visit t)
    if(t IN_LIST order OR t IN_LIST visiting)
      return()
    endif()
    list(APPEND visiting ${t})
    set(visiting ${visiting} PARENT_SCOPE)
    foreach(prop LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
      get_target_property(libs ${t} ${prop})
      if(libs)
        foreach(lib IN LISTS libs)
          string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" lib "${lib}")
          if(lib IN_LIST kisrt_exported)
            kisrt_visit(${lib})
          endif()
        endforeach()
      endif()
    endforeach()
    list(APPEND order ${t})
    set(order ${order} PARENT_SCOPE)
    set(visiting ${visiting} PARENT_SCOPE)
  endfunction()
  kisrt_visit(${ARGN})
  list(REVERSE order)
  set(${out} ${order} PARENT_SCOPE)
endfunction()
kisrt_link_order(kisrt_pc_targets kisrt_client)
set(KISRT_PC_LIBS "")
foreach(t IN LISTS kisrt_pc_targets)
  get_target_property(type ${t} TYPE)
  if(type STREQUAL "STATIC_LIBRARY")
    string(APPEND KISRT_PC_LIBS " -l${t}")
  endif()
endforeach()
string(STRIP "${KISRT_PC_LIBS}" KISRT_PC_LIBS)
# ${pcfiledir} is <libdir>/pkgconfig: the prefix is that many levels up.
file(RELATIVE_PATH KISRT_PC_PREFIX_FROM_PCDIR
     "/kisrt-prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/kisrt-prefix")
configure_file("${CMAKE_CURRENT_LIST_DIR}/kisrt.pc.in"
               "${PROJECT_BINARY_DIR}/kisrt.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/kisrt.pc"
  DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig" COMPONENT dev)

# -- data, docs, LICENSE ----------------------------------------------------
install(FILES
  "${PROJECT_SOURCE_DIR}/config/sim.conf"
  "${PROJECT_SOURCE_DIR}/config/paper.conf"
  "${PROJECT_SOURCE_DIR}/config/real.conf"
  "${PROJECT_SOURCE_DIR}/config/sim-accounts.example"
  "${PROJECT_SOURCE_DIR}/packaging/kisrt.conf"
  DESTINATION "${CMAKE_INSTALL_DATADIR}/kisrt/config" COMPONENT runtime)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/docs/"
  DESTINATION "${CMAKE_INSTALL_DOCDIR}" COMPONENT runtime
  FILES_MATCHING PATTERN "*.md")
install(FILES "${PROJECT_SOURCE_DIR}/README.md" "${PROJECT_SOURCE_DIR}/LICENSE"
  DESTINATION "${CMAKE_INSTALL_DOCDIR}" COMPONENT runtime)

# -- the service ------------------------------------------------------------
# The readiness probe goes to libexec; the configuration, the secrets file
# and the systemd unit go where the prefix's system files go: for prefix
# /usr (the .deb) /etc/kisrt and /lib/systemd/system, for any other prefix P
# P/etc/kisrt and P/lib/systemd/system (decided at install time, as the
# prefix may be given then).
install(PROGRAMS "${PROJECT_SOURCE_DIR}/packaging/kisrt-wait-ready"
  DESTINATION "${CMAKE_INSTALL_LIBEXECDIR}/kisrt" COMPONENT runtime)
set(kisrt_pkg "${PROJECT_SOURCE_DIR}/packaging")
install(CODE "
  if(CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
    set(kisrt_etc /etc/kisrt)
    set(kisrt_unit_dir /lib/systemd/system)
  else()
    set(kisrt_etc \"\${CMAKE_INSTALL_PREFIX}/etc/kisrt\")
    set(kisrt_unit_dir \"\${CMAKE_INSTALL_PREFIX}/lib/systemd/system\")
  endif()
  file(INSTALL DESTINATION \"\${kisrt_etc}\" TYPE FILE
       FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
       FILES \"${kisrt_pkg}/kisrt.conf\")
  file(INSTALL DESTINATION \"\${kisrt_etc}\" TYPE FILE
       FILE_PERMISSIONS OWNER_READ OWNER_WRITE
       FILES \"${kisrt_pkg}/kisrt.env\")
  file(INSTALL DESTINATION \"\${kisrt_unit_dir}\" TYPE FILE
       FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
       FILES \"${kisrt_pkg}/kisrt.service\")" COMPONENT runtime)
