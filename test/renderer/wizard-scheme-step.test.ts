// @vitest-environment happy-dom
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setClient } from '../../renderer/src/api/client';
import WizardView from '../../renderer/src/views/WizardView.vue';
import { useWizardStore } from '../../renderer/src/stores/wizard';
import { selectionCatalog } from '../../main/contract/selection/catalog';
import { paradigmCatalog } from '../../main/contract/paradigms/catalog';
import { fakeClient, flush } from './fake-client';

/** The scheme step shows what leaves each island, marks the pooled oracle, and offers the dataset's default feature space. */

let wrapper: VueWrapper;

// the wizard keeps its draft in the browser's storage: every test starts without one
beforeEach(() => localStorage.clear());
beforeEach(async () => {
  setClient(
    fakeClient({
      'config.validate': () => ({ valid: true, config: {} as never, estimate: { seconds: 90, trainingSamples: [], basis: 'fake' } }),
    }),
  );
  const pinia = createPinia();
  setActivePinia(pinia);
  wrapper = mount(WizardView, { global: { plugins: [pinia] }, attachTo: document.body });
  await flush();
  await flush();
  await wrapper.get('[data-step="scheme"]').trigger('click');
  await flush();
});

afterEach(() => wrapper.unmount());

describe('wizard: scheme step', () => {
  it("lists the contract's paradigms, shows a paradigm's numbers and the training-set size where it reads one", async () => {
    const w = useWizardStore();
    const options = wrapper.findAll('#lp-par option');
    expect(options.map((o) => o.attributes('value'))).toEqual(Object.keys(paradigmCatalog));
    expect(options.map((o) => o.text())).toEqual(Object.values(paradigmCatalog).map((p) => p.label));
    await wrapper.get('#lp-par').setValue('replace');
    await flush();
    expect(w.draft.loop.paradigm).toBe('replace');
    expect(wrapper.find('#lp-lambda').exists()).toBe(false);
    expect(wrapper.find('#lp-ts').exists()).toBe(false);
    await wrapper.get('#lp-par').setValue('mixed');
    await flush();
    expect(w.draft.loop.paradigm).toBe('mixed:0.5');
    expect((wrapper.get('#lp-lambda').element as HTMLInputElement).value).toBe('0.5');
    expect(wrapper.find('#lp-ts').exists()).toBe(true);
    await wrapper.get('#lp-lambda').setValue('0.2');
    await flush();
    expect(w.draft.loop.paradigm).toBe('mixed:0.2');
    await wrapper.get('#lp-lambda').setValue('2');
    await flush();
    expect(w.fieldError('loop.paradigm')).toMatch(/LAMBDA must be in \[0, 1\]/);
    await wrapper.get('#lp-par').setValue('accumulate-subsample');
    await flush();
    expect(w.draft.loop.paradigm).toBe('accumulate-subsample');
    expect(wrapper.find('#lp-lambda').exists()).toBe(false);
    expect(wrapper.find('#lp-ts').exists()).toBe(true);
  });

  it("shows the chosen scheme's privacy note from the catalog", async () => {
    await wrapper.get('#sc-scheme').setValue('ot-barycenter');
    await flush();
    expect(wrapper.get('[data-testid="scheme-privacy"]').text()).toContain(selectionCatalog['ot-barycenter'].privacy);
    // Scheme II has no reference choice: its reference is the islands' barycenter
    expect(wrapper.find('#sc-ref').exists()).toBe(false);
  });

  it('lists the reference kinds and marks pooled as an oracle that breaks privacy', async () => {
    await wrapper.get('#sc-scheme').setValue('covmatch');
    await flush();
    const options = wrapper.findAll('#sc-ref option').map((o) => o.attributes('value'));
    expect(options).toEqual(['local', 'per-island', 'pooled']);
    expect(wrapper.find('[data-testid="oracle-badge"]').exists()).toBe(false);
    expect(wrapper.find('#sc-ver').exists()).toBe(true);
    await wrapper.get('#sc-ref').setValue('pooled');
    await flush();
    expect(wrapper.get('[data-testid="oracle-badge"]').text()).toMatch(/breaks privacy/i);
    expect(wrapper.text()).toContain('Oracle that breaks privacy');
    expect(wrapper.find('#sc-ver').exists()).toBe(false);
  });

  it("defaults the feature space to the dataset's rule and leaves selection.features absent", async () => {
    const w = useWizardStore();
    const feat = wrapper.get('#sc-feat');
    expect((feat.element as HTMLSelectElement).value).toBe('default');
    expect(feat.text()).toContain('default (reference classifier features)'); // the draft's dataset is MNIST
    await feat.setValue('pca');
    await flush();
    expect(w.draft.selection.features).toBe('pca:32');
    await feat.setValue('default');
    await flush();
    expect('features' in w.draft.selection).toBe(false);
    w.draft.dataset = { kind: 'gaussian' };
    await flush();
    expect(wrapper.get('#sc-feat').text()).toContain('default (raw values)');
  });
});
