#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# cpack -G DEB of this build into a temporary directory; checks the kisrt
# and kisrt-dev packages' control fields, maintainer scripts, file lists and
# the systemd unit (systemd-analyze verify and security, when installed).
set -euo pipefail
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kisrt-deb-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v dpkg-deb >/dev/null || fail "dpkg-deb is not installed"

"$CPACK" -G DEB --config "$KISRT_BUILD_DIR/CPackConfig.cmake" -B "$tmp/out" \
  >"$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log"; fail "cpack -G DEB"; }
deb=$(ls "$tmp"/out/kisrt_"$KISRT_VERSION"_*.deb 2>/dev/null | head -1)
dev=$(ls "$tmp"/out/kisrt-dev_"$KISRT_VERSION"_*.deb 2>/dev/null | head -1)
[[ -f "$deb" ]] || { ls "$tmp/out"; fail "no kisrt_${KISRT_VERSION}_*.deb"; }
[[ -f "$dev" ]] || { ls "$tmp/out"; fail "no kisrt-dev_${KISRT_VERSION}_*.deb"; }

# -- control fields ---------------------------------------------------------
field() { dpkg-deb -f "$1" "$2"; }
[[ $(field "$deb" Package) == kisrt ]] || fail "Package is not kisrt"
[[ $(field "$deb" Version) == "$KISRT_VERSION" ]] || fail "Version is not $KISRT_VERSION"
[[ -n $(field "$deb" Architecture) ]] || fail "no Architecture"
[[ -n $(field "$deb" Maintainer) ]] || fail "no Maintainer"
depends=$(field "$deb" Depends)
echo "kisrt Depends: $depends"
for d in adduser libcaf-core0.17 libcaf-io0.17 libcaf-openssl0.17 libssl3 \
         libsqlite3-0 libboost-json1.81.0 libspdlog1.10 libstdc++6; do
  [[ ",$depends" == *", $d"* || "$depends" == "$d"* ]] || fail "Depends lacks $d"
done
[[ "$depends" != *-dev* ]] || fail "the runtime package depends on -dev packages"
desc=$(field "$deb" Description)
[[ "$desc" == *"market-data gateway"* ]] || fail "Description: $desc"
[[ $(field "$dev" Package) == kisrt-dev ]] || fail "Package is not kisrt-dev"
dev_depends=$(field "$dev" Depends)
for d in libcaf-dev libboost-json1.81-dev libssl-dev libsqlite3-dev libspdlog-dev; do
  [[ "$dev_depends" == *"$d"* ]] || fail "kisrt-dev Depends lacks $d"
done

# -- maintainer scripts and conffiles ---------------------------------------
mkdir "$tmp/control"
dpkg-deb -e "$deb" "$tmp/control"
for f in postinst prerm postrm conffiles; do
  [[ -f "$tmp/control/$f" ]] || fail "no $f in the control archive"
done
grep -qx /etc/kisrt/kisrt.conf "$tmp/control/conffiles" || fail "kisrt.conf is no conffile"
grep -qx /etc/kisrt/kisrt.env "$tmp/control/conffiles" || fail "kisrt.env is no conffile"
# (continuation lines joined)
sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$tmp/control/postinst" \
  | grep -qE '^ *adduser --system .*--group.* kisrt$' \
  || fail "postinst adds no system user kisrt"
for f in postinst prerm postrm; do
  [[ -x "$tmp/control/$f" ]] || fail "$f is not executable"
  sh -n "$tmp/control/$f" || fail "$f: syntax error"
done

# -- file lists --------------------------------------------------------------
dpkg-deb -c "$deb" >"$tmp/files"
dpkg-deb -c "$dev" >"$tmp/dev-files"
has() { grep -qE " \./$2\$" "$1" || fail "$(basename "$1" .files) lacks /$2"; }
for f in usr/bin/kisrt usr/bin/kisrt-sim usr/bin/kisrt-node usr/bin/kisrt-scenario \
         etc/kisrt/kisrt.conf etc/kisrt/kisrt.env lib/systemd/system/kisrt.service \
         usr/libexec/kisrt/kisrt-wait-ready usr/share/doc/kisrt/LICENSE \
         usr/share/doc/kisrt/operations.md usr/share/kisrt/config/paper.conf; do
  has "$tmp/files" "$f"
done
grep -qE '^-rw------- root/root .* \./etc/kisrt/kisrt\.env$' "$tmp/files" \
  || fail "kisrt.env is not root:root 0600"
if grep -qE '\./usr/(include|lib/cmake)/|\.a$' "$tmp/files"; then
  fail "development files in the runtime package"
