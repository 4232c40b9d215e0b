#!/usr/bin/env bash
# Installs the tools the test suite needs beyond npm packages, from Debian's packages: Chromium
# for the browser tests, and the command-line validators the deployment checks in ops-tests/ run:
# docker-compose (its `config` validates docker-compose.yml without a Docker engine),
# nginx (`nginx -t` parses the reverse-proxy configs) and prometheus (`promtool` checks the
# scrape config, the alert rules and every dashboard query). kubectl, whose built-in kustomize
# renders deploy/k8s, ships with the machine image; it is only checked here.
# Idempotent and quiet when everything is already there. Needs root (or sudo) only to install.
set -euo pipefail

log() { printf 'install-tools: %s\n' "$*"; }

# chromium: the browser end-to-end tests drive Debian's Chromium (never a downloaded browser).
declare -A wanted=([docker-compose]=docker-compose [nginx]=nginx [promtool]=prometheus [chromium]=chromium)
missing=()
for tool in "${!wanted[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${wanted[$tool]}")
done

if ((${#missing[@]} > 0)); then
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  log "installing ${missing[*]}"
  # Installing nginx or prometheus must not start them as daemons on this machine: Debian's
  # maintainer scripts ask policy-rc.d first, and 101 means "do not start anything".
  policy=/usr/sbin/policy-rc.d
  own_policy=false
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod +x "$policy"
    own_policy=true
  fi
  cleanup() { if [[ $own_policy == true ]]; then $sudo rm -f "$policy"; fi; }
  trap cleanup EXIT
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

for tool in "${!wanted[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || { log "$tool is still missing"; exit 1; }
done
if ! kubectl kustomize --help >/dev/null 2>&1; then
  log "kubectl with built-in kustomize is missing; the Kubernetes checks in ops-tests will fail"
  exit 1
fi
