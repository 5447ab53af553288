import { imageFolderDeclaration } from '../../contract/datasets/image-folder';
import { assembleDataset, holdOut, holdOutSizes } from '../dataset-assembly';
import type { DatasetKindEntry } from '../dataset-kind-entry';
import { listImageFolder } from '../image-folder';
import { readPngHeader } from '../png';
import { readSampleFile } from '../sample-file';

/** A folder of PNGs, one sub-folder per class; a stratified, seeded held-out test fraction. */
export const imageFolderEntry: DatasetKindEntry<'image-folder'> = {
  ...imageFolderDeclaration,
  unavailableReason: () => undefined,
  load: async (cfg, seed) => {
    listImageFolder(cfg.path); // this kind's layout: one sub-folder per class (refused otherwise, naming it)
    const f = await readSampleFile(cfg.path, { format: 'png-folder' });
    const { train, test } = holdOut(f.samples, cfg.testFraction ?? 0.1, seed, cfg.path);
    return assembleDataset(`image-folder:${cfg.path}`, f.shape, train, test, cfg.subset, seed, f.classNames);
  },
  plannedSize: (cfg) => ({ trainN: cfg.subset ?? null, dim: null }),
  facts: (cfg) => {
    const { files } = listImageFolder(cfg.path);
    const h = readPngHeader(files[0]);
    const { train, test } = holdOutSizes(files.length, cfg.testFraction);
    return {
      dim: h.width * h.height * h.channels,
      imageShape: [h.height, h.width, h.channels],
      trainN: cfg.subset ?? train,
      testN: test,
      fileBytes: 0,
      field: 'dataset.path',
    };
  },
};
