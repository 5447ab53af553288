#!/usr/bin/python3
"""POT / NumPy / SciPy side of bench/ot.ts: times the same three workloads on the .npy files bench/ot.ts wrote
(float64), the median of `repeats` timings, and prints one JSON line with the load average before and after.
bench/reference-env.ts starts it with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset and the thread count set. Distance matrices are included in the OT timings, file reading
is not.
  sinkhorn: ot.dist + ot.bregman.sinkhorn_log (reg in cost units, numItermax, stopThr=0), and ot.sinkhorn (the
            scaling-domain method) for reference
  emd:      ot.dist + ot.emd2 with uniform weights
  fid:      pytorch-fid's statistics (np.mean, np.cov(rowvar=False)) of both sets and calculate_frechet_distance; then
            the covariance of one set alone and the distance from the statistics alone (where the time goes)
usage: ot_pot.py DIR REG ITERS REPEATS [--threads N] (threads: set by the environment, echoed)"""
import json, os, statistics, sys, time, warnings
import numpy as np
import ot
from scipy import linalg

warnings.filterwarnings('ignore')
folder, reg, iters, repeats = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
threads = int(sys.argv[sys.argv.index('--threads') + 1]) if '--threads' in sys.argv else None
load = lambda name: np.load(f'{folder}/{name}.npy')


def frechet(mu1, sigma1, mu2, sigma2, eps=1e-6):
    diff = mu1 - mu2
    covmean, _ = linalg.sqrtm(sigma1.dot(sigma2), disp=False)
    if not np.isfinite(covmean).all():
        offset = np.eye(sigma1.shape[0]) * eps
        covmean = linalg.sqrtm((sigma1 + offset).dot(sigma2 + offset))
    if np.iscomplexobj(covmean):
        covmean = covmean.real
    return diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean)


def best(fn):
    """Median time of `repeats` calls (after one warm-up call) and the last value."""
    times, value = [], fn()
    for _ in range(repeats):
        t = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), value


out = {'loadBefore': os.getloadavg()[0]}
sx, sy = load('sinkhorn_x'), load('sinkhorn_y')
def sinkhorn_log():
    M = ot.dist(sx, sy)
    P = ot.bregman.sinkhorn_log(np.array([]), np.array([]), M, reg, numItermax=iters, stopThr=0)
    return float((P * M).sum())
def sinkhorn_scaling():
    M = ot.dist(sx, sy)
    P = ot.sinkhorn(np.array([]), np.array([]), M, reg, numItermax=iters, stopThr=0)
    return float((P * M).sum())
out['sinkhornLog'], out['sinkhornLogCost'] = best(sinkhorn_log)
out['sinkhornScaling'], out['sinkhornScalingCost'] = best(sinkhorn_scaling)
ex, ey = load('emd_x'), load('emd_y')
out['emd'], out['emdCost'] = best(lambda: float(ot.emd2(np.array([]), np.array([]), ot.dist(ex, ey))))
f1, f2 = load('fid_a'), load('fid_b')
out['fid'], out['fidValue'] = best(lambda: float(frechet(f1.mean(0), np.cov(f1, rowvar=False), f2.mean(0), np.cov(f2, rowvar=False))))
# where FID's time goes: the covariance of one set (a full float64 GEMM, 2·n·d² FLOP) and the distance from the statistics
stats = (f1.mean(0), np.cov(f1, rowvar=False), f2.mean(0), np.cov(f2, rowvar=False))
out['fidCovariance'], _ = best(lambda: np.cov(f1, rowvar=False))
out['fidFromStats'], _ = best(lambda: frechet(*stats))
out['versions'] = {'pot': ot.__version__, 'numpy': np.__version__}
out['loadAfter'] = os.getloadavg()[0]
out['threads'] = threads
print(json.dumps(out))
