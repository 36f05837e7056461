# SPDX-License-Identifier: Apache-2.0
# Debian packages: `cpack -G DEB` in the build directory gives
#   kisrt_<version>_<arch>.deb      the binaries, the kisrt.service unit,
#                                   /etc/kisrt/kisrt.conf and kisrt.env
#                                   (conffiles), the kisrt system user, docs
#   kisrt-dev_<version>_<arch>.deb  headers, static libraries and the CMake
#                                   package (find_package(kisrt))
# Binaries and libraries are stripped (CPACK_STRIP_FILES). Dependencies of
# the binaries come from dpkg-shlibdeps. docs/operations.md, "Installing".
set(CPACK_PACKAGE_NAME kisrt)
set(CPACK_PACKAGE_VENDOR "kisrt")
set(CPACK_PACKAGE_CONTACT "kisrt maintainers <kisrt@localhost>")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
# No CPACK_PACKAGE_DESCRIPTION_SUMMARY: CPackDeb would put it before each
# package's own synopsis (the first line of CPACK_DEBIAN_<C>_DESCRIPTION).
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_STRIP_FILES ON)
# /etc and /lib/systemd are absolute: stage with DESTDIR and prefix /usr.
set(CPACK_SET_DESTDIR ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://apiportal.koreainvestment.com")
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME kisrt)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_RECOMMENDS "ca-certificates, systemd")
# First line: the synopsis.
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION
    "real-time market-data gateway for the KIS Open API
kisrt keeps the KIS WebSocket subscriptions a trader needs (holdings,
picks, scanner candidates) within the server's limits and serves the
market events to strategies. Runs as the kisrt.service systemd unit.")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA
    "${PROJECT_SOURCE_DIR}/packaging/debian/conffiles"
    "${PROJECT_SOURCE_DIR}/packaging/debian/postinst"
    "${PROJECT_SOURCE_DIR}/packaging/debian/prerm"
    "${PROJECT_SOURCE_DIR}/packaging/debian/postrm")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME kisrt-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# What find_package(kisrt) looks for (cmake/kisrtConfig.cmake.in).
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "libcaf-dev (>= 0.17.6), libcaf-dev (<< 0.18), libboost1.81-dev | libboost-dev (>= 1.81), libboost-json1.81-dev | libboost-json-dev (>= 1.81), libssl-dev (>= 3), libsqlite3-dev, libspdlog-dev, cmake (>= 3.22)")
set(CPACK_DEBIAN_DEV_DESCRIPTION
    "kisrt: headers, static libraries and CMake package
find_package(kisrt) gives kisrt::client (the callback facade),
kisrt::gateway (typed actor handles for a CAF actor system) and
kisrt::codec (the KIS wire codec).")

include(CPack)
