#!/usr/bin/env bash
# Makes this machine ready for the whole test suite; safe to run again (each step checks first).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then $SUDO apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Real browser for the end-to-end tests (Playwright's own download cannot run offline).
if [ ! -x /usr/bin/chromium ]; then
  echo "installing chromium…"
  apt_install chromium
fi

# Tools the course flows and benchmarks call.
for tool in wget gunzip; do
  command -v "$tool" >/dev/null || apt_install wget gzip
done

# A Docker engine and a local Python image for the Docker runner tests.
if [ -f .ci/docker.sh ]; then bash .ci/docker.sh; fi

