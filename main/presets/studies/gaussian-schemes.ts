import { gaussianIslandsSelection } from '../gaussian-islands-selection';
import type { StudyPreset } from './index';

/** A small study that finishes in minutes: schemes × paradigms on the Gaussian islands toy, 2 seeds. */
export const gaussianSchemes: StudyPreset = {
  name: 'gaussian-schemes',
  description:
    'Random, topalpha and ot-barycenter selection under replace and accumulate on the Gaussian islands toy, 2 seeds (a few minutes).',
  expectedMinutes: 4,
  study: {
    name: 'gaussian-schemes',
    description: 'A quick study of the Gaussian islands toy: three schemes × two paradigms × two seeds.',
    base: { ...gaussianIslandsSelection.config },
    axes: [
      { path: 'selection.scheme', values: ['random', 'topalpha', 'ot-barycenter'] },
      { path: 'loop.paradigm', values: ['replace', 'accumulate'] },
    ],
    seeds: 2,
  },
};
