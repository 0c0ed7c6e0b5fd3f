#!/usr/bin/env bash
# Makes a Docker engine and the local Python base image available for the Docker runner tests.
# Idempotent: installs what is missing, starts dockerd only when no engine answers, waits until it
# is ready, and builds the image only when it is missing (reusing a cached root filesystem tarball).
#
# No registry is reachable here, so the Python image is built from Debian packages with debootstrap
# and imported; it is also tagged with the names the course flows use so they run unchanged.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${FLOWBOOK_IMAGE_CACHE:-$ROOT/.cache/images}"
# Bump IMAGE_VERSION when the image's contents change: an older image is then rebuilt.
IMAGE_VERSION=2
TARBALL="$CACHE_DIR/python-bookworm-rootfs-v$IMAGE_VERSION.tar"
IMAGE="flowbook/python:bookworm"
ALIASES=("python:3.11-slim" "python:slim" "python:3.11-alpine")
DOCKERD_LOG="${DOCKERD_LOG:-/tmp/dockerd.log}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

log() { printf '[docker.sh] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

engine_answers() { docker info >/dev/null 2>&1; }

start_engine() {
  if engine_answers; then
    log "engine already answering"
    return
  fi
  if [ -n "${DOCKER_HOST:-}" ]; then
    log "DOCKER_HOST=$DOCKER_HOST does not answer; not starting a local dockerd"
    exit 1
  fi
  log "starting dockerd (log: $DOCKERD_LOG)"
  # --bridge=none: there is no network to bridge to; containers use network mode host or none.
  as_root sh -c "nohup dockerd --bridge=none >'$DOCKERD_LOG' 2>&1 &"
  for _ in $(seq 1 60); do
    if engine_answers; then
      log "engine ready: $(docker version --format '{{.Server.Version}}')"
      return
    fi
    sleep 1
  done
  log "dockerd did not become ready within 60 s; last log lines:"
  tail -20 "$DOCKERD_LOG" >&2 || true
  exit 1
}

build_rootfs_tarball() {
  local dir
  dir="$(mktemp -d /tmp/flowbook-rootfs.XXXXXX)"
  log "debootstrap bookworm with python3 and pip into $dir (a few minutes)"
  as_root debootstrap --variant=minbase --include=python3,python3-pip,python3-venv bookworm "$dir" "$MIRROR" >/tmp/debootstrap.log 2>&1 || {
    tail -20 /tmp/debootstrap.log >&2
    exit 1
  }
  # The official python images let `pip install` into the system interpreter; Debian's marker
  # (PEP 668) would refuse it, so task `dependencies` would fail only here.
  as_root sh -c "rm -f '$dir'/usr/lib/python3*/EXTERNALLY-MANAGED"
  # `python` is what course scripts call; Debian only ships `python3`.
  as_root ln -sf /usr/bin/python3 "$dir/usr/local/bin/python"
  # Drop package lists and caches: they only make the image bigger.
  as_root rm -rf "$dir/var/cache/apt/archives"/*.deb "$dir/var/lib/apt/lists"/*
  mkdir -p "$CACHE_DIR"
  as_root tar -C "$dir" -cf "$TARBALL.partial" .
  mv "$TARBALL.partial" "$TARBALL"
  as_root rm -rf "$dir"
}

image_version() {
  docker image inspect --format '{{ index .Config.Labels "flowbook.image.version" }}' "$IMAGE" 2>/dev/null || true
}

build_image() {
  if [ "$(image_version)" = "$IMAGE_VERSION" ]; then
    log "image $IMAGE (version $IMAGE_VERSION) present"
  else
    [ -s "$TARBALL" ] || build_rootfs_tarball
    log "importing $IMAGE from $TARBALL"
    docker import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' \
      --change 'CMD ["python3"]' \
      --change "LABEL flowbook.image.version=$IMAGE_VERSION" \
      "$TARBALL" "$IMAGE" >/dev/null
  fi
  # Images imported from an older cached tarball may lack the `python` link.
  if ! docker run --rm --network none "$IMAGE" sh -c 'command -v python' >/dev/null 2>&1; then
    log "adding /usr/local/bin/python to $IMAGE"
    local cid
    cid="$(docker create --network none "$IMAGE" sh -c 'ln -sf /usr/bin/python3 /usr/local/bin/python')"
    docker start -a "$cid" >/dev/null
    docker commit --change 'CMD ["python3"]' "$cid" "$IMAGE" >/dev/null
    docker rm "$cid" >/dev/null
  fi
  for alias in "${ALIASES[@]}"; do
    docker tag "$IMAGE" "$alias"
  done
  log "tagged $IMAGE as ${ALIASES[*]}"
}

install_packages
start_engine
build_image
