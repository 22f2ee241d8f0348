#!/usr/bin/env bash
# System packages the course needs beyond Python: bubblewrap (the grading sandbox), PostgreSQL (the
# gradebook tests run against a real server), Chromium (the browser tests of the built book) and git (nbgitpuller
# pulls the student repository in its test). Installed
# with apt-get when missing; as a non-root user on a machine without them, says what to install and goes
# on (grading then runs without isolation).
set -euo pipefail
need=()
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v git >/dev/null 2>&1 || need+=(git)
command -v setpriv >/dev/null 2>&1 || need+=(util-linux)
command -v prlimit >/dev/null 2>&1 || need+=(util-linux)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "NOTE: please install these system packages: ${need[*]} (the grading sandbox, the PostgreSQL tests and the browser tests need them)" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
