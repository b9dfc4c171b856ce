#!/usr/bin/env bash
# Builds voicebridge's base image without pulling anything from a container registry: glibc,
# libgcc and OpenSSL's libcrypto (jitsi-srtp's AES) from Debian packages, a jlink-ed Java runtime
# from the JDK that runs the build, a non-root user, nothing else (no shell, no package manager).
# The result is a `docker save`-style archive that Jib takes as its base (`tar://`).
#
#   build.sh OUT_DIR                 build OUT_DIR/base.tar unless it is up to date
#   build.sh OUT_DIR --strict        fail when a locked package version is no longer in the archive
#   build.sh --update-lock           pin the archive's current versions in debian-packages.lock
#
# Inputs: debian-packages.lock, jlink-modules.txt, this script, $JAVA_HOME (the runtime's source).
# The same inputs give the same bytes (sorted entries, fixed times and owners), so the three
# images share one base layer digest. Needs apt-get with Debian 12 sources (run apt-get update
# first), dpkg-deb, GNU tar, sha256sum.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lock="$here/debian-packages.lock"
modules_file="$here/jlink-modules.txt"
uid=10001

log() { echo "[image-base] $*" >&2; }
die() { echo "[image-base] ERROR: $*" >&2; exit 1; }
packages() { grep -v '^\s*#' "$lock" | grep -v '^\s*$'; }
candidate() { apt-cache policy "$1" | awk '/Candidate:/ {print $2}'; }
download() { # name version dir -> path of the .deb
  local name=$1 version=$2 dir=$3 file
  file="$dir/${name}_${version//:/%3a}_amd64.deb"
  if [ ! -s "$file" ]; then
    (cd "$dir" && apt-get -qq -o APT::Sandbox::User=root download "$name=$version" >/dev/null 2>&1) || return 1
  fi
  [ -s "$file" ] || return 1
  echo "$file"
}

command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null \
  || die "building the images needs apt-get and dpkg-deb (Debian/Ubuntu); skip them with -Dimages.skip"

if [ "${1:-}" = "--update-lock" ]; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  { grep '^#' "$lock"
    packages | while read -r name _ _; do
      version=$(candidate "$name"); [ -n "$version" ] && [ "$version" != "(none)" ] || die "no $name in apt's lists: apt-get update"
      deb=$(download "$name" "$version" "$tmp") || die "cannot download $name=$version"
      echo "$name $version $(sha256sum "$deb" | cut -d' ' -f1)"
    done; } > "$tmp/lock"
  mv "$tmp/lock" "$lock"; trap - EXIT; rm -rf "$tmp"
  log "pinned: $(packages | tr '\n' ';')"
  exit 0
fi

out=${1:?usage: build.sh OUT_DIR [--strict] | --update-lock}
strict=${2:-}
java_home=${JAVA_HOME:?JAVA_HOME must name the JDK whose runtime goes into the image}
[ -x "$java_home/bin/jlink" ] || die "$java_home has no jlink"
mkdir -p "$out/debs"
out=$(cd "$out" && pwd)

# One build at a time (parallel module builds share the output).
exec 9>"$out/.lock"
flock 9

# 1. The packages: the locked version, checked against the locked hash. A version the archive no
#    longer has (Debian replaced it with a security update) is replaced by the current one with a
#    warning, or is an error with --strict (releases).
resolved=""
while read -r name version sha; do
  if deb=$(download "$name" "$version" "$out/debs"); then
    actual=$(sha256sum "$deb" | cut -d' ' -f1)
    [ "$actual" = "$sha" ] || die "$name $version: SHA-256 $actual, locked $sha"
  else
    [ "$strict" = "--strict" ] && die "$name $version is no longer in the archive: run images/base/build.sh --update-lock"
    current=$(candidate "$name")
    [ -n "$current" ] && [ "$current" != "(none)" ] || die "no $name in apt's lists: run apt-get update"
    log "WARNING: $name $version is no longer in the archive; using $current (run images/base/build.sh --update-lock)"
    deb=$(download "$name" "$current" "$out/debs") || die "cannot download $name=$current"
    version=$current
    sha=$(sha256sum "$deb" | cut -d' ' -f1)
  fi
  resolved+="$name $version $sha"$'\n'
done < <(packages)

