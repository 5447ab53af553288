/**
 * The independent numpy re-run of Collapse-or-Thrive's Gaussians (test/fixtures/studies/
 * simulate_collapse_or_thrive_gaussians.py; written by make_collapse_or_thrive_rerun_ts.py from its JSON, 4 significant
 * digits): per cell `d=D n=N paradigm`, the mean and sd over the seeds of ‖μ̂ − μ‖², Tr Σ̂ and log det Σ̂ at
 * generations 0, 1, 9 and 99. Made before looking at the engine's runs; the study's tolerances come from it.
 */

export interface RerunStat {
  mean: number;
  sd: number;
}
type AtGenerations = Record<0 | 1 | 9 | 99, RerunStat>;

export const COLLAPSE_OR_THRIVE_RERUN_SEEDS = 100;

export const COLLAPSE_OR_THRIVE_RERUN: Record<string, { meanSqError: AtGenerations; trace: AtGenerations; logDet: AtGenerations }> = {
  'd=1 n=10 replace': {
    meanSqError: {
      0: { mean: 0.09828, sd: 0.1501 },
      1: { mean: 0.1676, sd: 0.2379 },
      9: { mean: 0.5963, sd: 0.9222 },
      99: { mean: 0.7707, sd: 1.775 },
    },
    trace: {
      0: { mean: 0.8757, sd: 0.45 },
      1: { mean: 0.6823, sd: 0.5115 },
      9: { mean: 0.3015, sd: 0.8953 },
      99: { mean: 1.016e-5, sd: 1.319e-5 },
    },
    logDet: {
      0: { mean: -0.2608, sd: 0.5263 },
      1: { mean: -0.6414, sd: 0.7525 },
      9: { mean: -2.73, sd: 1.783 },
      99: { mean: -11.9, sd: 0.8144 },
    },
  },
  'd=1 n=10 accumulate': {
    meanSqError: {
      0: { mean: 0.09828, sd: 0.1501 },
      1: { mean: 0.1137, sd: 0.1713 },
      9: { mean: 0.1401, sd: 0.1992 },
      99: { mean: 0.1467, sd: 0.1928 },
    },
    trace: {
      0: { mean: 0.8757, sd: 0.45 },
      1: { mean: 0.7982, sd: 0.4377 },
      9: { mean: 0.7446, sd: 0.501 },
      99: { mean: 0.7283, sd: 0.5048 },
    },
    logDet: {
      0: { mean: -0.2608, sd: 0.5263 },
      1: { mean: -0.3728, sd: 0.5651 },
      9: { mean: -0.4825, sd: 0.6197 },
      99: { mean: -0.5161, sd: 0.6428 },
    },
  },
  'd=1 n=10 accumulate-subsample': {
    meanSqError: {
      0: { mean: 0.09828, sd: 0.1501 },
      1: { mean: 0.1645, sd: 0.2792 },
      9: { mean: 0.2216, sd: 0.3304 },
      99: { mean: 0.2231, sd: 0.3518 },
    },
    trace: {
      0: { mean: 0.8757, sd: 0.45 },
      1: { mean: 0.7645, sd: 0.4883 },
      9: { mean: 0.7058, sd: 0.7535 },
      99: { mean: 0.6649, sd: 0.5774 },
    },
    logDet: {
      0: { mean: -0.2608, sd: 0.5263 },
      1: { mean: -0.4603, sd: 0.6397 },
      9: { mean: -0.7534, sd: 0.9258 },
      99: { mean: -0.764, sd: 0.8912 },
    },
  },
  'd=1 n=32 replace': {
    meanSqError: {
      0: { mean: 0.03017, sd: 0.04378 },
      1: { mean: 0.05383, sd: 0.07194 },
      9: { mean: 0.2696, sd: 0.5788 },
      99: { mean: 0.6514, sd: 1.348 },
    },
    trace: {
      0: { mean: 0.9132, sd: 0.2333 },
      1: { mean: 0.8672, sd: 0.345 },
      9: { mean: 0.6012, sd: 0.5618 },
      99: { mean: 0.01031, sd: 0.0346 },
    },
    logDet: {
      0: { mean: -0.124, sd: 0.2621 },
      1: { mean: -0.2132, sd: 0.3745 },
      9: { mean: -0.8419, sd: 0.836 },
      99: { mean: -6.845, sd: 2.158 },
    },
  },
  'd=1 n=32 accumulate': {
    meanSqError: {
      0: { mean: 0.03017, sd: 0.04378 },
      1: { mean: 0.03638, sd: 0.05371 },
      9: { mean: 0.04968, sd: 0.07848 },
      99: { mean: 0.0507, sd: 0.08541 },
    },
    trace: {
      0: { mean: 0.9132, sd: 0.2333 },
      1: { mean: 0.8958, sd: 0.2731 },
      9: { mean: 0.871, sd: 0.3033 },
      99: { mean: 0.8599, sd: 0.3052 },
    },
    logDet: {
      0: { mean: -0.124, sd: 0.2621 },
      1: { mean: -0.154, sd: 0.2974 },
      9: { mean: -0.196, sd: 0.3436 },
      99: { mean: -0.2111, sd: 0.3512 },
    },
  },
  'd=1 n=32 accumulate-subsample': {
    meanSqError: {
      0: { mean: 0.03017, sd: 0.04378 },
      1: { mean: 0.04578, sd: 0.05835 },
      9: { mean: 0.07886, sd: 0.1028 },
      99: { mean: 0.07991, sd: 0.1169 },
    },
    trace: {
      0: { mean: 0.9132, sd: 0.2333 },
      1: { mean: 0.8731, sd: 0.2928 },
      9: { mean: 0.8466, sd: 0.3412 },
      99: { mean: 0.8244, sd: 0.3422 },
    },
    logDet: {
      0: { mean: -0.124, sd: 0.2621 },
      1: { mean: -0.1923, sd: 0.3428 },
      9: { mean: -0.2453, sd: 0.4032 },
      99: { mean: -0.2822, sd: 0.4366 },
    },
  },
  'd=1 n=100 replace': {
    meanSqError: {
      0: { mean: 0.01017, sd: 0.01394 },
      1: { mean: 0.02028, sd: 0.03129 },
      9: { mean: 0.08509, sd: 0.1569 },
      99: { mean: 0.5487, sd: 1.038 },
    },
    trace: {
      0: { mean: 0.9462, sd: 0.155 },
      1: { mean: 0.9393, sd: 0.2046 },
      9: { mean: 0.8098, sd: 0.3737 },
      99: { mean: 0.2107, sd: 0.2941 },
    },
    logDet: {
      0: { mean: -0.06834, sd: 0.1624 },
      1: { mean: -0.08625, sd: 0.2195 },
      9: { mean: -0.3089, sd: 0.448 },
      99: { mean: -2.203, sd: 1.215 },
    },
  },
  'd=1 n=100 accumulate': {
    meanSqError: {
      0: { mean: 0.01017, sd: 0.01394 },
      1: { mean: 0.01285, sd: 0.01861 },
      9: { mean: 0.01652, sd: 0.02805 },
      99: { mean: 0.01734, sd: 0.03094 },
    },
    trace: {
      0: { mean: 0.9462, sd: 0.155 },
      1: { mean: 0.9451, sd: 0.1703 },
      9: { mean: 0.9286, sd: 0.1751 },
      99: { mean: 0.9253, sd: 0.179 },
    },
    logDet: {
      0: { mean: -0.06834, sd: 0.1624 },
      1: { mean: -0.0725, sd: 0.1807 },
      9: { mean: -0.09184, sd: 0.191 },
      99: { mean: -0.09648, sd: 0.1969 },
    },
  },
  'd=1 n=100 accumulate-subsample': {
    meanSqError: {
      0: { mean: 0.01017, sd: 0.01394 },
      1: { mean: 0.0182, sd: 0.02745 },
      9: { mean: 0.02476, sd: 0.03387 },
      99: { mean: 0.02691, sd: 0.03476 },
    },
    trace: {
      0: { mean: 0.9462, sd: 0.155 },
      1: { mean: 0.9491, sd: 0.2205 },
      9: { mean: 0.8917, sd: 0.2142 },
      99: { mean: 0.9183, sd: 0.2575 },
    },
    logDet: {
      0: { mean: -0.06834, sd: 0.1624 },
      1: { mean: -0.07842, sd: 0.2298 },
      9: { mean: -0.1419, sd: 0.2338 },
      99: { mean: -0.1201, sd: 0.262 },
    },
  },
  'd=1 n=316 replace': {
    meanSqError: {
      0: { mean: 0.00358, sd: 0.006393 },
      1: { mean: 0.006538, sd: 0.0097 },
      9: { mean: 0.03173, sd: 0.05075 },
      99: { mean: 0.267, sd: 0.3329 },
    },
    trace: {
      0: { mean: 0.976, sd: 0.07725 },
      1: { mean: 0.963, sd: 0.1018 },
      9: { mean: 0.9143, sd: 0.2039 },
      99: { mean: 0.6241, sd: 0.4784 },
    },
    logDet: {
      0: { mean: -0.0274, sd: 0.08003 },
      1: { mean: -0.04323, sd: 0.1059 },
      9: { mean: -0.1146, sd: 0.2278 },
      99: { mean: -0.7629, sd: 0.7949 },
    },
  },
  'd=1 n=316 accumulate': {
    meanSqError: {
      0: { mean: 0.00358, sd: 0.006393 },
      1: { mean: 0.004323, sd: 0.007199 },
      9: { mean: 0.005799, sd: 0.01143 },
      99: { mean: 0.006125, sd: 0.01143 },
    },
    trace: {
      0: { mean: 0.976, sd: 0.07725 },
      1: { mean: 0.9703, sd: 0.08365 },
      9: { mean: 0.9661, sd: 0.09144 },
      99: { mean: 0.9655, sd: 0.09355 },
    },
    logDet: {
      0: { mean: -0.0274, sd: 0.08003 },
      1: { mean: -0.03391, sd: 0.08694 },
      9: { mean: -0.039, sd: 0.09642 },
      99: { mean: -0.03986, sd: 0.09885 },
    },
  },
  'd=1 n=316 accumulate-subsample': {
    meanSqError: {
      0: { mean: 0.00358, sd: 0.006393 },
      1: { mean: 0.006631, sd: 0.01068 },
      9: { mean: 0.01023, sd: 0.01607 },
      99: { mean: 0.01249, sd: 0.01554 },
    },
    trace: {
      0: { mean: 0.976, sd: 0.07725 },
      1: { mean: 0.9713, sd: 0.08809 },
      9: { mean: 0.9714, sd: 0.1304 },
      99: { mean: 0.9732, sd: 0.1352 },
    },
    logDet: {
      0: { mean: -0.0274, sd: 0.08003 },
      1: { mean: -0.0332, sd: 0.09127 },
      9: { mean: -0.03792, sd: 0.134 },
      99: { mean: -0.03657, sd: 0.1379 },
    },
  },
  'd=1 n=1000 replace': {
    meanSqError: {
      0: { mean: 0.001002, sd: 0.00196 },
      1: { mean: 0.00231, sd: 0.003664 },
      9: { mean: 0.01162, sd: 0.01612 },
      99: { mean: 0.09464, sd: 0.1301 },
    },
    trace: {
      0: { mean: 0.9894, sd: 0.04395 },
      1: { mean: 0.9822, sd: 0.05847 },
      9: { mean: 0.9705, sd: 0.1149 },
      99: { mean: 0.9157, sd: 0.4802 },
    },
    logDet: {
      0: { mean: -0.01166, sd: 0.04455 },
      1: { mean: -0.0197, sd: 0.05987 },
      9: { mean: -0.03697, sd: 0.1203 },
      99: { mean: -0.2104, sd: 0.4965 },
    },
  },
  'd=1 n=1000 accumulate': {
    meanSqError: {
      0: { mean: 0.001002, sd: 0.00196 },
      1: { mean: 0.001435, sd: 0.002492 },
      9: { mean: 0.001797, sd: 0.002945 },
      99: { mean: 0.00192, sd: 0.002984 },
    },
    trace: {
      0: { mean: 0.9894, sd: 0.04395 },
      1: { mean: 0.986, sd: 0.04684 },
      9: { mean: 0.9861, sd: 0.04915 },
      99: { mean: 0.9854, sd: 0.05201 },
    },
    logDet: {
      0: { mean: -0.01166, sd: 0.04455 },
      1: { mean: -0.0152, sd: 0.04764 },
      9: { mean: -0.01525, sd: 0.05024 },
      99: { mean: -0.01606, sd: 0.05326 },
    },
  },
  'd=1 n=1000 accumulate-subsample': {
    meanSqError: {
      0: { mean: 0.001002, sd: 0.00196 },
      1: { mean: 0.001635, sd: 0.002441 },
      9: { mean: 0.002181, sd: 0.003302 },
      99: { mean: 0.002788, sd: 0.0038 },
    },
    trace: {
      0: { mean: 0.9894, sd: 0.04395 },
      1: { mean: 0.9836, sd: 0.05251 },
      9: { mean: 0.9791, sd: 0.06222 },
      99: { mean: 0.9742, sd: 0.07224 },
    },
    logDet: {
      0: { mean: -0.01166, sd: 0.04455 },
      1: { mean: -0.01792, sd: 0.05375 },
      9: { mean: -0.02309, sd: 0.06302 },
      99: { mean: -0.02882, sd: 0.07436 },
    },
  },
  'd=3 n=10 replace': {
    meanSqError: {
      0: { mean: 0.2455, sd: 0.1755 },
      1: { mean: 0.4777, sd: 0.4032 },
      9: { mean: 1.729, sd: 1.989 },
      99: { mean: 2.351, sd: 3.0 },
    },
    trace: {
      0: { mean: 2.602, sd: 0.7083 },
      1: { mean: 2.24, sd: 0.9624 },
      9: { mean: 0.7823, sd: 1.38 },
      99: { mean: 3.777e-5, sd: 0.0001088 },
    },
    logDet: {
      0: { mean: -1.225, sd: 0.9518 },
      1: { mean: -2.477, sd: 1.324 },
      9: { mean: -11.39, sd: 2.947 },
      99: { mean: -36.46, sd: 1.077 },
    },
  },
  'd=3 n=10 accumulate': {
    meanSqError: {
      0: { mean: 0.2455, sd: 0.1755 },
      1: { mean: 0.302, sd: 0.2498 },
      9: { mean: 0.3798, sd: 0.3285 },
      99: { mean: 0.4119, sd: 0.3651 },
    },
    trace: {
      0: { mean: 2.602, sd: 0.7083 },
      1: { mean: 2.48, sd: 0.7757 },
      9: { mean: 2.349, sd: 0.8557 },
      99: { mean: 2.313, sd: 0.8673 },
    },
    logDet: {
      0: { mean: -1.225, sd: 0.9518 },
      1: { mean: -1.5, sd: 1.033 },
      9: { mean: -1.82, sd: 1.164 },
      99: { mean: -1.927, sd: 1.167 },
    },
  },
  'd=3 n=10 accumulate-subsample': {
    meanSqError: {
      0: { mean: 0.2455, sd: 0.1755 },
      1: { mean: 0.4302, sd: 0.3046 },
      9: { mean: 0.5909, sd: 0.487 },
      99: { mean: 0.8424, sd: 0.8135 },
    },
    trace: {
      0: { mean: 2.602, sd: 0.7083 },
      1: { mean: 2.332, sd: 0.7833 },
      9: { mean: 2.165, sd: 1.003 },
      99: { mean: 2.021, sd: 0.9777 },
    },
    logDet: {
      0: { mean: -1.225, sd: 0.9518 },
      1: { mean: -2.053, sd: 1.09 },
      9: { mean: -2.972, sd: 1.475 },
      99: { mean: -3.28, sd: 1.413 },
    },
  },
  'd=3 n=32 replace': {
    meanSqError: {
      0: { mean: 0.08701, sd: 0.0669 },
      1: { mean: 0.1851, sd: 0.1474 },
      9: { mean: 0.7496, sd: 0.7922 },
      99: { mean: 2.823, sd: 4.022 },
    },
    trace: {
      0: { mean: 2.781, sd: 0.469 },
      1: { mean: 2.705, sd: 0.6133 },
      9: { mean: 1.988, sd: 1.144 },
      99: { mean: 0.051, sd: 0.1233 },
    },
    logDet: {
      0: { mean: -0.4382, sd: 0.5307 },
      1: { mean: -0.7361, sd: 0.6863 },
      9: { mean: -3.302, sd: 1.471 },
      99: { mean: -25.98, sd: 2.952 },
    },
  },
  'd=3 n=32 accumulate': {
    meanSqError: {
      0: { mean: 0.08701, sd: 0.0669 },
      1: { mean: 0.1149, sd: 0.08839 },
      9: { mean: 0.1458, sd: 0.1227 },
      99: { mean: 0.1517, sd: 0.134 },
    },
    trace: {
      0: { mean: 2.781, sd: 0.469 },
      1: { mean: 2.764, sd: 0.517 },
      9: { mean: 2.701, sd: 0.5268 },
      99: { mean: 2.689, sd: 0.5377 },
    },
    logDet: {
      0: { mean: -0.4382, sd: 0.5307 },
      1: { mean: -0.5053, sd: 0.5755 },
      9: { mean: -0.6259, sd: 0.6059 },
      99: { mean: -0.661, sd: 0.6211 },
    },
  },
  'd=3 n=32 accumulate-subsample': {
    meanSqError: {
      0: { mean: 0.08701, sd: 0.0669 },
      1: { mean: 0.1693, sd: 0.1241 },
      9: { mean: 0.223, sd: 0.171 },
      99: { mean: 0.2658, sd: 0.2243 },
    },
    trace: {
      0: { mean: 2.781, sd: 0.469 },
      1: { mean: 2.719, sd: 0.6033 },
      9: { mean: 2.588, sd: 0.7173 },
      99: { mean: 2.576, sd: 0.6768 },
    },
    logDet: {
      0: { mean: -0.4382, sd: 0.5307 },
      1: { mean: -0.6735, sd: 0.6998 },
      9: { mean: -0.9894, sd: 0.7909 },
      99: { mean: -1.044, sd: 0.7891 },
    },
  },
  'd=3 n=100 replace': {
    meanSqError: {
      0: { mean: 0.0303, sd: 0.02653 },
      1: { mean: 0.06672, sd: 0.05835 },
      9: { mean: 0.3047, sd: 0.2826 },
      99: { mean: 1.971, sd: 2.197 },
    },
    trace: { 0: { mean: 2.91, sd: 0.245 }, 1: { mean: 2.853, sd: 0.3179 }, 9: { mean: 2.577, sd: 0.6309 }, 99: { mean: 0.912, sd: 1.099 } },
    logDet: {
      0: { mean: -0.1548, sd: 0.2574 },
      1: { mean: -0.2754, sd: 0.3389 },
      9: { mean: -1.067, sd: 0.6797 },
      99: { mean: -9.581, sd: 2.564 },
    },
  },
  'd=3 n=100 accumulate': {
    meanSqError: {
      0: { mean: 0.0303, sd: 0.02653 },
      1: { mean: 0.0412, sd: 0.03443 },
      9: { mean: 0.05045, sd: 0.04769 },
      99: { mean: 0.05178, sd: 0.04925 },
    },
    trace: {
      0: { mean: 2.91, sd: 0.245 },
      1: { mean: 2.888, sd: 0.2621 },
      9: { mean: 2.872, sd: 0.2855 },
      99: { mean: 2.869, sd: 0.2954 },
    },
    logDet: {
      0: { mean: -0.1548, sd: 0.2574 },
      1: { mean: -0.1926, sd: 0.277 },
      9: { mean: -0.2277, sd: 0.3028 },
      99: { mean: -0.2388, sd: 0.3132 },
    },
  },
  'd=3 n=100 accumulate-subsample': {
    meanSqError: {
      0: { mean: 0.0303, sd: 0.02653 },
      1: { mean: 0.05764, sd: 0.04736 },
      9: { mean: 0.07803, sd: 0.06811 },
      99: { mean: 0.0816, sd: 0.06439 },
    },
    trace: { 0: { mean: 2.91, sd: 0.245 }, 1: { mean: 2.897, sd: 0.283 }, 9: { mean: 2.914, sd: 0.3745 }, 99: { mean: 2.888, sd: 0.3859 } },
    logDet: {
      0: { mean: -0.1548, sd: 0.2574 },
      1: { mean: -0.2118, sd: 0.2951 },
      9: { mean: -0.2689, sd: 0.4077 },
      99: { mean: -0.2729, sd: 0.3923 },
    },
  },
  'd=3 n=316 replace': {
    meanSqError: {
      0: { mean: 0.009639, sd: 0.009588 },
      1: { mean: 0.02033, sd: 0.01578 },
      9: { mean: 0.09985, sd: 0.08018 },
      99: { mean: 0.8881, sd: 1.154 },
    },
    trace: {
      0: { mean: 2.958, sd: 0.1361 },
      1: { mean: 2.936, sd: 0.1812 },
      9: { mean: 2.852, sd: 0.3881 },
      99: { mean: 2.29, sd: 1.504 },
    },
    logDet: {
      0: { mean: -0.06171, sd: 0.1392 },
      1: { mean: -0.1035, sd: 0.1856 },
      9: { mean: -0.3515, sd: 0.3843 },
      99: { mean: -2.886, sd: 1.469 },
    },
  },
  'd=3 n=316 accumulate': {
    meanSqError: {
      0: { mean: 0.009639, sd: 0.009588 },
      1: { mean: 0.01258, sd: 0.01106 },
      9: { mean: 0.01545, sd: 0.01363 },
      99: { mean: 0.01633, sd: 0.01382 },
    },
    trace: {
      0: { mean: 2.958, sd: 0.1361 },
      1: { mean: 2.949, sd: 0.144 },
      9: { mean: 2.947, sd: 0.154 },
      99: { mean: 2.944, sd: 0.1597 },
    },
    logDet: {
      0: { mean: -0.06171, sd: 0.1392 },
      1: { mean: -0.07499, sd: 0.1473 },
      9: { mean: -0.08414, sd: 0.1572 },
      99: { mean: -0.08771, sd: 0.1629 },
    },
  },
  'd=3 n=316 accumulate-subsample': {
    meanSqError: {
      0: { mean: 0.009639, sd: 0.009588 },
      1: { mean: 0.01698, sd: 0.01681 },
      9: { mean: 0.02555, sd: 0.01599 },
      99: { mean: 0.02838, sd: 0.02321 },
    },
    trace: {
      0: { mean: 2.958, sd: 0.1361 },
      1: { mean: 2.956, sd: 0.1757 },
      9: { mean: 2.936, sd: 0.2156 },
      99: { mean: 2.918, sd: 0.2387 },
    },
    logDet: {
      0: { mean: -0.06171, sd: 0.1392 },
      1: { mean: -0.07884, sd: 0.1792 },
      9: { mean: -0.1152, sd: 0.2215 },
      99: { mean: -0.1397, sd: 0.2398 },
    },
  },
  'd=3 n=1000 replace': {
    meanSqError: {
      0: { mean: 0.00326, sd: 0.002768 },
      1: { mean: 0.005974, sd: 0.004707 },
      9: { mean: 0.03257, sd: 0.02444 },
      99: { mean: 0.2574, sd: 0.1826 },
    },
    trace: {
      0: { mean: 2.983, sd: 0.06627 },
      1: { mean: 2.983, sd: 0.1033 },
      9: { mean: 2.938, sd: 0.2485 },
      99: { mean: 2.766, sd: 0.8092 },
    },
    logDet: {
      0: { mean: -0.02255, sd: 0.06698 },
      1: { mean: -0.0298, sd: 0.1034 },
      9: { mean: -0.1276, sd: 0.2539 },
      99: { mean: -0.8877, sd: 0.8309 },
    },
  },
  'd=3 n=1000 accumulate': {
    meanSqError: {
      0: { mean: 0.00326, sd: 0.002768 },
      1: { mean: 0.003855, sd: 0.003075 },
      9: { mean: 0.004708, sd: 0.003631 },
      99: { mean: 0.00494, sd: 0.003738 },
    },
    trace: {
      0: { mean: 2.983, sd: 0.06627 },
      1: { mean: 2.984, sd: 0.07772 },
      9: { mean: 2.98, sd: 0.08437 },
      99: { mean: 2.98, sd: 0.08972 },
    },
    logDet: {
      0: { mean: -0.02255, sd: 0.06698 },
      1: { mean: -0.02374, sd: 0.07819 },
      9: { mean: -0.03001, sd: 0.08473 },
      99: { mean: -0.03039, sd: 0.09031 },
    },
  },
  'd=3 n=1000 accumulate-subsample': {
    meanSqError: {
      0: { mean: 0.00326, sd: 0.002768 },
      1: { mean: 0.005483, sd: 0.004246 },
      9: { mean: 0.00805, sd: 0.006454 },
      99: { mean: 0.008932, sd: 0.006554 },
    },
    trace: {
      0: { mean: 2.983, sd: 0.06627 },
      1: { mean: 2.988, sd: 0.1042 },
      9: { mean: 2.971, sd: 0.1138 },
      99: { mean: 2.965, sd: 0.117 },
    },
    logDet: {
      0: { mean: -0.02255, sd: 0.06698 },
      1: { mean: -0.02309, sd: 0.1045 },
      9: { mean: -0.0449, sd: 0.1123 },
      99: { mean: -0.05212, sd: 0.1191 },
    },
  },
  'd=10 n=10 replace': {
    meanSqError: {
      0: { mean: 0.9672, sd: 0.4603 },
      1: { mean: 1.835, sd: 0.9479 },
      9: { mean: 6.3, sd: 5.245 },
      99: { mean: 9.215, sd: 9.044 },
    },
    trace: {
      0: { mean: 8.597, sd: 1.418 },
      1: { mean: 7.559, sd: 1.962 },
      9: { mean: 3.005, sd: 3.401 },
      99: { mean: 0.0001191, sd: 0.0001785 },
    },
    logDet: {
      0: { mean: -21.96, sd: 2.57 },
      1: { mean: -33.01, sd: 3.878 },
      9: { mean: -85.38, sd: 3.828 },
      99: { mean: -126.0, sd: 1.63 },
    },
  },
  'd=10 n=10 accumulate': {
    meanSqError: {
      0: { mean: 0.9672, sd: 0.4603 },
      1: { mean: 1.173, sd: 0.5753 },
      9: { mean: 1.432, sd: 0.7587 },
      99: { mean: 1.549, sd: 0.8399 },
    },
    trace: { 0: { mean: 8.597, sd: 1.418 }, 1: { mean: 8.306, sd: 1.52 }, 9: { mean: 8.017, sd: 1.642 }, 99: { mean: 7.926, sd: 1.695 } },
    logDet: {
      0: { mean: -21.96, sd: 2.57 },
      1: { mean: -22.89, sd: 2.62 },
      9: { mean: -23.86, sd: 2.534 },
      99: { mean: -23.7, sd: 2.581 },
    },
  },
  'd=10 n=10 accumulate-subsample': {
    meanSqError: {
      0: { mean: 0.9672, sd: 0.4603 },
      1: { mean: 1.63, sd: 0.8232 },
      9: { mean: 2.184, sd: 1.121 },
      99: { mean: 2.414, sd: 1.49 },
    },
    trace: { 0: { mean: 8.597, sd: 1.418 }, 1: { mean: 7.65, sd: 1.661 }, 9: { mean: 6.848, sd: 2.523 }, 99: { mean: 6.63, sd: 2.79 } },
    logDet: {
      0: { mean: -21.96, sd: 2.57 },
      1: { mean: -31.14, sd: 3.941 },
      9: { mean: -37.04, sd: 4.109 },
      99: { mean: -38.14, sd: 4.205 },
    },
  },
  'd=10 n=32 replace': {
    meanSqError: {
      0: { mean: 0.3079, sd: 0.137 },
      1: { mean: 0.5995, sd: 0.2683 },
      9: { mean: 2.653, sd: 1.679 },
      99: { mean: 12.43, sd: 41.53 },
    },
    trace: { 0: { mean: 9.492, sd: 0.7811 }, 1: { mean: 9.098, sd: 1.05 }, 9: { mean: 7.003, sd: 2.872 }, 99: { mean: 0.5074, sd: 1.954 } },
    logDet: {
      0: { mean: -2.528, sd: 0.9413 },
      1: { mean: -4.952, sd: 1.236 },
      9: { mean: -23.87, sd: 2.725 },
      99: { mean: -106.1, sd: 3.86 },
    },
  },
  'd=10 n=32 accumulate': {
    meanSqError: {
      0: { mean: 0.3079, sd: 0.137 },
      1: { mean: 0.3845, sd: 0.1703 },
      9: { mean: 0.4895, sd: 0.2311 },
      99: { mean: 0.5124, sd: 0.2378 },
    },
    trace: {
      0: { mean: 9.492, sd: 0.7811 },
      1: { mean: 9.364, sd: 0.8433 },
      9: { mean: 9.284, sd: 0.9487 },
      99: { mean: 9.261, sd: 0.975 },
    },
    logDet: {
      0: { mean: -2.528, sd: 0.9413 },
      1: { mean: -3.061, sd: 0.9837 },
      9: { mean: -3.67, sd: 1.081 },
      99: { mean: -3.847, sd: 1.103 },
    },
  },
  'd=10 n=32 accumulate-subsample': {
    meanSqError: {
      0: { mean: 0.3079, sd: 0.137 },
      1: { mean: 0.5061, sd: 0.2442 },
      9: { mean: 0.7586, sd: 0.3783 },
      99: { mean: 0.8695, sd: 0.4465 },
    },
    trace: {
      0: { mean: 9.492, sd: 0.7811 },
      1: { mean: 9.208, sd: 0.9639 },
      9: { mean: 8.796, sd: 1.316 },
      99: { mean: 8.926, sd: 1.419 },
    },
    logDet: {
      0: { mean: -2.528, sd: 0.9413 },
      1: { mean: -4.352, sd: 1.135 },
      9: { mean: -6.306, sd: 1.533 },
      99: { mean: -6.77, sd: 1.494 },
    },
  },
  'd=10 n=100 replace': {
    meanSqError: {
      0: { mean: 0.09862, sd: 0.04177 },
      1: { mean: 0.1997, sd: 0.09955 },
      9: { mean: 0.9987, sd: 0.5578 },
      99: { mean: 6.571, sd: 8.692 },
    },
    trace: {
      0: { mean: 9.805, sd: 0.4396 },
      1: { mean: 9.677, sd: 0.5919 },
      9: { mean: 8.995, sd: 1.264 },
      99: { mean: 4.378, sd: 5.568 },
    },
    logDet: {
      0: { mean: -0.7742, sd: 0.4704 },
      1: { mean: -1.506, sd: 0.6293 },
      9: { mean: -6.944, sd: 1.259 },
      99: { mean: -62.97, sd: 4.337 },
    },
  },
  'd=10 n=100 accumulate': {
    meanSqError: {
      0: { mean: 0.09862, sd: 0.04177 },
      1: { mean: 0.1258, sd: 0.05823 },
      9: { mean: 0.1579, sd: 0.07348 },
      99: { mean: 0.1652, sd: 0.07621 },
    },
    trace: {
      0: { mean: 9.805, sd: 0.4396 },
      1: { mean: 9.764, sd: 0.4648 },
      9: { mean: 9.747, sd: 0.486 },
      99: { mean: 9.734, sd: 0.5216 },
    },
    logDet: {
      0: { mean: -0.7742, sd: 0.4704 },
      1: { mean: -0.9627, sd: 0.5017 },
      9: { mean: -1.152, sd: 0.5268 },
      99: { mean: -1.213, sd: 0.5522 },
    },
  },
  'd=10 n=100 accumulate-subsample': {
    meanSqError: {
      0: { mean: 0.09862, sd: 0.04177 },
      1: { mean: 0.1705, sd: 0.07646 },
      9: { mean: 0.2463, sd: 0.1 },
      99: { mean: 0.2895, sd: 0.1332 },
    },
    trace: {
      0: { mean: 9.805, sd: 0.4396 },
      1: { mean: 9.757, sd: 0.5372 },
      9: { mean: 9.744, sd: 0.6963 },
      99: { mean: 9.683, sd: 0.7866 },
    },
    logDet: {
      0: { mean: -0.7742, sd: 0.4704 },
      1: { mean: -1.283, sd: 0.5684 },
      9: { mean: -1.832, sd: 0.6943 },
      99: { mean: -2.029, sd: 0.7604 },
    },
  },
  'd=10 n=316 replace': {
    meanSqError: {
      0: { mean: 0.0332, sd: 0.0166 },
      1: { mean: 0.06098, sd: 0.0286 },
      9: { mean: 0.301, sd: 0.1289 },
      99: { mean: 2.513, sd: 1.579 },
    },
    trace: {
      0: { mean: 9.917, sd: 0.2273 },
      1: { mean: 9.908, sd: 0.3267 },
      9: { mean: 9.572, sd: 0.8366 },
      99: { mean: 7.416, sd: 2.737 },
    },
    logDet: {
      0: { mean: -0.2674, sd: 0.237 },
      1: { mean: -0.4584, sd: 0.3492 },
      9: { mean: -2.233, sd: 0.8121 },
      99: { mean: -20.78, sd: 2.731 },
    },
  },
  'd=10 n=316 accumulate': {
    meanSqError: {
      0: { mean: 0.0332, sd: 0.0166 },
      1: { mean: 0.03951, sd: 0.01881 },
      9: { mean: 0.05051, sd: 0.02342 },
      99: { mean: 0.05398, sd: 0.02548 },
    },
    trace: {
      0: { mean: 9.917, sd: 0.2273 },
      1: { mean: 9.92, sd: 0.2532 },
      9: { mean: 9.899, sd: 0.2776 },
      99: { mean: 9.901, sd: 0.2944 },
    },
    logDet: {
      0: { mean: -0.2674, sd: 0.237 },
      1: { mean: -0.3096, sd: 0.2673 },
      9: { mean: -0.3859, sd: 0.2865 },
      99: { mean: -0.4013, sd: 0.3055 },
    },
  },
  'd=10 n=316 accumulate-subsample': {
    meanSqError: {
      0: { mean: 0.0332, sd: 0.0166 },
      1: { mean: 0.05611, sd: 0.02509 },
      9: { mean: 0.08345, sd: 0.03734 },
      99: { mean: 0.09035, sd: 0.04 },
    },
    trace: {
      0: { mean: 9.917, sd: 0.2273 },
      1: { mean: 9.908, sd: 0.2996 },
      9: { mean: 9.826, sd: 0.3796 },
      99: { mean: 9.855, sd: 0.3924 },
    },
    logDet: {
      0: { mean: -0.2674, sd: 0.237 },
      1: { mean: -0.4159, sd: 0.318 },
      9: { mean: -0.6422, sd: 0.3787 },
      99: { mean: -0.6601, sd: 0.3965 },
    },
  },
  'd=10 n=1000 replace': {
    meanSqError: {
      0: { mean: 0.01037, sd: 0.004878 },
      1: { mean: 0.01982, sd: 0.00775 },
      9: { mean: 0.0994, sd: 0.0491 },
      99: { mean: 0.8647, sd: 0.4676 },
    },
    trace: {
      0: { mean: 9.972, sd: 0.1208 },
      1: { mean: 9.958, sd: 0.196 },
      9: { mean: 9.896, sd: 0.5085 },
      99: { mean: 8.877, sd: 1.499 },
    },
    logDet: {
      0: { mean: -0.08466, sd: 0.1257 },
      1: { mean: -0.1565, sd: 0.1957 },
      9: { mean: -0.6645, sd: 0.4982 },
      99: { mean: -6.582, sd: 1.423 },
    },
  },
  'd=10 n=1000 accumulate': {
    meanSqError: {
      0: { mean: 0.01037, sd: 0.004878 },
      1: { mean: 0.01261, sd: 0.005275 },
      9: { mean: 0.01565, sd: 0.006944 },
      99: { mean: 0.01652, sd: 0.007125 },
    },
    trace: {
      0: { mean: 9.972, sd: 0.1208 },
      1: { mean: 9.968, sd: 0.1441 },
      9: { mean: 9.961, sd: 0.1748 },
      99: { mean: 9.961, sd: 0.1845 },
    },
    logDet: {
      0: { mean: -0.08466, sd: 0.1257 },
      1: { mean: -0.1041, sd: 0.1459 },
      9: { mean: -0.1271, sd: 0.1763 },
      99: { mean: -0.1327, sd: 0.1861 },
    },
  },
  'd=10 n=1000 accumulate-subsample': {
    meanSqError: {
      0: { mean: 0.01037, sd: 0.004878 },
      1: { mean: 0.01796, sd: 0.00793 },
      9: { mean: 0.02758, sd: 0.01352 },
      99: { mean: 0.03036, sd: 0.01412 },
    },
    trace: {
      0: { mean: 9.972, sd: 0.1208 },
      1: { mean: 9.956, sd: 0.1757 },
      9: { mean: 9.943, sd: 0.2124 },
      99: { mean: 9.95, sd: 0.2447 },
    },
    logDet: {
      0: { mean: -0.08466, sd: 0.1257 },
      1: { mean: -0.1443, sd: 0.18 },
      9: { mean: -0.2039, sd: 0.216 },
      99: { mean: -0.209, sd: 0.2402 },
    },
  },
  'd=31 n=10 replace': {
    meanSqError: {
      0: { mean: 3.079, sd: 0.8336 },
      1: { mean: 5.462, sd: 1.945 },
      9: { mean: 18.86, sd: 10.97 },
      99: { mean: 25.98, sd: 27.54 },
    },
    trace: {
      0: { mean: 27.34, sd: 2.475 },
      1: { mean: 24.78, sd: 4.82 },
      9: { mean: 10.43, sd: 11.72 },
      99: { mean: 0.0003167, sd: 0.0002917 },
    },
    logDet: {
      0: { mean: -295.6, sd: 0.8596 },
      1: { mean: -306.5, sd: 3.101 },
      9: { mean: -363.4, sd: 3.987 },
      99: { mean: -406.6, sd: 1.423 },
    },
  },
  'd=31 n=10 accumulate': {
    meanSqError: {
      0: { mean: 3.079, sd: 0.8336 },
      1: { mean: 3.658, sd: 1.017 },
      9: { mean: 4.51, sd: 1.538 },
      99: { mean: 4.719, sd: 1.627 },
    },
    trace: { 0: { mean: 27.34, sd: 2.475 }, 1: { mean: 26.67, sd: 3.162 }, 9: { mean: 25.77, sd: 3.907 }, 99: { mean: 25.67, sd: 4.099 } },
    logDet: {
      0: { mean: -295.6, sd: 0.8596 },
      1: { mean: -292.1, sd: 0.9004 },
      9: { mean: -281.8, sd: 1.188 },
      99: { mean: -267.7, sd: 1.243 },
    },
  },
  'd=31 n=10 accumulate-subsample': {
    meanSqError: {
      0: { mean: 3.079, sd: 0.8336 },
      1: { mean: 4.917, sd: 1.508 },
      9: { mean: 6.704, sd: 2.602 },
      99: { mean: 7.324, sd: 3.787 },
    },
    trace: { 0: { mean: 27.34, sd: 2.475 }, 1: { mean: 25.1, sd: 3.968 }, 9: { mean: 23.06, sd: 5.905 }, 99: { mean: 22.54, sd: 7.821 } },
    logDet: {
      0: { mean: -295.6, sd: 0.8596 },
      1: { mean: -305.0, sd: 3.111 },
      9: { mean: -311.0, sd: 3.911 },
      99: { mean: -312.0, sd: 3.551 },
    },
  },
  'd=31 n=32 replace': {
    meanSqError: {
      0: { mean: 1.0, sd: 0.2644 },
      1: { mean: 2.018, sd: 0.6045 },
      9: { mean: 8.352, sd: 3.926 },
      99: { mean: 33.42, sd: 47.43 },
    },
    trace: { 0: { mean: 29.69, sd: 1.322 }, 1: { mean: 28.79, sd: 2.199 }, 9: { mean: 21.76, sd: 7.363 }, 99: { mean: 1.393, sd: 4.604 } },
    logDet: {
      0: { mean: -34.19, sd: 3.297 },
      1: { mean: -66.78, sd: 3.595 },
      9: { mean: -223.4, sd: 3.55 },
      99: { mean: -369.9, sd: 4.107 },
    },
  },
  'd=31 n=32 accumulate': {
    meanSqError: {
      0: { mean: 1.0, sd: 0.2644 },
      1: { mean: 1.28, sd: 0.3364 },
      9: { mean: 1.57, sd: 0.4481 },
      99: { mean: 1.656, sd: 0.4818 },
    },
    trace: { 0: { mean: 29.69, sd: 1.322 }, 1: { mean: 29.47, sd: 1.555 }, 9: { mean: 29.16, sd: 1.764 }, 99: { mean: 29.09, sd: 1.849 } },
    logDet: {
      0: { mean: -34.19, sd: 3.297 },
      1: { mean: -37.91, sd: 3.177 },
      9: { mean: -42.29, sd: 3.169 },
      99: { mean: -43.57, sd: 3.142 },
    },
  },
  'd=31 n=32 accumulate-subsample': {
    meanSqError: {
      0: { mean: 1.0, sd: 0.2644 },
      1: { mean: 1.749, sd: 0.499 },
      9: { mean: 2.525, sd: 0.8043 },
      99: { mean: 2.621, sd: 0.8334 },
    },
    trace: { 0: { mean: 29.69, sd: 1.322 }, 1: { mean: 29.01, sd: 1.727 }, 9: { mean: 28.2, sd: 2.647 }, 99: { mean: 28.53, sd: 3.392 } },
    logDet: {
      0: { mean: -34.19, sd: 3.297 },
      1: { mean: -61.39, sd: 3.72 },
      9: { mean: -77.81, sd: 4.16 },
      99: { mean: -80.09, sd: 4.62 },
    },
  },
  'd=31 n=100 replace': {
    meanSqError: {
      0: { mean: 0.3138, sd: 0.07969 },
      1: { mean: 0.5972, sd: 0.1659 },
      9: { mean: 3.02, sd: 1.159 },
      99: { mean: 18.81, sd: 17.5 },
    },
    trace: { 0: { mean: 30.54, sd: 0.6712 }, 1: { mean: 30.33, sd: 1.194 }, 9: { mean: 27.76, sd: 3.703 }, 99: { mean: 12.17, sd: 17.55 } },
    logDet: {
      0: { mean: -6.053, sd: 0.7425 },
      1: { mean: -11.91, sd: 1.186 },
      9: { mean: -59.7, sd: 2.805 },
      99: { mean: -298.1, sd: 4.437 },
    },
  },
  'd=31 n=100 accumulate': {
    meanSqError: {
      0: { mean: 0.3138, sd: 0.07969 },
      1: { mean: 0.3827, sd: 0.1029 },
      9: { mean: 0.4757, sd: 0.1415 },
      99: { mean: 0.4962, sd: 0.1313 },
    },
    trace: {
      0: { mean: 30.54, sd: 0.6712 },
      1: { mean: 30.51, sd: 0.8404 },
      9: { mean: 30.39, sd: 0.9112 },
      99: { mean: 30.36, sd: 0.9587 },
    },
    logDet: {
      0: { mean: -6.053, sd: 0.7425 },
      1: { mean: -7.3, sd: 0.8509 },
      9: { mean: -8.861, sd: 0.9102 },
      99: { mean: -9.305, sd: 0.964 },
    },
  },
  'd=31 n=100 accumulate-subsample': {
    meanSqError: {
      0: { mean: 0.3138, sd: 0.07969 },
      1: { mean: 0.5439, sd: 0.1362 },
      9: { mean: 0.7964, sd: 0.2611 },
      99: { mean: 0.8726, sd: 0.2358 },
    },
    trace: { 0: { mean: 30.54, sd: 0.6712 }, 1: { mean: 30.23, sd: 1.174 }, 9: { mean: 29.96, sd: 1.358 }, 99: { mean: 29.84, sd: 1.501 } },
    logDet: {
      0: { mean: -6.053, sd: 0.7425 },
      1: { mean: -10.55, sd: 1.154 },
      9: { mean: -15.27, sd: 1.383 },
      99: { mean: -16.89, sd: 1.532 },
    },
  },
  'd=31 n=316 replace': {
    meanSqError: {
      0: { mean: 0.09617, sd: 0.02639 },
      1: { mean: 0.1963, sd: 0.05481 },
      9: { mean: 0.9326, sd: 0.2831 },
      99: { mean: 8.458, sd: 4.146 },
    },
    trace: {
      0: { mean: 30.84, sd: 0.3723 },
      1: { mean: 30.74, sd: 0.6065 },
      9: { mean: 30.15, sd: 1.792 },
      99: { mean: 22.34, sd: 8.604 },
    },
    logDet: {
      0: { mean: -1.796, sd: 0.4121 },
      1: { mean: -3.516, sd: 0.6182 },
      9: { mean: -17.2, sd: 1.544 },
      99: { mean: -165.9, sd: 4.065 },
    },
  },
  'd=31 n=316 accumulate': {
    meanSqError: {
      0: { mean: 0.09617, sd: 0.02639 },
      1: { mean: 0.122, sd: 0.03505 },
      9: { mean: 0.15, sd: 0.0382 },
      99: { mean: 0.1597, sd: 0.04069 },
    },
    trace: {
      0: { mean: 30.84, sd: 0.3723 },
      1: { mean: 30.81, sd: 0.4416 },
      9: { mean: 30.78, sd: 0.5407 },
      99: { mean: 30.77, sd: 0.5702 },
    },
    logDet: {
      0: { mean: -1.796, sd: 0.4121 },
      1: { mean: -2.208, sd: 0.465 },
      9: { mean: -2.709, sd: 0.5626 },
      99: { mean: -2.853, sd: 0.5964 },
    },
  },
  'd=31 n=316 accumulate-subsample': {
    meanSqError: {
      0: { mean: 0.09617, sd: 0.02639 },
      1: { mean: 0.172, sd: 0.04828 },
      9: { mean: 0.2603, sd: 0.07576 },
      99: { mean: 0.2823, sd: 0.08062 },
    },
    trace: {
      0: { mean: 30.84, sd: 0.3723 },
      1: { mean: 30.75, sd: 0.5424 },
      9: { mean: 30.77, sd: 0.6632 },
      99: { mean: 30.62, sd: 0.7761 },
    },
    logDet: {
      0: { mean: -1.796, sd: 0.4121 },
      1: { mean: -3.094, sd: 0.5582 },
      9: { mean: -4.484, sd: 0.6595 },
      99: { mean: -5.064, sd: 0.7612 },
    },
  },
  'd=31 n=1000 replace': {
    meanSqError: {
      0: { mean: 0.03155, sd: 0.008664 },
      1: { mean: 0.06276, sd: 0.01622 },
      9: { mean: 0.3074, sd: 0.08385 },
      99: { mean: 2.954, sd: 1.085 },
    },
    trace: {
      0: { mean: 30.94, sd: 0.252 },
      1: { mean: 30.88, sd: 0.3689 },
      9: { mean: 30.71, sd: 0.9049 },
      99: { mean: 28.59, sd: 4.007 },
    },
    logDet: {
      0: { mean: -0.5656, sd: 0.26 },
      1: { mean: -1.124, sd: 0.3743 },
      9: { mean: -5.308, sd: 0.8741 },
      99: { mean: -53.09, sd: 2.488 },
    },
  },
  'd=31 n=1000 accumulate': {
    meanSqError: {
      0: { mean: 0.03155, sd: 0.008664 },
      1: { mean: 0.03946, sd: 0.01044 },
      9: { mean: 0.048, sd: 0.01191 },
      99: { mean: 0.05152, sd: 0.01342 },
    },
    trace: {
      0: { mean: 30.94, sd: 0.252 },
      1: { mean: 30.91, sd: 0.2908 },
      9: { mean: 30.93, sd: 0.3329 },
      99: { mean: 30.92, sd: 0.3506 },
    },
    logDet: {
      0: { mean: -0.5656, sd: 0.26 },
      1: { mean: -0.7102, sd: 0.2984 },
      9: { mean: -0.847, sd: 0.3397 },
      99: { mean: -0.893, sd: 0.3551 },
    },
  },
  'd=31 n=1000 accumulate-subsample': {
    meanSqError: {
      0: { mean: 0.03155, sd: 0.008664 },
      1: { mean: 0.05409, sd: 0.01468 },
      9: { mean: 0.08249, sd: 0.02043 },
      99: { mean: 0.09151, sd: 0.02129 },
    },
    trace: { 0: { mean: 30.94, sd: 0.252 }, 1: { mean: 30.9, sd: 0.351 }, 9: { mean: 30.93, sd: 0.4294 }, 99: { mean: 30.89, sd: 0.4909 } },
    logDet: {
      0: { mean: -0.5656, sd: 0.26 },
      1: { mean: -0.9752, sd: 0.3609 },
      9: { mean: -1.404, sd: 0.4326 },
      99: { mean: -1.555, sd: 0.4769 },
    },
  },
  'd=100 n=10 replace': {
    meanSqError: {
      0: { mean: 9.882, sd: 1.456 },
      1: { mean: 18.5, sd: 4.428 },
      9: { mean: 64.22, sd: 61.34 },
      99: { mean: 99.22, sd: 177.2 },
    },
    trace: {
      0: { mean: 89.16, sd: 4.005 },
      1: { mean: 78.55, sd: 11.53 },
      9: { mean: 27.66, sd: 20.86 },
      99: { mean: 0.001068, sd: 0.0008479 },
    },
    logDet: {
      0: { mean: -1237.0, sd: 0.4104 },
      1: { mean: -1248.0, sd: 2.75 },
      9: { mean: -1306.0, sd: 4.057 },
      99: { mean: -1349.0, sd: 1.781 },
    },
  },
  'd=100 n=10 accumulate': {
    meanSqError: {
      0: { mean: 9.882, sd: 1.456 },
      1: { mean: 12.06, sd: 1.965 },
      9: { mean: 14.44, sd: 4.141 },
      99: { mean: 15.53, sd: 4.465 },
    },
    trace: { 0: { mean: 89.16, sd: 4.005 }, 1: { mean: 85.99, sd: 6.972 }, 9: { mean: 84.03, sd: 11.12 }, 99: { mean: 82.85, sd: 12.22 } },
    logDet: {
      0: { mean: -1237.0, sd: 0.4104 },
      1: { mean: -1226.0, sd: 0.5304 },
      9: { mean: -1187.0, sd: 0.8408 },
      99: { mean: -1124.0, sd: 1.149 },
    },
  },
  'd=100 n=10 accumulate-subsample': {
    meanSqError: {
      0: { mean: 9.882, sd: 1.456 },
      1: { mean: 16.45, sd: 3.643 },
      9: { mean: 23.78, sd: 9.088 },
      99: { mean: 26.13, sd: 11.87 },
    },
    trace: { 0: { mean: 89.16, sd: 4.005 }, 1: { mean: 81.39, sd: 9.369 }, 9: { mean: 74.36, sd: 17.11 }, 99: { mean: 70.32, sd: 19.6 } },
    logDet: {
      0: { mean: -1237.0, sd: 0.4104 },
      1: { mean: -1247.0, sd: 2.763 },
      9: { mean: -1252.0, sd: 3.735 },
      99: { mean: -1253.0, sd: 3.215 },
    },
  },
  'd=100 n=32 replace': {
    meanSqError: {
      0: { mean: 3.131, sd: 0.4336 },
      1: { mean: 6.207, sd: 1.362 },
      9: { mean: 29.42, sd: 12.85 },
      99: { mean: 104.0, sd: 126.7 },
    },
    trace: { 0: { mean: 96.41, sd: 2.22 }, 1: { mean: 93.38, sd: 5.408 }, 9: { mean: 74.17, sd: 26.18 }, 99: { mean: 5.396, sd: 16.82 } },
    logDet: {
      0: { mean: -923.7, sd: 0.8211 },
      1: { mean: -957.3, sd: 2.985 },
      9: { mean: -1133.0, sd: 5.089 },
      99: { mean: -1288.0, sd: 3.934 },
    },
  },
  'd=100 n=32 accumulate': {
    meanSqError: {
      0: { mean: 3.131, sd: 0.4336 },
      1: { mean: 3.885, sd: 0.6194 },
      9: { mean: 4.909, sd: 0.8794 },
      99: { mean: 5.195, sd: 0.9371 },
    },
    trace: { 0: { mean: 96.41, sd: 2.22 }, 1: { mean: 95.68, sd: 3.302 }, 9: { mean: 94.83, sd: 4.506 }, 99: { mean: 94.36, sd: 4.666 } },
    logDet: {
      0: { mean: -923.7, sd: 0.8211 },
      1: { mean: -912.5, sd: 0.9569 },
      9: { mean: -879.9, sd: 1.181 },
      99: { mean: -835.8, sd: 1.316 },
    },
  },
  'd=100 n=32 accumulate-subsample': {
    meanSqError: {
      0: { mean: 3.131, sd: 0.4336 },
      1: { mean: 5.37, sd: 0.9356 },
      9: { mean: 8.019, sd: 1.826 },
      99: { mean: 8.871, sd: 2.204 },
    },
    trace: { 0: { mean: 96.41, sd: 2.22 }, 1: { mean: 94.37, sd: 4.621 }, 9: { mean: 91.79, sd: 8.453 }, 99: { mean: 89.26, sd: 8.659 } },
    logDet: {
      0: { mean: -923.7, sd: 0.8211 },
      1: { mean: -952.7, sd: 3.625 },
      9: { mean: -968.9, sd: 4.232 },
      99: { mean: -971.7, sd: 3.574 },
    },
  },
  'd=100 n=100 replace': {
    meanSqError: {
      0: { mean: 1.0, sd: 0.134 },
      1: { mean: 1.983, sd: 0.3113 },
      9: { mean: 9.766, sd: 2.542 },
      99: { mean: 56.63, sd: 46.44 },
    },
    trace: { 0: { mean: 98.83, sd: 1.205 }, 1: { mean: 97.92, sd: 2.41 }, 9: { mean: 90.51, sd: 9.915 }, 99: { mean: 35.43, sd: 30.37 } },
    logDet: {
      0: { mean: -110.4, sd: 2.711 },
      1: { mean: -210.6, sd: 3.434 },
      9: { mean: -700.3, sd: 4.77 },
      99: { mean: -1162.0, sd: 4.67 },
    },
  },
  'd=100 n=100 accumulate': {
    meanSqError: {
      0: { mean: 1.0, sd: 0.134 },
      1: { mean: 1.246, sd: 0.1734 },
      9: { mean: 1.586, sd: 0.2448 },
      99: { mean: 1.658, sd: 0.2585 },
    },
    trace: { 0: { mean: 98.83, sd: 1.205 }, 1: { mean: 98.62, sd: 1.602 }, 9: { mean: 98.18, sd: 2.043 }, 99: { mean: 98.11, sd: 2.252 } },
    logDet: {
      0: { mean: -110.4, sd: 2.711 },
      1: { mean: -121.5, sd: 2.671 },
      9: { mean: -134.7, sd: 2.752 },
      99: { mean: -138.1, sd: 2.676 },
    },
  },
  'd=100 n=100 accumulate-subsample': {
    meanSqError: {
      0: { mean: 1.0, sd: 0.134 },
      1: { mean: 1.725, sd: 0.266 },
      9: { mean: 2.559, sd: 0.4214 },
      99: { mean: 2.795, sd: 0.4751 },
    },
    trace: { 0: { mean: 98.83, sd: 1.205 }, 1: { mean: 98.11, sd: 2.131 }, 9: { mean: 97.12, sd: 2.917 }, 99: { mean: 96.59, sd: 3.244 } },
    logDet: {
      0: { mean: -110.4, sd: 2.711 },
      1: { mean: -194.5, sd: 4.431 },
      9: { mean: -242.9, sd: 5.47 },
      99: { mean: -251.6, sd: 4.305 },
    },
  },
  'd=100 n=316 replace': {
    meanSqError: {
      0: { mean: 0.3199, sd: 0.04217 },
      1: { mean: 0.6474, sd: 0.0855 },
      9: { mean: 3.196, sd: 0.6539 },
      99: { mean: 27.82, sd: 14.08 },
    },
    trace: { 0: { mean: 99.56, sd: 0.7964 }, 1: { mean: 99.09, sd: 1.271 }, 9: { mean: 96.97, sd: 3.947 }, 99: { mean: 71.25, sd: 21.81 } },
    logDet: {
      0: { mean: -18.49, sd: 0.9034 },
      1: { mean: -36.96, sd: 1.223 },
      9: { mean: -183.8, sd: 2.863 },
      99: { mean: -931.3, sd: 4.308 },
    },
  },
  'd=100 n=316 accumulate': {
    meanSqError: {
      0: { mean: 0.3199, sd: 0.04217 },
      1: { mean: 0.4036, sd: 0.05119 },
      9: { mean: 0.4991, sd: 0.06682 },
      99: { mean: 0.5228, sd: 0.07128 },
    },
    trace: {
      0: { mean: 99.56, sd: 0.7964 },
      1: { mean: 99.41, sd: 0.9577 },
      9: { mean: 99.42, sd: 1.122 },
      99: { mean: 99.39, sd: 1.208 },
    },
    logDet: {
      0: { mean: -18.49, sd: 0.9034 },
      1: { mean: -22.48, sd: 0.9958 },
      9: { mean: -27.14, sd: 1.115 },
      99: { mean: -28.52, sd: 1.159 },
    },
  },
  'd=100 n=316 accumulate-subsample': {
    meanSqError: {
      0: { mean: 0.3199, sd: 0.04217 },
      1: { mean: 0.559, sd: 0.07646 },
      9: { mean: 0.8376, sd: 0.1072 },
      99: { mean: 0.9317, sd: 0.136 },
    },
    trace: { 0: { mean: 99.56, sd: 0.7964 }, 1: { mean: 99.23, sd: 1.131 }, 9: { mean: 99.02, sd: 1.569 }, 99: { mean: 99.01, sd: 1.656 } },
    logDet: {
      0: { mean: -18.49, sd: 0.9034 },
      1: { mean: -32.34, sd: 1.256 },
      9: { mean: -47.17, sd: 1.671 },
      99: { mean: -51.16, sd: 1.525 },
    },
  },
  'd=100 n=1000 replace': {
    meanSqError: {
      0: { mean: 0.1036, sd: 0.01332 },
      1: { mean: 0.2013, sd: 0.02676 },
      9: { mean: 0.9916, sd: 0.153 },
      99: { mean: 9.722, sd: 2.799 },
    },
    trace: { 0: { mean: 99.89, sd: 0.4955 }, 1: { mean: 99.81, sd: 0.629 }, 9: { mean: 98.98, sd: 1.589 }, 99: { mean: 90.57, sd: 10.64 } },
    logDet: {
      0: { mean: -5.329, sd: 0.5039 },
      1: { mean: -10.64, sd: 0.6177 },
      9: { mean: -53.39, sd: 1.484 },
      99: { mean: -514.2, sd: 4.177 },
    },
  },
  'd=100 n=1000 accumulate': {
    meanSqError: {
      0: { mean: 0.1036, sd: 0.01332 },
      1: { mean: 0.1277, sd: 0.01699 },
      9: { mean: 0.1557, sd: 0.02177 },
      99: { mean: 0.1642, sd: 0.02241 },
    },
    trace: {
      0: { mean: 99.89, sd: 0.4955 },
      1: { mean: 99.87, sd: 0.5186 },
      9: { mean: 99.84, sd: 0.6457 },
      99: { mean: 99.82, sd: 0.6629 },
    },
    logDet: {
      0: { mean: -5.329, sd: 0.5039 },
      1: { mean: -6.595, sd: 0.5194 },
      9: { mean: -8.132, sd: 0.6222 },
      99: { mean: -8.584, sd: 0.6388 },
    },
  },
  'd=100 n=1000 accumulate-subsample': {
    meanSqError: {
      0: { mean: 0.1036, sd: 0.01332 },
      1: { mean: 0.1795, sd: 0.02466 },
      9: { mean: 0.2706, sd: 0.03796 },
      99: { mean: 0.295, sd: 0.04191 },
    },
    trace: {
      0: { mean: 99.89, sd: 0.4955 },
      1: { mean: 99.87, sd: 0.6021 },
      9: { mean: 99.76, sd: 0.7828 },
      99: { mean: 99.69, sd: 0.8719 },
    },
    logDet: {
      0: { mean: -5.329, sd: 0.5039 },
      1: { mean: -9.253, sd: 0.6129 },
      9: { mean: -13.91, sd: 0.8022 },
      99: { mean: -15.24, sd: 0.8712 },
    },
  },
};
