"""The Collapse-or-Thrive Gaussian grid as a plain NumPy loop: the reference of `npm run bench -- study-scale`.

Each run: n real rows of N(0, I_d); generation t fits the maximum-likelihood Gaussian (mean, covariance + ridge·I) to
the paradigm's training set (replace: the previous generation's n samples; accumulate: the real rows and every
generation's samples; accumulate-subsample: n rows drawn without replacement from those), samples n rows from it, and
records what the study's runs record each generation: the distance of the samples' mean to the real mean, the trace of
the samples' (unbiased) covariance and the trace of the fitted covariance. Runs are spread over --workers processes of
one BLAS thread each (the study's --parallel). Prints one JSON line: seconds, runs, lines.
"""
import argparse
import json
import time
from multiprocessing import Pool

import numpy as np


def one_run(job):
    d, n, paradigm, seed, generations, ridge = job
    rng = np.random.default_rng(seed * 1_000_003 + d * 1009 + n)
    real = rng.standard_normal((n, d))
    real_mean = real.mean(axis=0)
    kept = []
    lines = 0
    for t in range(generations):
        if t == 0 or paradigm == "replace":
            train = real if t == 0 else kept[-1]
        elif paradigm == "accumulate":
            train = np.concatenate([real] + kept)
        else:  # accumulate-subsample
            pool = np.concatenate([real] + kept)
            train = pool[rng.choice(pool.shape[0], size=min(n, pool.shape[0]), replace=False)]
        mu = train.mean(axis=0)
        centred = train - mu
        cov = centred.T @ centred / train.shape[0] + ridge * np.eye(d)
        chol = np.linalg.cholesky(cov)
        samples = mu + rng.standard_normal((n, d)) @ chol.T
        kept.append(samples)
        m = samples.mean(axis=0)
        _mean_distance = float(np.linalg.norm(m - real_mean))
        c = samples - m
        _trace = float((c * c).sum() / max(1, n - 1))
        _model_trace = float(np.trace(cov))
        lines += 1
    return lines


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dims", required=True)
    p.add_argument("--ns", required=True)
    p.add_argument("--paradigms", required=True)
    p.add_argument("--seeds", type=int, required=True)
    p.add_argument("--generations", type=int, required=True)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    dims = [int(x) for x in a.dims.split(",")]
    ns = [int(x) for x in a.ns.split(",")]
    paradigms = a.paradigms.split(",")
    jobs = [(d, n, par, s, a.generations, 1e-6) for d in dims for n in ns for par in paradigms for s in range(a.seeds)]
    t0 = time.perf_counter()
    with Pool(a.workers) as pool:
        lines = sum(pool.imap_unordered(one_run, jobs, chunksize=1))
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "runs": len(jobs), "lines": lines, "workers": a.workers}))


if __name__ == "__main__":
    main()