fi
for f in usr/include/kisrt/client.hpp usr/include/kisrt/codec.hpp \
         usr/include/kisrt/gateway.hpp usr/include/kisrt/version.hpp \
         usr/lib/cmake/kisrt/kisrtConfig.cmake usr/lib/cmake/kisrt/FindCAF.cmake \
         usr/lib/pkgconfig/kisrt.pc; do
  has "$tmp/dev-files" "$f"
done
grep -qE '/libkisrt_client\.a$' "$tmp/dev-files" || fail "kisrt-dev lacks libkisrt_client.a"
if grep -E '\./(etc|usr/bin)/' "$tmp/dev-files"; then
  fail "runtime files in kisrt-dev"
fi

# -- contents: stripped binaries, the unit ----------------------------------
root="$tmp/root"
dpkg-deb -x "$deb" "$root"
if readelf -S -W "$root/usr/bin/kisrt" | grep -q '\.debug_info'; then
  fail "/usr/bin/kisrt is not stripped"
fi
"$root/usr/bin/kisrt" --version | grep -q "^kisrt $KISRT_VERSION " || fail "packaged kisrt --version"
unit="$root/lib/systemd/system/kisrt.service"
for line in 'User=kisrt' 'Restart=on-failure' 'RestartPreventExitStatus=2' \
            'ProtectSystem=strict' 'ProtectHome=yes' \
            'NoNewPrivileges=yes' 'PrivateTmp=yes' 'PrivateDevices=yes' \
            'EnvironmentFile=/etc/kisrt/kisrt.env' \
            'ExecStart=/usr/bin/kisrt --config /etc/kisrt/kisrt.conf' \
            'StateDirectory=kisrt' 'CacheDirectory=kisrt' 'WantedBy=multi-user.target'; do
  grep -qxF "$line" "$unit" || fail "kisrt.service lacks '$line'"
done
grep -qE '^ExecStartPost=/usr/libexec/kisrt/kisrt-wait-ready .*/etc/kisrt/kisrt\.conf$' "$unit" \
  || fail "kisrt.service has no readiness probe"
# The shipped configuration gives the probe a fixed admin port.
grep -qE '^listen = 127\.0\.0\.1:[1-9][0-9]*' "$root/etc/kisrt/kisrt.conf" \
  || fail "/etc/kisrt/kisrt.conf: admin.listen is no fixed loopback port"
# The shipped kisrt.conf is valid: without the secrets in the environment
# those are the only problems the gateway reports (exit 2, nothing started).
set +e
conf_out=$(env -u KISRT_S1_APP_KEY -u KISRT_S1_APP_SECRET timeout 20 \
  "$root/usr/bin/kisrt" --config "$root/etc/kisrt/kisrt.conf" 2>&1 </dev/null)
conf_rc=$?
set -e
if [[ $conf_rc -ne 2 ]] \
   || grep -vE 'environment variable KISRT_S1_APP_(KEY|SECRET) is not set' <<<"$conf_out"; then
  echo "$conf_out"
  fail "/etc/kisrt/kisrt.conf: expected only the missing secrets (exit 2), got exit $conf_rc"
fi

if command -v systemd-analyze >/dev/null; then
  # verify checks that ExecStart paths exist: point them into the package.
  mkdir "$tmp/unit"
  sed -e "s|/usr/bin/kisrt|$root/usr/bin/kisrt|g" \
      -e "s|/usr/libexec/kisrt/|$root/usr/libexec/kisrt/|g" "$unit" >"$tmp/unit/kisrt.service"
  if ! systemd-analyze verify --man=no "$tmp/unit/kisrt.service" >"$tmp/verify.log" 2>&1 \
     || [[ -s "$tmp/verify.log" ]]; then
    cat "$tmp/verify.log"
    fail "systemd-analyze verify kisrt.service"
  fi
  echo "systemd-analyze verify: clean"
  exposure=$(systemd-analyze security --offline=yes "$tmp/unit/kisrt.service" 2>&1 \
             | sed -n 's/.*Overall exposure level for kisrt.service: \([0-9.]*\).*/\1/p')
  echo "systemd-analyze security: exposure $exposure"
  [[ -n "$exposure" ]] || fail "systemd-analyze security gave no exposure level"
  awk -v e="$exposure" 'BEGIN { exit !(e <= 2.5) }' \
    || fail "kisrt.service exposure $exposure > 2.5: sandbox weakened"
else
  echo "systemd-analyze not installed: unit checked by content only"
fi
echo "PASS: kisrt and kisrt-dev packages"