modules=$(grep -v '^\s*#' "$modules_file" | grep -v '^\s*$' | paste -sd, -)
key=$( { cat "$0" "$modules_file"; printf '%s' "$resolved"; cat "$java_home/release"; } | sha256sum | cut -d' ' -f1)
if [ -s "$out/base.tar" ] && [ "$(cat "$out/base.key" 2>/dev/null)" = "$key" ]; then
  log "up to date: $out/base.tar"
  exit 0
fi
log "building $out/base.tar"
started=$(date +%s)

work="$out/work"
rm -rf "$work" "$out/base.tar" "$out/base.key"
root="$work/rootfs"
mkdir -p "$root"

# 2. Unpack the packages, keeping their libraries and copyright files only.
while read -r name version _; do
  [ -n "$name" ] || continue
  dpkg-deb -x "$out/debs/${name}_${version//:/%3a}_amd64.deb" "$root"
done <<<"$resolved"
find "$root/usr/share/doc" -type f ! -name copyright -delete
rm -rf "$root/usr/share/lintian" "$root/usr/share/locale" "$root/usr/lib/x86_64-linux-gnu/gconv" \
  "$root/etc/ld.so.conf.d" "$root/usr/lib/x86_64-linux-gnu/engines-3"
find "$root" -depth -type d -empty -delete

# 3. The Java runtime.
"$java_home/bin/jlink" --add-modules "$modules" --output "$root/opt/java" \
  --strip-debug --no-header-files --no-man-pages --generate-cds-archive >/dev/null
# Not needed in a container: the archive for heaps over 32 GiB (compressed oops off), the X11 and
# splash-screen libraries (they need X11 libraries the image does not have, so could never load),
# and the tools besides java.
rm -f "$root/opt/java/lib/server/classes_nocoops.jsa" "$root/opt/java/lib/libawt_xawt.so" \
  "$root/opt/java/lib/libjawt.so" "$root/opt/java/lib/libsplashscreen.so"
find "$root/opt/java/bin" -type f ! -name java -delete

# 4. Users, name service, mount points. Home is /tmp: the only writable place with a read-only
#    root filesystem (the chart mounts an emptyDir there).
mkdir -p "$root/etc" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/usr/share/voicebridge"
chmod 1777 "$root/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nvoicebridge:x:%d:%d:voicebridge:/tmp:/sbin/nologin\n' $uid $uid >"$root/etc/passwd"
printf 'root:x:0:\nvoicebridge:x:%d:\n' $uid >"$root/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$root/etc/nsswitch.conf"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
{ echo "# voicebridge base image: Debian 12 packages (name version sha256) and the Java runtime"
  printf '%s' "$resolved"
  grep -E '^(IMPLEMENTOR|JAVA_RUNTIME_VERSION)=' "$java_home/release"
  echo "MODULES=$modules"; } >"$root/usr/share/voicebridge/base-packages.txt"
chmod -R u+w,go-w "$root"

# 5. One reproducible layer, its config, and the archive around them.
(cd "$root" && find . -mindepth 1 -maxdepth 1 -printf '%P\n' | LC_ALL=C sort \
  | tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu -cf "$work/layer.tar" -T -)
diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
cat >"$work/config.json" <<EOF
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":{"User":"$uid:$uid","Env":["PATH=/opt/java/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"],"WorkingDir":"/","Labels":{"dev.voicebridge.base.key":"$key"}},"rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"images/base/build.sh: Debian 12 libc6, libgcc-s1, libssl3; jlink $modules"}]}
EOF
config_id=$(sha256sum "$work/config.json" | cut -d' ' -f1)
mkdir -p "$work/archive/$diff_id"
mv "$work/layer.tar" "$work/archive/$diff_id/layer.tar"
mv "$work/config.json" "$work/archive/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["voicebridge/base:%s"],"Layers":["%s/layer.tar"]}]\n' \
  "$config_id" "${key:0:12}" "$diff_id" >"$work/archive/manifest.json"
(cd "$work/archive" && tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu \
  -cf "$out/base.tar.partial" manifest.json "$config_id.json" "$diff_id")
mv "$out/base.tar.partial" "$out/base.tar"
echo "$key" >"$out/base.key"
rm -rf "$work"
log "built in $(( $(date +%s) - started )) s: layer sha256:$diff_id ($(du -h "$out/base.tar" | cut -f1))"
