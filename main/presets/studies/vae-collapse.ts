import type { StudyVerdict } from '../../contract/paper-claim';
import type { StudyAggregate } from '../../contract/study-aggregate';
import type { StudyPreset } from './index';
import { compareCheck, fmt, statAt, verdictFrom } from './verdict-helpers';

/** Generations of the study (the paper's 20: generation 0 trains on MNIST, 1..19 on the previous one's images). */
const GENERATIONS = 20;
const LAST = GENERATIONS - 1;

/**
 * Seed 003 (Model collapse in Wasserstein GANs and VAEs), its VAE: an MLP VAE retrained for 20 generations, each on
 * the images of the one before (replace). The paper sees the VAE "degrade to only producing a single type of image"
 * (Fig. 5 i–l, Fig. 6: the CNN's predicted classes concentrate on a few, most often 1). Ours at this size: 2,000
 * MNIST training images, 2,000 images generated per generation, 6 epochs of batch 32, 1 seed; the class histogram is the
 * reference CNN's predictions on each generation's images.
 */
export const vaeCollapse: StudyPreset = {
  name: 'vae-collapse',
  description:
    "Seed 003, the VAE: an MLP VAE trained on MNIST, then for 19 more generations each on the previous generation's images " +
    '(replace). Claim: the VAE collapses to a single kind of digit by generation 20. Here: 2,000 images, 6 epochs of batch 32, 1 seed; ' +
    'the verdict compares the class entropy and the classes covered at generation 20 with generation 1.',
  expectedMinutes: 20,
  claim: {
    paper: '003 — Model collapse in Wasserstein GANs and VAEs',
    statement:
      'Retrained for 20 generations on its own images (MNIST, replace), a VAE loses its variety of digits and collapses to ' +
      'producing a single type of image; W₁ and FID to MNIST grow with the generation.',
    figures: [
      { quantity: 'Image variety, VAE', paper: 'marked reduction by generation 10', where: 'Fig. 5 (i–l)' },
      {
        quantity: 'VAE images at generation 20',
        paper: 'similar images for the whole 5×5 grid, "something between a 5, 8, or 9"',
        where: 'Fig. 5 (l)',
      },
      {
        quantity: "Predicted classes of the VAE's images (CNN, 99.25 % on MNIST)",
        paper: 'certain classes far more dominant in later generations; the most prevalent is 1',
        where: 'Fig. 6',
        ours: { metric: 'classesCovered', generation: LAST },
      },
      {
        quantity: "Class entropy of the VAE's images at generation 20",
        paper: 'falls (one dominant class)',
        where: 'Fig. 6',
        ours: { metric: 'classEntropy', generation: LAST },
      },
      {
        quantity: 'W₁ to MNIST (500 flattened images)',
        paper: 'increases over generations',
        where: 'Fig. 8 (a)',
        ours: { metric: 'w1', generation: LAST },
      },
      {
        quantity: 'FID to MNIST (1,000 images)',
        paper: 'increases over generations',
        where: 'Fig. 8 (b)',
        ours: { metric: 'fid', generation: LAST },
      },
      { quantity: 'VAE training: batch size, epochs, learning rate', paper: '64, 100, 0.001', where: 'Table I' },
    ],
    paperSetting:
      'The paper: all 60,000 MNIST training images, 100 epochs per generation, batch 64, learning rate 0.001, 20 generations, ' +
      '60,000 images generated per generation. As a run here: dataset without subset, model.params { epochs: 100, batchSize: 64, ' +
      'learningRate: 0.001 }, loop { generations: 20, paradigm: replace, keep: 60000 }: 120 million images of training, about ' +
      '28 hours of one core on wasm (1,200 images/s), or about 1.5 hours on a GPU (tensorflow backend). The MLP sizes here are ' +
      "the app's VAE (784–400–400–20), the paper's two hidden layers of its Fig. 4.",
  },
  figures: [
    { kind: 'class-histogram', title: "Predicted classes of each generation's images (paper Fig. 6)" },
    { kind: 'metric-vs-generation', title: 'Class entropy (nats) by generation', metric: 'classEntropy' },
    { kind: 'metric-vs-generation', title: 'Classes covered by generation', metric: 'classesCovered' },
    { kind: 'metric-vs-generation', title: 'W₁ to MNIST by generation (paper Fig. 8 a)', metric: 'w1' },
    { kind: 'metric-vs-generation', title: 'FID to MNIST by generation (paper Fig. 8 b)', metric: 'fid' },
  ],
  verdict: vaeCollapseVerdict,
  study: {
    name: 'vae-collapse',
    description:
      'Seed 003: an MLP VAE retrained on its own MNIST images (replace) for 20 generations; the class histogram over generations ' +
      'shows the collapse to one kind of digit. 2,000 images, 6 epochs of batch 32, 1 seed.',
    base: {
      dataset: { kind: 'mnist', subset: 2000, testSubset: 2000 },
      islands: { count: 1, split: 'iid' },
      model: { kind: 'vae-mlp', params: { epochs: 6, batchSize: 32, learningRate: 0.001, latent: 20 } },
      loop: { generations: GENERATIONS, paradigm: 'replace', keep: 2000, ratio: 1 },
      selection: { scheme: 'none' },
      metrics: { maxSamples: 2000, downstream: false },
      gridSamples: 25,
    },
    axes: [],
    seeds: 1,
  },
};

