import type { UnetArch } from '../models/ddpm-unet';
/**
 * Floating-point operations per image of each neural model's training step and of its sampling, counted from the
 * architecture: the multiply-adds of its matrix products and convolutions only (2 FLOPs each; biases, activations,
 * norms and the optimiser are left out, as is usual), so that FLOPs/image × images/s measures how close a step runs to
 * the machine's multiply-add peak.
 *
 * Layers (MACs per image): dense in·out; conv Ho·Wo·Cout·k²·Cin; transposed conv Hi·Wi·Cin·k²·Cout (each input pixel
 * scattered through the k×k filter). A forward pass costs F = 2·MACs. A training step costs 3F: the forward pass, the
 * gradient with respect to the inputs of each layer and the gradient with respect to its weights (each as large as the
 * forward product). WGAN-GP's critic step: the generator's forward pass (no gradient) F_g, the critic scored on the
 * fakes and on the real batch with their weight gradients (2·3F_c), and the gradient penalty: a forward pass and an
 * input gradient (2F_c), then the gradient of that graph with respect to the weights (twice its cost, 4F_c): in all
 * F_g + 12F_c. The generator step: 3F_g + 2F_c (the critic's forward pass and input gradient, no critic weight
 * gradient). DDPM sampling: `samplingSteps` forward passes of the U-Net.
 */

export interface StepFlops {
  /** FLOPs per image of each timed step, keyed as the step rates of main/bench/model-steps.ts. */
  steps: Record<string, number>;
}

export const denseMacs = (cin: number, cout: number): number => cin * cout;
export const convMacs = (hOut: number, wOut: number, cin: number, cout: number, k: number): number => hOut * wOut * cout * k * k * cin;
export const transposedConvMacs = (hIn: number, wIn: number, cin: number, cout: number, k: number): number =>
  hIn * wIn * cin * k * k * cout;

/** VAE-MLP: encoder dim → hidden… → 2·latent, decoder latent → reversed hidden… → dim. */
export function vaeMlpFlops(arch: { dim: number; hidden: number[]; latent: number }): StepFlops {
  let enc = 0;
  let prev = arch.dim;
  for (const h of arch.hidden) {
    enc += denseMacs(prev, h);
    prev = h;
  }
  enc += denseMacs(prev, 2 * arch.latent);
  let dec = 0;
  prev = arch.latent;
  for (const h of [...arch.hidden].reverse()) {
    dec += denseMacs(prev, h);
    prev = h;
  }
  dec += denseMacs(prev, arch.dim);
  return { steps: { train: 3 * 2 * (enc + dec), sample: 2 * dec } };
}

/** The convolutional VAE (main/models/vae-conv.ts): k4 s2 p1 convs down, a dense head, a dense decoder, k4 s2 p1 transposed convs up. */
export function vaeConvFlops(arch: { h: number; w: number; c: number; channels: number[]; latent: number }): StepFlops {
  let enc = 0;
  let h = arch.h;
  let w = arch.w;
  let cin = arch.c;
  for (const cout of arch.channels) {
    h /= 2;
    w /= 2;
    enc += convMacs(h, w, cin, cout, 4);
    cin = cout;
  }
  const flat = h * w * cin;
  enc += denseMacs(flat, 2 * arch.latent);
  let dec = denseMacs(arch.latent, flat);
  for (let i = arch.channels.length - 1; i >= 0; i--) {
    const cout = i > 0 ? arch.channels[i - 1] : arch.c;
    dec += transposedConvMacs(h, w, arch.channels[i], cout, 4);
    h *= 2;
    w *= 2;
  }
  return { steps: { train: 3 * 2 * (enc + dec), sample: 2 * dec } };
}

/** MACs per image of the WGAN-GP generator and critic (main/models/wgan-gp.ts, 28×28×c). */
export function wganGpMacs(arch: { width: number; noiseDim: number; c: number }): { generator: number; critic: number } {
  const { width: w, noiseDim: nz, c } = arch;
  const generator =
    transposedConvMacs(1, 1, nz, 4 * w, 4) +
    transposedConvMacs(4, 4, 4 * w, 2 * w, 3) +
    transposedConvMacs(7, 7, 2 * w, w, 4) +
    transposedConvMacs(14, 14, w, c, 4);
  const critic = convMacs(14, 14, c, w, 4) + convMacs(7, 7, w, 2 * w, 4) + convMacs(4, 4, 2 * w, 4 * w, 3) + convMacs(1, 1, 4 * w, 1, 4);
  return { generator, critic };
}

export function wganGpFlops(arch: { width: number; noiseDim: number; c: number }): StepFlops {
  const m = wganGpMacs(arch);
  const fg = 2 * m.generator;
  const fc = 2 * m.critic;
  return { steps: { critic: fg + 12 * fc, generator: 3 * fg + 2 * fc, sample: fg } };
}

/** MACs per image of one pass of the DDPM U-Net (main/models/ddpm-unet.ts). */
export function ddpmUnetMacs(arch: UnetArch): number {
  const { h, w, c, c1, c2, timeEmbedding: e } = arch;
  const res = (hh: number, ww: number, cin: number, cout: number) =>
    convMacs(hh, ww, cin, cout, 3) +
    denseMacs(e, cout) +
    convMacs(hh, ww, cout, cout, 3) +
    (cin !== cout ? convMacs(hh, ww, cin, cout, 1) : 0);
  const h2 = h / 2;
  const w2 = w / 2;
  return (
    2 * denseMacs(e, e) +
    convMacs(h, w, c, c1, 3) +
    res(h, w, c1, c1) +
    convMacs(h2, w2, c1, c2, 3) +
    res(h2, w2, c2, c2) +
    res(h2, w2, c2, c2) +
    transposedConvMacs(h2, w2, c2, c1, 4) +
    res(h, w, 2 * c1, c1) +
    convMacs(h, w, c1, c, 3)
  );
}

export function ddpmFlops(arch: UnetArch & { samplingSteps: number }): StepFlops {
  const f = 2 * ddpmUnetMacs(arch);
  return { steps: { train: 3 * f, sample: arch.samplingSteps * f } };
}
