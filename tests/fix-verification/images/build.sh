#!/usr/bin/env bash
# Base images for the fix-verification stage, made without a registry (sourced by ../run).
#
# rbv_base_images RUN_DIR   builds/loads every base image into the podman store set up by ../setup.sh
#
# The Debian root filesystem and the BusyBox binary (the slow parts: about 70 s and 20 s) are cached
# between runs on one machine under $REVIEWBOT_VERIFY_CACHE (default /var/tmp/reviewbot-verify-cache),
# each keyed by RBV_IMAGES_VERSION and a hash of its own recipe and inputs. The podman image store itself
# lives in the run's temporary folder and goes away with it.
#
# What each tag really is (and is not) is listed in ../README.md.

RBV_IMAGES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RBV_IMAGES_VERSION=1
RBV_DEBIAN_SUITE=bookworm
RBV_BUSYBOX_SOURCE_PACKAGE=busybox

rbv_cache_root() {
    printf '%s' "${REVIEWBOT_VERIFY_CACHE:-/var/tmp/reviewbot-verify-cache}"
}

# rbv_cache_key FUNCTION [FILE...]: a key that changes when the recipe (the function's text) or one of
# its input files changes, so an edit elsewhere does not throw a cached root filesystem away.
rbv_cache_key() {
    local fn=$1
    shift
    { printf '%s %s\n' "$RBV_IMAGES_VERSION" "$RBV_DEBIAN_SUITE"; declare -f "$fn"; cat "$@"; } | sha256sum | cut -c1-16
}

# The Debian archive this machine's apt already uses (deb822 .sources or one-line sources.list),
# so the stage follows the machine's mirror configuration; empty means debootstrap's default.
rbv_debian_mirror() {
    if [ -n "${REVIEWBOT_VERIFY_MIRROR:-}" ]; then
        printf '%s' "$REVIEWBOT_VERIFY_MIRROR"
        return
    fi
    local uri
    uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '
        /^URIs:/ { uri = $2 }
        /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "'"$RBV_DEBIAN_SUITE"'" && uri !~ /security/) { print uri; exit } }')
    if [ -z "$uri" ]; then
        uri=$(grep -hE "^deb +(\[[^]]*\] +)?[a-z]+://[^ ]+ +$RBV_DEBIAN_SUITE +" /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
            grep -v security | sed -E 's/^deb +(\[[^]]*\] +)?//' | awk '{ print $1; exit }')
    fi
    printf '%s' "$uri"
}

