#!/usr/bin/env bash
# Installs stackgate for the composite action: the release asset for this runner, verified by
# its sha256, when one exists; otherwise a build from the action's own source.
#
# Environment: STACKGATE_VERSION (a tag, `latest`, or `source`), STACKGATE_ACTION_REPOSITORY
# (owner/name of the action), STACKGATE_ACTION_PATH (its checkout), GITHUB_TOKEN (optional,
# raises the API rate limit), RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_PATH.
set -euo pipefail

version=${STACKGATE_VERSION:-latest}
repo=${STACKGATE_ACTION_REPOSITORY:-}
src=${STACKGATE_ACTION_PATH:?STACKGATE_ACTION_PATH is not set}
dest="${RUNNER_TEMP:-/tmp}/stackgate-bin"
mkdir -p "$dest"

case "${RUNNER_OS:-Linux}/${RUNNER_ARCH:-X64}" in
Linux/X64) target=x86_64-unknown-linux-musl ;;
Linux/ARM64) target=aarch64-unknown-linux-musl ;;
macOS/ARM64) target=aarch64-apple-darwin ;;
macOS/X64) target=x86_64-apple-darwin ;;
Windows/X64) target=x86_64-pc-windows-msvc ;;
*) target="" ;;
esac

from_release() {
    [ "$version" != source ] && [ -n "$repo" ] && [ -n "$target" ] || return 1
    local base auth=()
    if [ "$version" = latest ]; then
        base="https://github.com/$repo/releases/latest/download"
    else
        base="https://github.com/$repo/releases/download/$version"
    fi
    [ -n "${GITHUB_TOKEN:-}" ] && auth=(-H "Authorization: Bearer $GITHUB_TOKEN")
    local archive="stackgate-$target.tar.gz"
    local tmp
    tmp=$(mktemp -d)
    curl -fsSL "${auth[@]}" -o "$tmp/$archive" "$base/$archive" || return 1
    curl -fsSL "${auth[@]}" -o "$tmp/$archive.sha256" "$base/$archive.sha256" || return 1
    # The checksum file holds "<hex>  <name>"; compare the hex only.
    local want got
    want=$(cut -d' ' -f1 <"$tmp/$archive.sha256")
    got=$( (sha256sum "$tmp/$archive" 2>/dev/null || shasum -a 256 "$tmp/$archive") | cut -d' ' -f1)
    if [ "$want" != "$got" ]; then
        echo "::error::stackgate $version: checksum mismatch for $archive (want $want, got $got)" >&2
        exit 1
    fi
    tar -xzf "$tmp/$archive" -C "$dest"
    echo "installed stackgate $version ($target) from the release" >&2
}

from_source() {
    command -v cargo >/dev/null || {
        echo "::error::no stackgate release for this runner and no cargo to build one" >&2
        exit 1
    }
    echo "building stackgate from $src" >&2
    cargo build --release --locked --manifest-path "$src/Cargo.toml" --bin stackgate
    local exe=stackgate
    [ "${RUNNER_OS:-}" = Windows ] && exe=stackgate.exe
    cp "$src/target/release/$exe" "$dest/"
}

from_release || from_source
echo "$dest" >>"${GITHUB_PATH:-/dev/null}"
"$dest/stackgate" --version
