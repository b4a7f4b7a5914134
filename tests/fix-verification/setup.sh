#!/usr/bin/env bash
# Container engine for the fix-verification stage: podman as root, no daemon, no registry, no network.
#
# Sourced by ./run (functions rbv_install_tools, rbv_engine_config), or run alone to set up a shell:
#   eval "$(tests/fix-verification/setup.sh /tmp/some-dir)"   # then `podman images` etc. work
#
# Why these settings (found on the project's machines, Debian 12 with cgroup v1 and no systemd):
# - runtime runc: crun fails on this cgroup setup.
# - cgroup_manager cgroupfs, events_logger file: there is no systemd/journald to talk to.
# - netns none: builds and runs need no network (and must not have one: everything is offline).
# - nofile/nproc lowered: podman's defaults (1048576 / 4194304) are above these machines' hard
#   limits (nofile 20000); fixed values keep every run the same wherever it runs.
# - overlay storage with graphroot/runroot under the run's temporary folder, so a run never touches
#   /var/lib/containers and leaves nothing behind.
set -euo pipefail

rbv_log() { printf '[fix-verification] %s\n' "$*" >&2; }

rbv_install_tools() {
    local missing=()
    command -v podman >/dev/null || missing+=(podman)
    command -v runc >/dev/null || missing+=(runc)
    command -v debootstrap >/dev/null || missing+=(debootstrap)
    command -v newuidmap >/dev/null || missing+=(uidmap)
    command -v fuse-overlayfs >/dev/null || missing+=(fuse-overlayfs)
    command -v gcc >/dev/null || missing+=(gcc)
    [ -e /usr/lib/x86_64-linux-gnu/libc.a ] || [ -n "$(find /usr/lib -name libc.a -print -quit 2>/dev/null)" ] || missing+=(libc6-dev)
    command -v make >/dev/null || missing+=(make)
    command -v bzip2 >/dev/null || missing+=(bzip2)
    command -v dpkg-source >/dev/null || missing+=(dpkg-dev)
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    if [ "$(id -u)" -ne 0 ]; then
        rbv_log "missing packages ${missing[*]} and not root: install them first"
        return 1
    fi
    rbv_log "installing ${missing[*]} from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# rbv_engine_config DIR: writes containers.conf, storage.conf and registries.conf under DIR and
# exports the variables podman reads them from.
rbv_engine_config() {
    local dir=$1
    mkdir -p "$dir/graph" "$dir/run" "$dir/tmp"
    cat >"$dir/containers.conf" <<EOF
[containers]
netns = "none"
default_ulimits = ["nofile=1024:1024", "nproc=32768:32768"]
log_driver = "k8s-file"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$dir/events.log"
image_parallel_copies = 2
tmp_dir = "$dir/tmp"
EOF
    cat >"$dir/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$dir/graph"
runroot = "$dir/run"
EOF
    # Short names (FROM debian:bookworm-slim) resolve to docker.io/library/... and are found in the
    # local store; every build and run passes --pull=never, so no registry is ever asked.
    cat >"$dir/registries.conf" <<'EOF'
unqualified-search-registries = ["docker.io"]
short-name-mode = "permissive"
EOF
    export CONTAINERS_CONF="$dir/containers.conf"
    export CONTAINERS_STORAGE_CONF="$dir/storage.conf"
    export CONTAINERS_REGISTRIES_CONF="$dir/registries.conf"
    export TMPDIR="$dir/tmp"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    dir=${1:?usage: setup.sh DIR  (prints export lines for eval)}
    rbv_install_tools
    rbv_engine_config "$(realpath -m "$dir")" >/dev/null
    printf 'export CONTAINERS_CONF=%q CONTAINERS_STORAGE_CONF=%q CONTAINERS_REGISTRIES_CONF=%q\n' \
        "$CONTAINERS_CONF" "$CONTAINERS_STORAGE_CONF" "$CONTAINERS_REGISTRIES_CONF"
fi
