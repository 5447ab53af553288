#!/usr/bin/env bash
# A GPU check for a real workstation (no network needed): `collapse-lab doctor`, the webgpu parity tests (every model
# and the reference classifier against the cpu backend), then `bench train` for every model on every available
# backend, printed as one table: training img/s per backend and the ratio to one wasm core. Exits non-zero when a
# parity test fails. SECONDS_PER_STEP (default 6) sets each timed step's length.
set -uo pipefail
cd "$(dirname "$0")/.."
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/collapse-lab-xdg-$(id -u)}"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
cli=(node bin/collapse-lab.mjs)
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
uptime

echo "== doctor"
"${cli[@]}" doctor --json >"$out/doctor.json" || { echo "doctor failed"; exit 2; }
"${cli[@]}" doctor --no-measure | tail -n +1

echo "== webgpu parity tests"
npx vitest run test/backend/webgpu-models.test.ts test/backend/select-backend.test.ts
parity=$?

echo "== bench train (each model on each available backend; wasm on one core)"
backends=$(node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log([...new Set(r.backends.filter((b) => b.available).map((b) => b.backend))].join(" "));
' "$out/doctor.json")
for model in vae-mlp vae-conv wgan-gp ddpm; do
  for backend in $backends; do
    COLLAPSE_LAB_WASM_THREADS=1 "${cli[@]}" bench train --model "$model" --backend "$backend" \
      --seconds "${SECONDS_PER_STEP:-6}" --blocks 2 --json >"$out/$model.$backend.json" 2>"$out/$model.$backend.err" ||
      echo "bench train --model $model --backend $backend failed: $(tail -1 "$out/$model.$backend.err")"
  done
done
node -e '
  const fs = require("fs"); const path = require("path");
  const [dir, list] = process.argv.slice(1); const backends = list.split(" ").filter(Boolean);
  const doctor = JSON.parse(fs.readFileSync(path.join(dir, "doctor.json"), "utf8"));
  const label = (b) => { const d = doctor.backends.find((x) => x.backend === b && x.available); return d && d.adapter ? `${b} (${d.adapter.vendor} ${d.adapter.architecture}${d.adapter.fallback ? ", software" : ""})` : b; };
  const rate = (m, b) => { try { return JSON.parse(fs.readFileSync(path.join(dir, `${m}.${b}.json`), "utf8")).imagesPerSecond; } catch { return null; } };
  console.log(["model", ...backends.map(label)].join(" | "));
  for (const m of ["vae-mlp", "vae-conv", "wgan-gp", "ddpm"]) {
    const w = rate(m, "wasm");
    console.log([m, ...backends.map((b) => { const r = rate(m, b); return r === null ? "failed" : `${r.toFixed(1)} img/s${w ? ` (${(r / w).toFixed(2)}× wasm)` : ""}`; })].join(" | "));
  }
' "$out" "$backends"
uptime
if [ "$parity" -ne 0 ]; then echo "webgpu parity tests FAILED"; exit 1; fi
echo "webgpu parity tests passed"
