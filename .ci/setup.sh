#!/usr/bin/env bash
# Prepares a fresh Debian machine (root, Node 20 + npm only) to build, test and run the
# end-to-end suite in code-server + Chromium, as /work/shared/vscode-in-ci.md describes.
# Safe to re-run: installed apt packages and an up-to-date node_modules are left alone.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '[setup] %s\n' "$*"; }

# code-server 4.100.3's postinstall refuses any other Node major.
[[ "$(node -v)" == v20.* ]] || { echo "[setup] Node 20 is required, found $(node -v)" >&2; exit 1; }
# The ripgrep asset name below is the x86_64 one.
[[ "$(uname -m)" == x86_64 ]] || { echo "[setup] only x86_64 is supported, found $(uname -m)" >&2; exit 1; }

apt_packages=(chromium libkrb5-dev ripgrep)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  step "apt-get update && apt-get install -y ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
else
  step "apt packages already installed: ${apt_packages[*]}"
fi

# @vscode/ripgrep (pinned to 1.15.11 by code-server 4.100.3's npm-shrinkwrap) downloads rg from
# GitHub in its postinstall unless it finds this asset under $TMPDIR; GitHub is unreachable here.
ripgrep_package_version=1.15.11
install_tmp="$(mktemp -d)"
trap 'rm -rf "$install_tmp"' EXIT
step "ripgrep cache for @vscode/ripgrep $ripgrep_package_version from /usr/bin/rg in $install_tmp"
ripgrep_cache="$install_tmp/vscode-ripgrep-cache-$ripgrep_package_version"
mkdir -p "$ripgrep_cache"
cp /usr/bin/rg "$install_tmp/rg"
tar czf "$ripgrep_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$install_tmp" rg

install_stamp=node_modules/.resilint-setup-stamp
expected_stamp="$(sha256sum package-lock.json | cut -d' ' -f1) node-$(node -v)"
if [[ -f "$install_stamp" && "$(cat "$install_stamp")" == "$expected_stamp" ]]; then
  step "node_modules already installed from this package-lock.json"
else
  # unsafe_perm: code-server's postinstall refuses root without it; yes: node-pty's postinstall
  # runs `npx node-gyp`; nodedir: node-gyp uses the installed headers instead of downloading them.
  step "npm ci (builds code-server's native modules; about 2 minutes)"
  TMPDIR="$install_tmp" npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir=/usr \
    npm ci --no-audit --no-fund
  echo "$expected_stamp" > "$install_stamp"
fi
step "done"
