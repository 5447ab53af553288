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
    0: { mean: 12.78, sd: 2.001 },
    1: { mean: 16.61, sd: 2.354 },
    9: { mean: 40.56, sd: 10.27 },
    29: { mean: 246.3, sd: 306.8 },
  },
  'blobs h=0.1 accumulate': {
    0: { mean: 12.78, sd: 2.001 },
    1: { mean: 12.09, sd: 1.9 },
    9: { mean: 9.919, sd: 1.596 },
    29: { mean: 8.477, sd: 1.27 },
  },
  'blobs h=0.1 accumulate-subsample': {
    0: { mean: 12.78, sd: 2.001 },
    1: { mean: 15.86, sd: 2.475 },
    9: { mean: 17.71, sd: 2.619 },
    29: { mean: 17.75, sd: 2.808 },
  },
  'blobs h=0.5 replace': {
    0: { mean: 4.075, sd: 0.1002 },
    1: { mean: 4.169, sd: 0.09759 },
    9: { mean: 5.329, sd: 0.7495 },
    29: { mean: 10.62, sd: 4.595 },
  },
  'blobs h=0.5 accumulate': {
    0: { mean: 4.075, sd: 0.1002 },
    1: { mean: 4.075, sd: 0.08819 },
    9: { mean: 4.12, sd: 0.06047 },
    29: { mean: 4.169, sd: 0.05982 },
  },
  'blobs h=0.5 accumulate-subsample': {
    0: { mean: 4.075, sd: 0.1002 },
    1: { mean: 4.146, sd: 0.1023 },
    9: { mean: 4.23, sd: 0.123 },
    29: { mean: 4.305, sd: 0.1031 },
  },
  'blobs h=1.0 replace': {
    0: { mean: 4.144, sd: 0.05305 },
    1: { mean: 4.407, sd: 0.06577 },
    9: { mean: 5.582, sd: 0.2229 },
    29: { mean: 6.855, sd: 1.005 },
  },
  'blobs h=1.0 accumulate': {
    0: { mean: 4.144, sd: 0.05305 },
    1: { mean: 4.253, sd: 0.04983 },
    9: { mean: 4.527, sd: 0.0433 },
    29: { mean: 4.697, sd: 0.04107 },
  },
  'blobs h=1.0 accumulate-subsample': {
    0: { mean: 4.144, sd: 0.05305 },
    1: { mean: 4.271, sd: 0.05858 },
    9: { mean: 4.522, sd: 0.07762 },
    29: { mean: 4.721, sd: 0.08394 },
  },
  'moons h=0.1 replace': {
    0: { mean: 1.28, sd: 0.06699 },
    1: { mean: 1.517, sd: 0.153 },
    9: { mean: 3.65, sd: 1.071 },
    29: { mean: 6.355, sd: 1.573 },
  },
  'moons h=0.1 accumulate': {
    0: { mean: 1.28, sd: 0.06699 },
    1: { mean: 1.321, sd: 0.07371 },
    9: { mean: 1.425, sd: 0.07046 },
    29: { mean: 1.491, sd: 0.06598 },
  },
  'moons h=0.1 accumulate-subsample': {
    0: { mean: 1.28, sd: 0.06699 },
    1: { mean: 1.453, sd: 0.112 },
    9: { mean: 1.699, sd: 0.1604 },
    29: { mean: 1.849, sd: 0.2402 },
  },
  'moons h=0.5 replace': {
    0: { mean: 2.012, sd: 0.01338 },
    1: { mean: 2.256, sd: 0.05559 },
    9: { mean: 3.256, sd: 0.2605 },
    29: { mean: 4.257, sd: 0.5929 },
  },
  'moons h=0.5 accumulate': {
    0: { mean: 2.012, sd: 0.01338 },
    1: { mean: 2.123, sd: 0.02596 },
    9: { mean: 2.363, sd: 0.03914 },
    29: { mean: 2.504, sd: 0.03691 },
  },
  'moons h=0.5 accumulate-subsample': {
    0: { mean: 2.012, sd: 0.01338 },
    1: { mean: 2.129, sd: 0.02833 },
    9: { mean: 2.368, sd: 0.06965 },
    29: { mean: 2.497, sd: 0.07361 },
  },
  'moons h=1.0 replace': {
    0: { mean: 2.544, sd: 0.007908 },
    1: { mean: 2.949, sd: 0.05809 },
    9: { mean: 4.378, sd: 0.3066 },
    29: { mean: 5.427, sd: 0.68 },
  },
  'moons h=1.0 accumulate': {
    0: { mean: 2.544, sd: 0.007908 },
    1: { mean: 2.724, sd: 0.02493 },
    9: { mean: 3.122, sd: 0.03413 },
    29: { mean: 3.352, sd: 0.02985 },
  },
  'moons h=1.0 accumulate-subsample': {
    0: { mean: 2.544, sd: 0.007908 },
    1: { mean: 2.727, sd: 0.0307 },
    9: { mean: 3.119, sd: 0.0681 },
    29: { mean: 3.325, sd: 0.08229 },
  },
  'circles h=0.1 replace': {
    0: { mean: 1.246, sd: 0.07306 },
    1: { mean: 1.668, sd: 0.1507 },
    9: { mean: 3.102, sd: 0.9225 },
    29: { mean: 4.758, sd: 1.936 },
  },
  'circles h=0.1 accumulate': {
    0: { mean: 1.246, sd: 0.07306 },
    1: { mean: 1.349, sd: 0.07704 },
    9: { mean: 1.507, sd: 0.05113 },
    29: { mean: 1.57, sd: 0.04561 },
  },
  'circles h=0.1 accumulate-subsample': {
    0: { mean: 1.246, sd: 0.07306 },
    1: { mean: 1.528, sd: 0.1419 },
    9: { mean: 1.83, sd: 0.1786 },
    29: { mean: 1.871, sd: 0.1767 },
  },
  'circles h=0.5 replace': {
    0: { mean: 1.843, sd: 0.01075 },
    1: { mean: 2.045, sd: 0.03771 },
    9: { mean: 3.033, sd: 0.2491 },
    29: { mean: 4.216, sd: 0.5051 },
  },
  'circles h=0.5 accumulate': {
    0: { mean: 1.843, sd: 0.01075 },
    1: { mean: 1.936, sd: 0.02017 },
    9: { mean: 2.166, sd: 0.03704 },
    29: { mean: 2.319, sd: 0.03592 },
  },
  'circles h=0.5 accumulate-subsample': {
    0: { mean: 1.843, sd: 0.01075 },
    1: { mean: 1.939, sd: 0.03274 },
    9: { mean: 2.176, sd: 0.09259 },
    29: { mean: 2.348, sd: 0.07921 },
  },
  'circles h=1.0 replace': {
    0: { mean: 2.365, sd: 0.005861 },
    1: { mean: 2.818, sd: 0.03753 },
    9: { mean: 4.261, sd: 0.2857 },
    29: { mean: 5.421, sd: 0.4851 },
  },
  'circles h=1.0 accumulate': {
    0: { mean: 2.365, sd: 0.005861 },
    1: { mean: 2.565, sd: 0.01565 },
    9: { mean: 3.0, sd: 0.0294 },
    29: { mean: 3.254, sd: 0.03083 },
  },
  'circles h=1.0 accumulate-subsample': {
    0: { mean: 2.365, sd: 0.005861 },
    1: { mean: 2.566, sd: 0.02936 },
    9: { mean: 2.997, sd: 0.09391 },
    29: { mean: 3.246, sd: 0.0977 },
  },
  'swiss-roll h=0.1 replace': {
    0: { mean: 37.09, sd: 5.54 },
    1: { mean: 62.11, sd: 14.81 },
    9: { mean: 481.1, sd: 324.7 },
    29: { mean: 1501.0, sd: 693.9 },
  },
  'swiss-roll h=0.1 accumulate': {
    0: { mean: 37.09, sd: 5.54 },
    1: { mean: 35.29, sd: 5.412 },
    9: { mean: 29.82, sd: 4.569 },
    29: { mean: 25.36, sd: 4.203 },
  },
  'swiss-roll h=0.1 accumulate-subsample': {
    0: { mean: 37.09, sd: 5.54 },
    1: { mean: 57.03, sd: 9.354 },
    9: { mean: 87.11, sd: 22.95 },
    29: { mean: 82.87, sd: 23.12 },
  },
  'swiss-roll h=0.5 replace': {
    0: { mean: 5.987, sd: 0.2122 },
    1: { mean: 6.968, sd: 0.4737 },
    9: { mean: 19.14, sd: 10.47 },
    29: { mean: 42.73, sd: 21.61 },
  },
  'swiss-roll h=0.5 accumulate': {
    0: { mean: 5.987, sd: 0.2122 },
    1: { mean: 5.976, sd: 0.1919 },
    9: { mean: 5.927, sd: 0.1291 },
    29: { mean: 5.902, sd: 0.1002 },
  },
  'swiss-roll h=0.5 accumulate-subsample': {
    0: { mean: 5.987, sd: 0.2122 },
    1: { mean: 6.712, sd: 0.3194 },
    9: { mean: 7.915, sd: 0.8603 },
    29: { mean: 7.664, sd: 0.8831 },
  },
  'swiss-roll h=1.0 replace': {
    0: { mean: 5.746, sd: 0.06484 },
    1: { mean: 6.209, sd: 0.08221 },
    9: { mean: 8.676, sd: 1.553 },
    29: { mean: 11.23, sd: 3.328 },
  },
  'swiss-roll h=1.0 accumulate': {
    0: { mean: 5.746, sd: 0.06484 },
    1: { mean: 5.864, sd: 0.06359 },
    9: { mean: 6.074, sd: 0.05506 },
    29: { mean: 6.182, sd: 0.05418 },
  },
  'swiss-roll h=1.0 accumulate-subsample': {
    0: { mean: 5.746, sd: 0.06484 },
    1: { mean: 6.011, sd: 0.08924 },
    9: { mean: 6.49, sd: 0.2081 },
    29: { mean: 6.546, sd: 0.2288 },
  },
};
