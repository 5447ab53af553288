/**
 * The independent numpy/scikit-learn re-run of Collapse-or-Thrive's KDE experiment (test/fixtures/studies/
 * simulate_collapse_or_thrive_kde.py; written by make_collapse_or_thrive_kde_rerun_ts.py from its JSON, 4 significant
 * digits): per cell `shape h=H paradigm`, the mean and sd over the seeds of the test NLL at generations 0, 1, 9 and 29.
 * Made before looking at the engine's runs; the study's tolerances come from it.
 */

import type { RerunStat } from './collapse-or-thrive-rerun';

export const COLLAPSE_OR_THRIVE_KDE_RERUN_SEEDS = 20;

export const COLLAPSE_OR_THRIVE_KDE_RERUN: Record<string, Record<0 | 1 | 9 | 29, RerunStat>> = {
  'blobs h=0.1 replace': {
    0: { mean: 13.28, sd: 1.714 },
    1: { mean: 17.54, sd: 1.789 },
    9: { mean: 59.72, sd: 109.0 },
    29: { mean: 249.3, sd: 308.1 },
  },
  'blobs h=0.1 accumulate': {
    0: { mean: 13.28, sd: 1.714 },
    1: { mean: 12.62, sd: 1.655 },
    9: { mean: 10.52, sd: 1.361 },
    29: { mean: 8.931, sd: 1.16 },
  },
  'blobs h=0.1 accumulate-subsample': {
    0: { mean: 13.28, sd: 1.714 },
    1: { mean: 16.78, sd: 1.762 },
    9: { mean: 19.24, sd: 2.407 },
    29: { mean: 19.38, sd: 2.913 },
  },
  'blobs h=0.5 replace': {
    0: { mean: 4.092, sd: 0.09426 },
    1: { mean: 4.181, sd: 0.1181 },
    9: { mean: 5.793, sd: 2.636 },
    29: { mean: 9.493, sd: 4.869 },
  },
  'blobs h=0.5 accumulate': {
    0: { mean: 4.092, sd: 0.09426 },
    1: { mean: 4.091, sd: 0.09515 },
    9: { mean: 4.121, sd: 0.07798 },
    29: { mean: 4.159, sd: 0.07594 },
  },
  'blobs h=0.5 accumulate-subsample': {
    0: { mean: 4.092, sd: 0.09426 },
    1: { mean: 4.167, sd: 0.114 },
    9: { mean: 4.305, sd: 0.1439 },
    29: { mean: 4.339, sd: 0.1481 },
  },
  'blobs h=1.0 replace': {
    0: { mean: 4.144, sd: 0.05728 },
    1: { mean: 4.394, sd: 0.08009 },
    9: { mean: 5.624, sd: 0.3746 },
    29: { mean: 6.627, sd: 0.9164 },
  },
  'blobs h=1.0 accumulate': {
    0: { mean: 4.144, sd: 0.05728 },
    1: { mean: 4.249, sd: 0.06092 },
    9: { mean: 4.512, sd: 0.05543 },
    29: { mean: 4.676, sd: 0.05467 },
  },
  'blobs h=1.0 accumulate-subsample': {
    0: { mean: 4.144, sd: 0.05728 },
    1: { mean: 4.265, sd: 0.07243 },
    9: { mean: 4.567, sd: 0.09749 },
    29: { mean: 4.736, sd: 0.08536 },
  },
  'moons h=0.1 replace': {
    0: { mean: 1.159, sd: 0.05814 },
    1: { mean: 1.447, sd: 0.1154 },
    9: { mean: 3.482, sd: 0.9067 },
    29: { mean: 6.433, sd: 3.89 },
  },
  'moons h=0.1 accumulate': {
    0: { mean: 1.159, sd: 0.05814 },
    1: { mean: 1.228, sd: 0.04504 },
    9: { mean: 1.368, sd: 0.04067 },
    29: { mean: 1.441, sd: 0.03856 },
  },
  'moons h=0.1 accumulate-subsample': {
    0: { mean: 1.159, sd: 0.05814 },
    1: { mean: 1.326, sd: 0.05854 },
    9: { mean: 1.566, sd: 0.1202 },
    29: { mean: 1.655, sd: 0.1233 },
  },
  'moons h=0.5 replace': {
    0: { mean: 1.999, sd: 0.01282 },
    1: { mean: 2.248, sd: 0.06111 },
    9: { mean: 3.213, sd: 0.2143 },
    29: { mean: 4.195, sd: 0.5 },
  },
  'moons h=0.5 accumulate': {
    0: { mean: 1.999, sd: 0.01282 },
    1: { mean: 2.112, sd: 0.02868 },
    9: { mean: 2.358, sd: 0.03314 },
    29: { mean: 2.5, sd: 0.03414 },
  },
  'moons h=0.5 accumulate-subsample': {
    0: { mean: 1.999, sd: 0.01282 },
    1: { mean: 2.12, sd: 0.02834 },
    9: { mean: 2.343, sd: 0.07306 },
    29: { mean: 2.492, sd: 0.04936 },
  },
  'moons h=1.0 replace': {
    0: { mean: 2.542, sd: 0.007675 },
    1: { mean: 2.952, sd: 0.06652 },
    9: { mean: 4.33, sd: 0.3018 },
    29: { mean: 5.483, sd: 0.6214 },
  },
  'moons h=1.0 accumulate': {
    0: { mean: 2.542, sd: 0.007675 },
    1: { mean: 2.725, sd: 0.0275 },
    9: { mean: 3.121, sd: 0.03242 },
    29: { mean: 3.352, sd: 0.03461 },
  },
  'moons h=1.0 accumulate-subsample': {
    0: { mean: 2.542, sd: 0.007675 },
    1: { mean: 2.726, sd: 0.03571 },
    9: { mean: 3.092, sd: 0.0679 },
    29: { mean: 3.323, sd: 0.05327 },
  },
  'circles h=0.1 replace': {
    0: { mean: 1.025, sd: 0.0195 },
    1: { mean: 1.474, sd: 0.1007 },
    9: { mean: 2.951, sd: 0.6343 },
    29: { mean: 4.865, sd: 2.786 },
  },
  'circles h=0.1 accumulate': {
    0: { mean: 1.025, sd: 0.0195 },
    1: { mean: 1.157, sd: 0.0263 },
    9: { mean: 1.38, sd: 0.02158 },
    29: { mean: 1.474, sd: 0.02032 },
  },
  'circles h=0.1 accumulate-subsample': {
    0: { mean: 1.025, sd: 0.0195 },
    1: { mean: 1.277, sd: 0.05743 },
    9: { mean: 1.648, sd: 0.1335 },
    29: { mean: 1.772, sd: 0.1124 },
  },
  'circles h=0.5 replace': {
    0: { mean: 1.829, sd: 0.006208 },
    1: { mean: 2.044, sd: 0.03331 },
    9: { mean: 3.07, sd: 0.2194 },
    29: { mean: 4.239, sd: 0.6175 },
  },
  'circles h=0.5 accumulate': {
    0: { mean: 1.829, sd: 0.006208 },
    1: { mean: 1.929, sd: 0.01499 },
    9: { mean: 2.167, sd: 0.02478 },
    29: { mean: 2.316, sd: 0.02237 },
  },
  'circles h=0.5 accumulate-subsample': {
    0: { mean: 1.829, sd: 0.006208 },
    1: { mean: 1.931, sd: 0.03572 },
    9: { mean: 2.155, sd: 0.06083 },
    29: { mean: 2.339, sd: 0.08113 },
  },
  'circles h=1.0 replace': {
    0: { mean: 2.363, sd: 0.003741 },
    1: { mean: 2.816, sd: 0.05017 },
    9: { mean: 4.276, sd: 0.2688 },
    29: { mean: 5.501, sd: 0.5791 },
  },
  'circles h=1.0 accumulate': {
    0: { mean: 2.363, sd: 0.003741 },
    1: { mean: 2.563, sd: 0.01992 },
    9: { mean: 3.001, sd: 0.02852 },
    29: { mean: 3.254, sd: 0.02619 },
  },
  'circles h=1.0 accumulate-subsample': {
    0: { mean: 2.363, sd: 0.003741 },
    1: { mean: 2.561, sd: 0.04001 },
    9: { mean: 2.981, sd: 0.0748 },
    29: { mean: 3.256, sd: 0.09941 },
  },
  'swiss-roll h=0.1 replace': {
    0: { mean: 40.78, sd: 8.288 },
    1: { mean: 71.94, sd: 20.2 },
    9: { mean: 478.2, sd: 205.3 },
    29: { mean: 1445.0, sd: 575.7 },
  },
  'swiss-roll h=0.1 accumulate': {
    0: { mean: 40.78, sd: 8.288 },
    1: { mean: 38.93, sd: 8.174 },
    9: { mean: 33.15, sd: 7.59 },
    29: { mean: 28.73, sd: 7.263 },
  },
  'swiss-roll h=0.1 accumulate-subsample': {
    0: { mean: 40.78, sd: 8.288 },
    1: { mean: 61.83, sd: 14.16 },
    9: { mean: 88.1, sd: 22.16 },
    29: { mean: 86.54, sd: 23.67 },
  },
  'swiss-roll h=0.5 replace': {
    0: { mean: 6.136, sd: 0.3401 },
    1: { mean: 7.252, sd: 0.7595 },
    9: { mean: 18.25, sd: 5.823 },
    29: { mean: 42.08, sd: 16.94 },
  },
  'swiss-roll h=0.5 accumulate': {
    0: { mean: 6.136, sd: 0.3401 },
    1: { mean: 6.117, sd: 0.3228 },
    9: { mean: 6.021, sd: 0.252 },
    29: { mean: 5.985, sd: 0.1928 },
  },
  'swiss-roll h=0.5 accumulate-subsample': {
    0: { mean: 6.136, sd: 0.3401 },
    1: { mean: 6.844, sd: 0.5712 },
    9: { mean: 7.971, sd: 1.058 },
    29: { mean: 7.73, sd: 0.7887 },
  },
  'swiss-roll h=1.0 replace': {
    0: { mean: 5.793, sd: 0.1049 },
    1: { mean: 6.257, sd: 0.1831 },
    9: { mean: 8.399, sd: 0.9598 },
    29: { mean: 11.1, sd: 2.449 },
  },
  'swiss-roll h=1.0 accumulate': {
    0: { mean: 5.793, sd: 0.1049 },
    1: { mean: 5.903, sd: 0.101 },
    9: { mean: 6.106, sd: 0.08643 },
    29: { mean: 6.203, sd: 0.06955 },
  },
  'swiss-roll h=1.0 accumulate-subsample': {
    0: { mean: 5.793, sd: 0.1049 },
    1: { mean: 6.048, sd: 0.1529 },
    9: { mean: 6.485, sd: 0.2556 },
    29: { mean: 6.544, sd: 0.2002 },
  },
};
