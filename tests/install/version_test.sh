#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every kisrt binary answers --version with "<name> <version> (git <desc>)",
# the same version and description for all, and exits 0.
set -euo pipefail
bin="$KISRT_BUILD_DIR/bin"
expected=""
for name in kisrt kisrt-sim kisrt-node kisrt-scenario kisrt-example-actors \
            kisrt-example-callbacks; do
  out=$("$bin/$name" --version) || { echo "FAIL: $name --version exited $?"; exit 1; }
  echo "$out"
  if ! [[ "$out" =~ ^$name\ ${KISRT_VERSION//./\\.}\ \(git\ [A-Za-z0-9._+~/-]+\)$ ]]; then
    echo "FAIL: $name --version printed '$out', expected '$name $KISRT_VERSION (git ...)'"
    exit 1
  fi
  rest=${out#"$name "}
  if [[ -z "$expected" ]]; then
    expected=$rest
  elif [[ "$rest" != "$expected" ]]; then
    echo "FAIL: $name says '$rest', kisrt says '$expected'"
    exit 1
  fi
done
echo "PASS: every binary prints $expected"
