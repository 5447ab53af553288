import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ddpmFlops, ddpmUnetMacs, vaeConvFlops, vaeMlpFlops, wganGpFlops, wganGpMacs } from '../../main/bench/training-flops';

// multiply-adds counted by forward hooks on the PyTorch twins (test/fixtures/bench/flops_reference.py)
const ref = JSON.parse(readFileSync(new URL('../fixtures/bench/flops.json', import.meta.url), 'utf8'));

describe('FLOPs per image from the architecture', () => {
  it('vae-mlp by hand: dim 4, hidden [3], latent 2', () => {
    // encoder 4·3 + 3·(2·2) = 24 MACs, decoder 2·3 + 3·4 = 18 MACs; forward 2·42 = 84 FLOPs; training 3·84; sampling 2·18
    expect(vaeMlpFlops({ dim: 4, hidden: [3], latent: 2 }).steps).toEqual({ train: 252, sample: 36 });
  });

  it('wgan-gp by hand: width 1, noise 1, one channel', () => {
    // generator 1·1·1·16·4 + 4·4·4·9·2 + 7·7·2·16·1 + 14·14·1·16·1 = 64 + 1152 + 1568 + 3136 = 5920 MACs;
    // critic 14·14·16·1 + 7·7·1·16·2 + 4·4·2·9·4 + 1·1·4·16·1 = 3136 + 1568 + 1152 + 64 = 5920 MACs
    expect(wganGpMacs({ width: 1, noiseDim: 1, c: 1 })).toEqual({ generator: 5920, critic: 5920 });
    // critic step F_g + 12 F_c, generator step 3 F_g + 2 F_c, sampling F_g, with F = 2·MACs = 11840
    expect(wganGpFlops({ width: 1, noiseDim: 1, c: 1 }).steps).toEqual({ critic: 11840 * 13, generator: 11840 * 5, sample: 11840 });
  });

  it('vae-mlp matches the hooks on the PyTorch twin', () => {
    const f = vaeMlpFlops(ref.vaeMlp.arch).steps;
    expect(f.train).toBe(6 * ref.vaeMlp.forwardMacs);
    expect(f.sample).toBe(2 * ref.vaeMlp.decoderMacs);
  });

  it('vae-conv matches the hooks on the PyTorch twin', () => {
    const f = vaeConvFlops({ h: 28, w: 28, c: 1, ...ref.vaeConv.arch }).steps;
    expect(f.train).toBe(6 * ref.vaeConv.forwardMacs);
    expect(f.sample).toBe(2 * ref.vaeConv.decoderMacs);
  });

  it('wgan-gp matches the hooks on the PyTorch twin', () => {
    expect(wganGpMacs({ ...ref.wganGp.arch, c: 1 })).toEqual({ generator: ref.wganGp.generatorMacs, critic: ref.wganGp.criticMacs });
  });

  it('ddpm U-Net matches the hooks on the PyTorch twin, sampling is samplingSteps passes', () => {
    const arch = {
      h: 28,
      w: 28,
      c: 1,
      c1: ref.ddpm.arch.channels[0],
      c2: ref.ddpm.arch.channels[1],
      timeEmbedding: ref.ddpm.arch.timeEmbedding,
    };
    expect(ddpmUnetMacs(arch)).toBe(ref.ddpm.unetMacs);
    expect(ddpmFlops({ ...arch, samplingSteps: 7 }).steps).toEqual({ train: 6 * ref.ddpm.unetMacs, sample: 14 * ref.ddpm.unetMacs });
  });
});
