"""Names the kernels a PyTorch / NumPy reference runs with under the current environment, as one JSON line:
OpenBLAS's version, chosen core kernel (threadpoolctl's "architecture") and thread count; oneDNN's version and the ISA
it dispatches to (read from its verbose banner in a child process, since that flag is read at load time); ATen's CPU
capability; and whether OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE were set. bench/reference-env.ts runs it once per thread
count with the same environment as the references.
  usage: describe_kernels.py THREADS"""
import json
import os
import re
import subprocess
import sys

threads = int(sys.argv[1])
import numpy as np  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(threads)
out = {
    "threads": threads,
    "torchThreads": torch.get_num_threads(),
    "numpy": np.__version__,
    "torch": torch.__version__,
    "openblasOverrides": {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ},
}
try:
    from threadpoolctl import threadpool_info

    blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    if blas:
        b = blas[0]
        out["blas"] = {
            "library": b.get("internal_api"),
            "version": b.get("version"),
            "kernel": b.get("architecture"),
            "threads": b.get("num_threads"),
            "threading": b.get("threading_layer"),
        }
except ImportError:
    out["blas"] = {"library": "unknown (threadpoolctl missing)"}
m = re.search(r"CPU capability usage: (\S+)", torch.__config__.show())
out["atenCapability"] = m.group(1) if m else None
probe = (
    "import torch; torch.set_num_threads(1); x = torch.rand(2, 4, 8, 8); "
    "torch.nn.functional.conv2d(x, torch.rand(4, 4, 3, 3))"
)
env = dict(os.environ, ONEDNN_VERBOSE="1", DNNL_VERBOSE="1")
r = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
isa = re.search(r"isa:([^\n]+)", r.stdout)
ver = re.search(r"oneDNN v([0-9.]+)", r.stdout)
out["onednn"] = {"version": ver.group(1) if ver else None, "isa": isa.group(1).strip() if isa else None}
print(json.dumps(out))
