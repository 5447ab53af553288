/**
 * The independent numpy/scikit-learn re-run of Collapse-or-Thrive's KDE experiment (test/fixtures/studies/
 * simulate_collapse_or_thrive_kde.py; written by make_collapse_or_thrive_kde_rerun_ts.py from its JSON, 4 significant
 * digits): per cell `shape h=H paradigm`, the mean and sd over the seeds of the test NLL at generations 0, 1, 9 and 29.
 * Made before looking at the engine's runs; the study's tolerances come from it.
 */

import type { RerunStat } from './collapse-or-thrive-rerun';

export const COLLAPSE_OR_THRIVE_KDE_RERUN_SEEDS = 200;

export const COLLAPSE_OR_THRIVE_KDE_RERUN: Record<string, Record<0 | 1 | 9 | 29, RerunStat>> = {
  'blobs h=0.1 replace': {
    0: { mean: 12.92, sd: 1.926 },
    1: { mean: 17.17, sd: 2.491 },
    9: { mean: 42.92, sd: 35.53 },
    29: { mean: 237.9, sd: 296.5 },
  },
  'blobs h=0.1 accumulate': {
    0: { mean: 12.92, sd: 1.926 },
    1: { mean: 12.19, sd: 1.842 },
    9: { mean: 10.02, sd: 1.557 },
    29: { mean: 8.533, sd: 1.329 },
  },
  'blobs h=0.1 accumulate-subsample': {
    0: { mean: 12.92, sd: 1.926 },
    1: { mean: 16.35, sd: 2.449 },
    9: { mean: 18.66, sd: 2.761 },
    29: { mean: 19.02, sd: 3.239 },
  },
  'blobs h=0.5 replace': {
    0: { mean: 4.082, sd: 0.09606 },
    1: { mean: 4.193, sd: 0.109 },
    9: { mean: 5.287, sd: 0.9786 },
    29: { mean: 9.992, sd: 5.057 },
  },
  'blobs h=0.5 accumulate': {
    0: { mean: 4.082, sd: 0.09606 },
    1: { mean: 4.086, sd: 0.08604 },
    9: { mean: 4.121, sd: 0.06853 },
    29: { mean: 4.163, sd: 0.06397 },
  },
  'blobs h=0.5 accumulate-subsample': {
    0: { mean: 4.082, sd: 0.09606 },
    1: { mean: 4.161, sd: 0.112 },
    9: { mean: 4.268, sd: 0.1146 },
    29: { mean: 4.322, sd: 0.1187 },
  },
  'blobs h=1.0 replace': {
    0: { mean: 4.143, sd: 0.05053 },
    1: { mean: 4.402, sd: 0.06517 },
    9: { mean: 5.592, sd: 0.3212 },
    29: { mean: 6.756, sd: 1.204 },
  },
  'blobs h=1.0 accumulate': {
    0: { mean: 4.143, sd: 0.05053 },
    1: { mean: 4.252, sd: 0.0491 },
    9: { mean: 4.518, sd: 0.04455 },
    29: { mean: 4.679, sd: 0.04158 },
  },
  'blobs h=1.0 accumulate-subsample': {
    0: { mean: 4.143, sd: 0.05053 },
    1: { mean: 4.266, sd: 0.05977 },
    9: { mean: 4.559, sd: 0.08014 },
    29: { mean: 4.715, sd: 0.08965 },
  },
  'moons h=0.1 replace': {
    0: { mean: 1.189, sd: 0.04678 },
    1: { mean: 1.454, sd: 0.09555 },
    9: { mean: 3.367, sd: 0.964 },
    29: { mean: 6.921, sd: 3.699 },
  },
  'moons h=0.1 accumulate': {
    0: { mean: 1.189, sd: 0.04678 },
    1: { mean: 1.25, sd: 0.04498 },
    9: { mean: 1.378, sd: 0.04146 },
    29: { mean: 1.45, sd: 0.03827 },
  },
  'moons h=0.1 accumulate-subsample': {
    0: { mean: 1.189, sd: 0.04678 },
    1: { mean: 1.344, sd: 0.07328 },
    9: { mean: 1.601, sd: 0.1294 },
    29: { mean: 1.719, sd: 0.1477 },
  },
  'moons h=0.5 replace': {
    0: { mean: 2.0, sd: 0.009682 },
    1: { mean: 2.251, sd: 0.04857 },
    9: { mean: 3.179, sd: 0.228 },
    29: { mean: 4.226, sd: 0.579 },
  },
  'moons h=0.5 accumulate': {
    0: { mean: 2.0, sd: 0.009682 },
    1: { mean: 2.114, sd: 0.02255 },
    9: { mean: 2.356, sd: 0.03337 },
    29: { mean: 2.497, sd: 0.03525 },
  },
  'moons h=0.5 accumulate-subsample': {
    0: { mean: 2.0, sd: 0.009682 },
    1: { mean: 2.121, sd: 0.03197 },
    9: { mean: 2.373, sd: 0.0696 },
    29: { mean: 2.512, sd: 0.0728 },
  },
  'moons h=1.0 replace': {
    0: { mean: 2.543, sd: 0.005784 },
    1: { mean: 2.952, sd: 0.05341 },
    9: { mean: 4.3, sd: 0.276 },
    29: { mean: 5.486, sd: 0.6039 },
  },
  'moons h=1.0 accumulate': {
    0: { mean: 2.543, sd: 0.005784 },
    1: { mean: 2.725, sd: 0.02171 },
    9: { mean: 3.12, sd: 0.03234 },
    29: { mean: 3.348, sd: 0.03526 },
  },
  'moons h=1.0 accumulate-subsample': {
    0: { mean: 2.543, sd: 0.005784 },
    1: { mean: 2.728, sd: 0.03504 },
    9: { mean: 3.126, sd: 0.08315 },
    29: { mean: 3.347, sd: 0.08611 },
  },
  'circles h=0.1 replace': {
    0: { mean: 1.032, sd: 0.01987 },
    1: { mean: 1.481, sd: 0.09522 },
    9: { mean: 2.905, sd: 0.7159 },
    29: { mean: 5.255, sd: 2.299 },
  },
  'circles h=0.1 accumulate': {
    0: { mean: 1.032, sd: 0.01987 },
    1: { mean: 1.163, sd: 0.02511 },
    9: { mean: 1.387, sd: 0.02804 },
    29: { mean: 1.476, sd: 0.02538 },
  },
  'circles h=0.1 accumulate-subsample': {
    0: { mean: 1.032, sd: 0.01987 },
    1: { mean: 1.278, sd: 0.05821 },
    9: { mean: 1.657, sd: 0.1207 },
    29: { mean: 1.789, sd: 0.1417 },
  },
  'circles h=0.5 replace': {
    0: { mean: 1.831, sd: 0.005695 },
    1: { mean: 2.042, sd: 0.04458 },
    9: { mean: 3.05, sd: 0.2337 },
    29: { mean: 4.273, sd: 0.8218 },
  },
  'circles h=0.5 accumulate': {
    0: { mean: 1.831, sd: 0.005695 },
    1: { mean: 1.929, sd: 0.01971 },
    9: { mean: 2.164, sd: 0.02788 },
    29: { mean: 2.315, sd: 0.02957 },
  },
  'circles h=0.5 accumulate-subsample': {
    0: { mean: 1.831, sd: 0.005695 },
    1: { mean: 1.933, sd: 0.03223 },
    9: { mean: 2.17, sd: 0.06818 },
    29: { mean: 2.33, sd: 0.09015 },
  },
  'circles h=1.0 replace': {
    0: { mean: 2.364, sd: 0.003329 },
    1: { mean: 2.817, sd: 0.05516 },
    9: { mean: 4.259, sd: 0.2831 },
    29: { mean: 5.53, sd: 0.7665 },
  },
  'circles h=1.0 accumulate': {
    0: { mean: 2.364, sd: 0.003329 },
    1: { mean: 2.564, sd: 0.02117 },
    9: { mean: 2.999, sd: 0.02932 },
    29: { mean: 3.249, sd: 0.03248 },
  },
  'circles h=1.0 accumulate-subsample': {
    0: { mean: 2.364, sd: 0.003329 },
    1: { mean: 2.566, sd: 0.03465 },
    9: { mean: 2.999, sd: 0.08154 },
    29: { mean: 3.252, sd: 0.1031 },
  },
  'swiss-roll h=0.1 replace': {
    0: { mean: 39.66, sd: 8.558 },
    1: { mean: 69.56, sd: 19.15 },
    9: { mean: 477.9, sd: 189.5 },
    29: { mean: 1586.0, sd: 809.4 },
  },
  'swiss-roll h=0.1 accumulate': {
    0: { mean: 39.66, sd: 8.558 },
    1: { mean: 37.94, sd: 8.458 },
    9: { mean: 32.38, sd: 7.785 },
    29: { mean: 27.92, sd: 7.369 },
  },
  'swiss-roll h=0.1 accumulate-subsample': {
    0: { mean: 39.66, sd: 8.558 },
    1: { mean: 62.62, sd: 19.3 },
    9: { mean: 87.67, sd: 28.5 },
    29: { mean: 93.83, sd: 34.88 },
  },
  'swiss-roll h=0.5 replace': {
    0: { mean: 6.09, sd: 0.3408 },
    1: { mean: 7.182, sd: 0.7032 },
    9: { mean: 18.93, sd: 5.954 },
    29: { mean: 45.02, sd: 22.35 },
  },
  'swiss-roll h=0.5 accumulate': {
    0: { mean: 6.09, sd: 0.3408 },
    1: { mean: 6.087, sd: 0.3183 },
    9: { mean: 6.008, sd: 0.2084 },
    29: { mean: 5.975, sd: 0.1741 },
  },
  'swiss-roll h=0.5 accumulate-subsample': {
    0: { mean: 6.09, sd: 0.3408 },
    1: { mean: 6.899, sd: 0.7353 },
    9: { mean: 7.86, sd: 1.078 },
    29: { mean: 8.116, sd: 1.267 },
  },
  'swiss-roll h=1.0 replace': {
    0: { mean: 5.78, sd: 0.09402 },
    1: { mean: 6.252, sd: 0.1756 },
    9: { mean: 8.619, sd: 1.292 },
    29: { mean: 12.12, sd: 3.949 },
  },
  'swiss-roll h=1.0 accumulate': {
    0: { mean: 5.78, sd: 0.09402 },
    1: { mean: 5.896, sd: 0.08777 },
    9: { mean: 6.103, sd: 0.06545 },
    29: { mean: 6.204, sd: 0.05916 },
  },
  'swiss-roll h=1.0 accumulate-subsample': {
    0: { mean: 5.78, sd: 0.09402 },
    1: { mean: 6.067, sd: 0.1788 },
    9: { mean: 6.474, sd: 0.2425 },
    29: { mean: 6.621, sd: 0.294 },
  },
};
