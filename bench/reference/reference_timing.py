"""Shared timing helpers of the PyTorch references (bench/reference/*_torch.py), the Python twin of
main/bench/timed-blocks.ts: thread setup, medians of several timed blocks with the machine's load average before and
after each, parameter counts, and the one JSON line each script prints for bench/reference-env.ts.

The TypeScript side starts every reference with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (so OpenBLAS picks its own
kernel) and OMP_NUM_THREADS / OPENBLAS_NUM_THREADS set to the thread count; `configure` also sets torch's intra-op
threads, and refuses to run if the OpenBLAS overrides are still set (the figures would be for the slower kernel).
"""
import json
import os
import statistics
import time


def configure(threads, allow_openblas_overrides=False):
    import torch

    forced = [k for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ]
    if forced and not allow_openblas_overrides:
        raise SystemExit(f"reference: {', '.join(forced)} set; run through bench/reference-env.ts (which unsets them)")
    torch.set_num_threads(threads)
    torch.manual_seed(0)


def timing_arguments(parser, batch, samples):
    """The options every reference takes: batch size, candidates per sampling call, timed seconds, blocks, threads."""
    parser.add_argument("--batch", type=int, default=batch)
    parser.add_argument("--samples", type=int, default=samples)
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--blocks", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)


def load1():
    return os.getloadavg()[0]


def timed_blocks(step, per_step, seconds, blocks, warmup=2):
    """Calls step() `warmup` times, then `blocks` blocks of about `seconds` each (at least one call per block); returns
    the median rate (items per second, `per_step` items per call) and each block's rate and load before/after."""
    for _ in range(warmup):
        step()
    out = []
    for _ in range(blocks):
        before = load1()
        n, t0 = 0, time.perf_counter()
        while n == 0 or time.perf_counter() - t0 < seconds:
            step()
            n += 1
        dt = time.perf_counter() - t0
        out.append({"rate": n * per_step / dt, "loadBefore": before, "loadAfter": load1()})
    return {"median": statistics.median(b["rate"] for b in out), "blocks": out}


def param_count(*modules):
    return sum(p.numel() for m in modules for p in m.parameters())


def emit(obj):
    import torch

    obj.setdefault("torch", torch.__version__)
    obj.setdefault("threads", torch.get_num_threads())
    print(json.dumps(obj))