/**
 * Reproduced when, at generation 20 against generation 1 (means over seeds): the class entropy has at least halved, the
 * classes covered have at least halved, and the FID has grown.
 */
export function vaeCollapseVerdict(aggregate: StudyAggregate): StudyVerdict {
  const cell = aggregate.cells[0];
  const at = (metric: string, g: number) => statAt(cell, metric, g);
  const gen1 = { kind: 'cell' as const, text: 'the same run at generation 1 (trained on MNIST)' };
  const checks = [
    compareCheck({
      label: 'the class entropy at generation 20 is at most half of generation 1’s',
      quantity: 'entropy (nats) of the reference CNN’s predicted classes of the generated images, generation 20 (log)',
      ours: at('classEntropy', LAST),
      reference: { ...gen1, stat: at('classEntropy', 0) },
      direction: 'below',
      scale: 'log',
      factor: 0.5,
      effect: Math.log(10) - Math.log(2),
      effectText: 'the paper’s one dominant class (entropy from ln 10 towards 0)',
    }),
    compareCheck({
      label: 'the classes covered at generation 20 are at most half of generation 1’s',
      quantity: 'classes among the generated images’ predicted classes, generation 20 (log)',
      ours: at('classesCovered', LAST),
      reference: { ...gen1, stat: at('classesCovered', 0) },
      direction: 'below',
      scale: 'log',
      factor: 0.5,
      effect: Math.log(5),
      effectText: 'the paper’s single type of image (10 classes → 1)',
    }),
    compareCheck({
      label: 'FID grows from generation 1 to 20',
      quantity: 'FID to MNIST at generation 20 (log)',
      ours: at('fid', LAST),
      reference: { ...gen1, stat: at('fid', 0) },
      direction: 'above',
      scale: 'log',
      effect: Math.log(2),
      effectText: 'a doubling (Fig. 8 b: FID increases over generations)',
    }),
  ];
  const m = (metric: string, g: number) => fmt(at(metric, g)?.mean);
  return verdictFrom(
    checks,
    `Class entropy ${m('classEntropy', 0)} → ${m('classEntropy', LAST)} nats, classes covered ${m('classesCovered', 0)} → ` +
      `${m('classesCovered', LAST)}, FID ${m('fid', 0)} → ${m('fid', LAST)} (generation 1 → 20, ${cell?.n ?? 0} seed(s)).`,
  );
}