# debootstrap --variant=minbase, trimmed the way the official -slim images are (no docs, man pages,
# locales, apt caches), stored as an uncompressed tarball with numeric owners.
rbv_debian_rootfs() {
    local out=$1 work mirror
    [ -s "$out" ] && return 0
    work=$(mktemp -d "${out%/*}/debian.XXXXXX")
    mirror=$(rbv_debian_mirror)
    rbv_log "debootstrap --variant=minbase $RBV_DEBIAN_SUITE (about a minute, cached afterwards)"
    if ! debootstrap --variant=minbase "$RBV_DEBIAN_SUITE" "$work/rootfs" ${mirror:+"$mirror"} >"$work/debootstrap.log" 2>&1; then
        tail -20 "$work/debootstrap.log" >&2
        rm -rf "$work"
        return 1
    fi
    rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/var/lib/apt/lists/* \
        "$work"/rootfs/usr/share/doc/* "$work"/rootfs/usr/share/man/* "$work"/rootfs/usr/share/info/* \
        "$work"/rootfs/usr/share/locale/* "$work"/rootfs/var/log/*.log "$work"/rootfs/var/log/apt/*
    : >"$work/rootfs/etc/hostname"
    rm -f "$work/rootfs/etc/resolv.conf"
    tar --numeric-owner -C "$work/rootfs" -cf "$work/rootfs.tar" .
    mv "$work/rootfs.tar" "$out"
    rm -rf "$work"
}

# BusyBox from Debian's source package, configured by busybox-applets.config (see the reasons there).
rbv_busybox_binary() {
    local out=$1 work mirror apt_opts src
    [ -x "$out" ] && return 0
    work=$(mktemp -d "${out%/*}/busybox.XXXXXX")
    mirror=$(rbv_debian_mirror)
    if [ -z "$mirror" ]; then
        rbv_log "no Debian archive found in /etc/apt; set REVIEWBOT_VERIFY_MIRROR to its URL"
        return 1
    fi
    mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/src"
    printf 'deb-src %s %s main\n' "$mirror" "$RBV_DEBIAN_SUITE" >"$work/apt/sources.list"
    apt_opts=(-o "Dir::Etc::SourceList=$work/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache=$work/apt/cache" -o APT::Sandbox::User=root -qq)
    rbv_log "building BusyBox with adduser/addgroup from Debian's source package (cached afterwards)"
    if ! (apt-get "${apt_opts[@]}" update &&
        cd "$work/src" && apt-get "${apt_opts[@]}" source "$RBV_BUSYBOX_SOURCE_PACKAGE") >"$work/log" 2>&1; then
        tail -20 "$work/log" >&2
        rm -rf "$work"
        return 1
    fi
    src=$(find "$work/src" -mindepth 1 -maxdepth 1 -type d -name 'busybox-*' | head -1)
    (
        cd "$src"
        make allnoconfig
        # allnoconfig ignores KCONFIG_ALLCONFIG in BusyBox's kconfig, so write the options in and let
        # oldconfig settle their dependencies; then check none was dropped.
        grep -E '^CONFIG_' "$RBV_IMAGES_DIR/busybox-applets.config" | while IFS='=' read -r k v; do
            sed -i -e "/^# $k is not set\$/d" -e "/^$k=/d" .config
            printf '%s=%s\n' "$k" "$v" >>.config
        done
        yes '' | make oldconfig
        grep -E '^CONFIG_' "$RBV_IMAGES_DIR/busybox-applets.config" | while IFS= read -r line; do
            grep -qxF "$line" .config || { echo "BusyBox config lost $line" >&2; exit 1; }
        done
        make -j"$(nproc)"
    ) >>"$work/log" 2>&1 || {
        tail -30 "$work/log" >&2
        rm -rf "$work"
        return 1
    }
    install -m 0755 "$src/busybox" "$work/busybox.new"
    mv "$work/busybox.new" "$out"
    rm -rf "$work"
}

# A BusyBox root filesystem with the given flavour's /etc (alpine or busybox).
rbv_busybox_rootfs() {
    local busybox=$1 flavour=$2 out=$3 root applet
    root=$(mktemp -d "${out%/*}/$flavour.XXXXXX")
    mkdir -p "$root"/{bin,sbin,etc,root,home,tmp,var/empty,var/tmp,usr/bin,usr/sbin,usr/local/bin,dev,proc,sys,run}
    chmod 1777 "$root/tmp" "$root/var/tmp"
    chmod 0700 "$root/root"
    install -m 0755 "$busybox" "$root/bin/busybox"
    for applet in $("$busybox" --list); do
        [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
    done
    # Both flavours' passwd entries name /sbin/nologin; this BusyBox has no nologin applet.
    printf '#!/bin/sh\necho "This account is not available."\nexit 1\n' >"$root/sbin/nologin"
    chmod 0755 "$root/sbin/nologin"
    cp -a "$RBV_IMAGES_DIR/$flavour/etc/." "$root/etc/"
    chmod 0640 "$root/etc/shadow"
    tar --numeric-owner -C "$root" -cf "$out" . || return 1
    rm -rf "$root"
}

# A shell-less root filesystem shaped like gcr.io/distroless/static-debian12: /etc/passwd with root,
# nobody and nonroot (65532), /home/nonroot owned by it, /tmp; no shell, no libc, no package manager.
rbv_distroless_rootfs() {
    local out=$1 root
    root=$(mktemp -d "${out%/*}/distroless.XXXXXX")
    mkdir -p "$root"/{etc,root,home/nonroot,tmp,var/lib,dev,proc,sys}
    chmod 1777 "$root/tmp"
    chmod 0700 "$root/root" "$root/home/nonroot"
    chown 65532:65532 "$root/home/nonroot"
    cp -a "$RBV_IMAGES_DIR/distroless/etc/." "$root/etc/"
    tar --numeric-owner -C "$root" -cf "$out" . || return 1
    rm -rf "$root"
}

rbv_import() {
    local tarball=$1 name=$2
    shift 2
    podman import -q "$@" "$tarball" "$name" >/dev/null
}

rbv_tag() {
    podman tag "$@"
}

rbv_build_derived() {
    local containerfile=$1 name=$2
    podman build -q --pull=never -f "$RBV_IMAGES_DIR/$containerfile" -t "$name" "$RBV_IMAGES_DIR" >/dev/null
}

rbv_base_images() {
    local run_dir=$1 cache debian busybox
    cache=$(rbv_cache_root)
    mkdir -p "$cache"
    debian="$cache/debian-$RBV_DEBIAN_SUITE-minbase-$(rbv_cache_key rbv_debian_rootfs).tar"
    busybox="$cache/busybox-$(rbv_cache_key rbv_busybox_binary "$RBV_IMAGES_DIR/busybox-applets.config")"
    (
        # One machine may run several stages at once: one builds the cache, the others wait.
        flock 9
        # debootstrap mostly waits on the network and disk, the BusyBox build on the CPU: overlap them.
        rbv_debian_rootfs "$debian" &
        local debian_pid=$!
        rbv_busybox_binary "$busybox" || exit 1
        wait "$debian_pid" || exit 1
        touch "$debian" "$busybox"
        # Entries of older recipes that no run has used for two weeks.
        find "$cache" -maxdepth 1 -type f \( -name 'debian-*.tar' -o -name 'busybox-*' \) -mtime +14 -delete
    ) 9>"$cache/.lock" || return 1

    rbv_busybox_rootfs "$busybox" alpine "$run_dir/alpine.tar" || return 1
    rbv_busybox_rootfs "$busybox" busybox "$run_dir/busybox.tar" || return 1
    rbv_distroless_rootfs "$run_dir/distroless.tar" || return 1

    local path='PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
    rbv_import "$debian" localhost/rbv/debian:bookworm \
        --change "ENV $path" --change 'CMD ["bash"]' || return 1
    rbv_tag localhost/rbv/debian:bookworm \
        docker.io/library/debian:bookworm-slim docker.io/library/debian:bookworm docker.io/library/debian:12-slim \
        docker.io/library/debian:12 docker.io/library/debian:stable-slim docker.io/library/debian:latest || return 1

    rbv_import "$run_dir/alpine.tar" localhost/rbv/alpine:3.20 --change "ENV $path" --change 'CMD ["/bin/sh"]' || return 1
    rbv_tag localhost/rbv/alpine:3.20 docker.io/library/alpine:3.20 docker.io/library/alpine:3 docker.io/library/alpine:latest || return 1

    rbv_import "$run_dir/busybox.tar" localhost/rbv/busybox:1.36 --change "ENV $path" --change 'CMD ["sh"]' || return 1
    rbv_tag localhost/rbv/busybox:1.36 docker.io/library/busybox:1.36 docker.io/library/busybox:latest || return 1

    rbv_import "$run_dir/distroless.tar" gcr.io/distroless/static-debian12:latest \
        --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' || return 1
    rbv_tag gcr.io/distroless/static-debian12:latest gcr.io/distroless/static:latest || return 1
    rbv_import "$run_dir/distroless.tar" gcr.io/distroless/static-debian12:nonroot \
        --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' --change 'USER 65532' --change 'WORKDIR /home/nonroot' || return 1
    rbv_tag gcr.io/distroless/static-debian12:nonroot gcr.io/distroless/static:nonroot || return 1

    rbv_build_derived ubuntu.Containerfile docker.io/library/ubuntu:24.04 || return 1
    rbv_tag docker.io/library/ubuntu:24.04 docker.io/library/ubuntu:noble docker.io/library/ubuntu:latest || return 1

    rbv_build_derived node.Containerfile docker.io/library/node:20-slim || return 1
    rbv_tag docker.io/library/node:20-slim docker.io/library/node:20-bookworm-slim docker.io/library/node:20 || return 1

    rbv_build_derived ubi.Containerfile registry.access.redhat.com/ubi9/ubi:latest || return 1
    rbv_tag registry.access.redhat.com/ubi9/ubi:latest registry.access.redhat.com/ubi9:latest \
        docker.io/library/rockylinux:9 docker.io/library/almalinux:9 || return 1

    rbv_build_derived python.Containerfile docker.io/library/python:3.12-slim || return 1
    rbv_tag docker.io/library/python:3.12-slim docker.io/library/python:3.12-slim-bookworm || return 1

    rbv_build_derived nginx.Containerfile docker.io/library/nginx:1.27 || return 1
    rbv_build_derived nginx-unprivileged.Containerfile docker.io/nginxinc/nginx-unprivileged:1.27 || return 1

    rbv_build_derived aspnet.Containerfile mcr.microsoft.com/dotnet/aspnet:8.0 || return 1
    rbv_tag mcr.microsoft.com/dotnet/aspnet:8.0 mcr.microsoft.com/dotnet/runtime-deps:8.0 || return 1
}
