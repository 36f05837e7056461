#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# cmake --install --strip of this build into a temporary prefix, then the
# consumer project (examples/consumer) configured with find_package(kisrt)
# against that prefix only, built and run: it decodes a frame.
set -euo pipefail
# A fixed place in the build directory (not mktemp): the same paths every
# run, so ccache can serve the consumer's objects again.
tmp="$KISRT_BUILD_DIR/install-test"
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"
fail() { echo "FAIL: $*"; exit 1; }

"$CMAKE" --install "$KISRT_BUILD_DIR" --prefix "$prefix" --strip >"$tmp/install.log" \
  || { cat "$tmp/install.log"; fail "cmake --install"; }

# What a prefix install holds.
for f in bin/kisrt bin/kisrt-sim bin/kisrt-node bin/kisrt-scenario \
         include/kisrt/client.hpp include/kisrt/codec.hpp include/kisrt/gateway.hpp \
         include/kisrt/version.hpp include/kisrt/apps/kisrt/client.hpp \
         include/kisrt/net/kis/decoder.hpp lib/cmake/kisrt/kisrtConfig.cmake \
         lib/cmake/kisrt/kisrtConfigVersion.cmake lib/cmake/kisrt/FindCAF.cmake \
         lib/pkgconfig/kisrt.pc \
         share/kisrt/config/paper.conf share/kisrt/config/real.conf \
         share/kisrt/config/sim.conf share/doc/kisrt/operations.md \
         share/doc/kisrt/LICENSE etc/kisrt/kisrt.conf etc/kisrt/kisrt.env \
         lib/systemd/system/kisrt.service libexec/kisrt/kisrt-wait-ready; do
  [[ -e "$prefix/$f" ]] || fail "$f not installed"
done
libdir=$(dirname "$(find "$prefix" -name libkisrt_client.a | head -1)")
[[ -f "$libdir/libkisrt_codec.a" ]] || fail "libkisrt_codec.a not installed"
[[ $(stat -c %a "$prefix/etc/kisrt/kisrt.env") == 600 ]] || fail "kisrt.env is not 0600"
# --strip: no debug info left in binaries or libraries.
for f in "$prefix/bin/kisrt" "$libdir/libkisrt_gateway.a"; do
  if readelf -S -W "$f" 2>/dev/null | grep -q '\.debug_info'; then
    fail "$f still has debug info after --strip"
  fi
done
# The callback facade's headers: no CAF, Boost, Beast or Asio.
for h in $(cd "$prefix/include/kisrt" && grep -rl . apps/kisrt/client.hpp net/kis); do
  if grep -nE '#include <(caf|boost)/' "$prefix/include/kisrt/$h"; then
    fail "installed $h includes CAF or Boost"
  fi
done
# No warnings-as-errors or sanitizer flags in the exported targets.
if grep -nE -- '-Werror|-fsanitize' "$prefix"/lib/cmake/kisrt/*.cmake; then
  fail "the CMake package carries project-private flags"
fi
"$prefix/bin/kisrt" --version | grep -q "^kisrt $KISRT_VERSION " || fail "installed kisrt --version"

# The consumer, against the prefix only.
gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
launcher=()
cc_launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cc_launcher=(ccache)
fi
"$CMAKE" -S "$KISRT_SOURCE_DIR/examples/consumer" -B "$tmp/consumer" "${gen[@]}" \
  "${launcher[@]}" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >"$tmp/configure.log" 2>&1 \
  || { cat "$tmp/configure.log"; fail "configuring examples/consumer"; }
grep -q "kisrt_DIR:PATH=$prefix/" "$tmp/consumer/CMakeCache.txt" \
  || fail "find_package(kisrt) did not use the temporary prefix"
"$CMAKE" --build "$tmp/consumer" -j 2 >"$tmp/build.log" 2>&1 \
  || { cat "$tmp/build.log"; fail "building examples/consumer"; }
if grep -E -- '-Werror|-fsanitize' "$tmp/consumer/compile_commands.json"; then
  fail "kisrt's -Werror or sanitizer flags reached the consumer"
fi
out=$("$tmp/consumer/consumer") || { echo "$out"; fail "consumer exited $?"; }
echo "$out"
grep -q "^decoded H0STCNT0 005930 price 71000 volume 10$" <<<"$out" \
  || fail "consumer did not decode the frame"
"$tmp/consumer/consumer-gateway" || fail "consumer-gateway"

# Without CMake: pkg-config --cflags / --libs kisrt.
if command -v pkg-config >/dev/null; then
  export PKG_CONFIG_PATH="$libdir/pkgconfig"
  pc_cflags=$(pkg-config --cflags kisrt) || fail "pkg-config --cflags kisrt"
  pc_libs=$(pkg-config --libs kisrt) || fail "pkg-config --libs kisrt"
  # shellcheck disable=SC2086
  "${cc_launcher[@]}" "$CXX" -std=c++17 $pc_cflags -c -o "$tmp/consumer-pc.o" \
    "$KISRT_SOURCE_DIR/examples/consumer/main.cpp" >"$tmp/pc.log" 2>&1 \
    || { cat "$tmp/pc.log"; fail "compiling with pkg-config --cflags kisrt"; }
  # shellcheck disable=SC2086
  "$CXX" -o "$tmp/consumer-pc" "$tmp/consumer-pc.o" $pc_libs >"$tmp/pc.log" 2>&1 \
    || { cat "$tmp/pc.log"; fail "linking with pkg-config --libs kisrt"; }
  "$tmp/consumer-pc" | grep -q "^decoded H0STCNT0 005930 price 71000" \
    || fail "consumer built with pkg-config did not decode the frame"
else
  echo "pkg-config not installed: kisrt.pc not checked"
fi
echo "PASS: installed into a prefix; examples/consumer found (CMake and pkg-config), built and decoded"
