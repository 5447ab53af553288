// @vitest-environment happy-dom
import { join } from 'node:path';
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { previewDataset } from '../../main/api/previews';
import { validateConfig } from '../../main/contract/config';
import { setClient } from '../../renderer/src/api/client';
import { useWizardStore } from '../../renderer/src/stores/wizard';
import WizardView from '../../renderer/src/views/WizardView.vue';
import { fakeClient, flush } from './fake-client';

/** The dataset step for the datasets read from their official binary files (issue 27): folder, own fields, subsets. */
const FIXTURES = join(import.meta.dirname, '../fixtures/data/official-binary');
let wrapper: VueWrapper;

beforeEach(() => localStorage.clear());
beforeEach(async () => {
  // the engine's own preview on the fixture files: what the wizard shows is what a run would load
  setClient(fakeClient({ 'dataset.preview': (req) => previewDataset(req as never) }));
  const pinia = createPinia();
  setActivePinia(pinia);
  wrapper = mount(WizardView, { global: { plugins: [pinia] }, attachTo: document.body });
  await flush();
  await flush();
});
afterEach(() => wrapper.unmount());

async function settle() {
  for (let i = 0; i < 6; i++) {
    await new Promise((r) => setTimeout(r, 80));
    await flush();
  }
}

describe('wizard: a dataset from its official binary files', () => {
  it('CIFAR-100: the folder, the label kind and the subsets make a valid config the engine previews', async () => {
    const w = useWizardStore();
    await wrapper.get('[data-kind="cifar100"]').trigger('click');
    await flush();
    expect(wrapper.text()).toContain("the folder of the dataset's official files is required");
    await wrapper.get('#ds-folder').setValue(FIXTURES);
    await wrapper.get('#ds-folder').trigger('change');
    await flush();
    expect(wrapper.text()).toContain('cifar-100-binary as unpacked from the official binary archive');
    await wrapper.get('[id="dataset.labels"]').setValue('coarse');
    const subset = wrapper.get('#ds-fsubset');
    await subset.setValue('4');
    await subset.trigger('change');
    const testSubset = wrapper.get('#ds-ftest');
    await testSubset.setValue('2');
    await testSubset.trigger('change');
    await flush();
    expect(w.config.dataset).toEqual({ kind: 'cifar100', path: FIXTURES, labels: 'coarse', subset: 4, testSubset: 2 });
    expect(validateConfig(w.config).dataset).toEqual(w.config.dataset);
    await w.previewDataset();
    await settle();
    expect(w.datasetPreviewError).toBeFalsy();
    const table = wrapper.get('[data-testid="dataset-preview"]').text();
    expect(table).toContain('32 × 32 × 3');
    expect(table).toMatch(/4\s*\/\s*2/);
  });

  it('STL-10: the unlabelled images, and a wrong folder named at the preview', async () => {
    const w = useWizardStore();
    await wrapper.get('[data-kind="stl10"]').trigger('click');
    await flush();
    await wrapper.get('#ds-folder').setValue(join(FIXTURES, 'cifar-10-batches-bin'));
    await wrapper.get('#ds-folder').trigger('change');
    await wrapper.get('[id="dataset.images"]').setValue('unlabeled');
    await flush();
    expect(w.config.dataset).toMatchObject({ kind: 'stl10', images: 'unlabeled' });
    await w.previewDataset();
    await settle();
    expect(w.datasetPreviewError).toMatch(/holds neither test_X\.bin nor a stl10_binary folder/);
  });
});
