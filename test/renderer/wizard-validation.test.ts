// @vitest-environment happy-dom
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setClient } from '../../renderer/src/api/client';
import WizardView from '../../renderer/src/views/WizardView.vue';
import { useWizardStore } from '../../renderer/src/stores/wizard';
import { findPreset } from '../../main/presets';
import { fakeClient, flush, type FakeClient } from './fake-client';

/** The wizard shows invalid values at their field, before launch, and will not launch until they are fixed. */

let client: FakeClient;
let wrapper: VueWrapper;

const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==';

// the wizard keeps its draft in the browser's storage: every test starts without one
beforeEach(() => localStorage.clear());
beforeEach(async () => {
  client = fakeClient({
    'dataset.preview': () => ({
      summary: { name: 'mnist', shape: [28, 28, 1], trainSize: 2000, testSize: 1000, numClasses: 10, classNames: null, classCounts: null },
      picture: { png: PNG_1x1, kind: 'images', count: 1 },
    }),
    'config.validate': () => ({ valid: true, config: {} as never, estimate: { seconds: 90, trainingSamples: [], basis: 'fake' } }),
    'runs.start': () => ({ runId: 'new-run' }),
  });
  setClient(client);
  const pinia = createPinia();
  setActivePinia(pinia);
  wrapper = mount(WizardView, { global: { plugins: [pinia] }, attachTo: document.body });
  await flush();
  await flush();
});

afterEach(() => wrapper.unmount());

async function goTo(step: string) {
  await wrapper.get(`[data-step="${step}"]`).trigger('click');
  await flush();
}

function fieldOf(inputSelector: string) {
  return wrapper.get(inputSelector).element.closest('.field') as HTMLElement;
}

describe('wizard validation in the form', () => {
  it('shows an invalid number at its field, marks the step, and disables Launch', async () => {
    await goTo('scheme');
    const gen = wrapper.get('#lp-gen');
    await gen.setValue('0');
    await flush();
    const field = fieldOf('#lp-gen');
    expect(field.dataset.invalid).toBe('true');
    expect(field.querySelector('.error')?.textContent).toMatch(/1/);
    expect(gen.classes()).toContain('invalid');
    expect(wrapper.get('[data-step="scheme"] .count').text()).toBe('1');

    await goTo('review');
    expect(wrapper.get('[data-testid="launch"]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="issues"]').text()).toContain('loop.generations');

    // fixing it clears the field and enables the launch
    await goTo('scheme');
    await wrapper.get('#lp-gen').setValue('3');
    await flush();
    expect(fieldOf('#lp-gen').dataset.invalid).toBeUndefined();
    await goTo('review');
    expect(wrapper.get('[data-testid="launch"]').attributes('disabled')).toBeUndefined();
  });

  it('an MNIST subset beyond its 60,000 training images is refused at the field, in the user’s terms (defect 2)', async () => {
    await goTo('dataset');
    await wrapper.get('#ds-subset').setValue('70000');
    await flush();
    expect(fieldOf('#ds-subset').querySelector('.error')?.textContent).toContain('70,000 is more than the 60,000 training images of mnist');
    expect(useWizardStore().canLaunch).toBe(false);
  });

  it('text that is not a number is reported, not silently coerced', async () => {
    await goTo('scheme');
    await wrapper.get('#lp-ratio').setValue('two');
    await flush();
    expect(fieldOf('#lp-ratio').querySelector('.error')).not.toBeNull();
    expect(useWizardStore().canLaunch).toBe(false);
  });

  it('validates the model’s hyper-parameters from the catalog schema at their field', async () => {
    await goTo('model');
    const latent = wrapper.get('[id="model.params.latent"]');
    expect((latent.element as HTMLInputElement).value).toBe(String((findPreset('smoke').config.model.params as { latent: number }).latent));
    await latent.setValue('5000');
    await flush();
    expect(fieldOf('[id="model.params.latent"]').querySelector('.error')?.textContent).toMatch(/1024/);
    expect(wrapper.get('[data-step="model"] .count').text()).toBe('1');
  });

  it('validates the split parameters and the islands’ count', async () => {
    await goTo('islands');
    await wrapper.get('#is-alpha').setValue('-2');
    await flush();
    expect(fieldOf('#is-kind').querySelector('.error')?.textContent).toMatch(/ALPHA must be > 0/);
    await wrapper.get('#is-count').setValue('0');
    await flush();
    expect(fieldOf('#is-count').querySelector('.error')).not.toBeNull();
  });

  it('launches a valid config through the client', async () => {
    await goTo('review');
    await flush();
    expect(wrapper.get('[data-testid="estimate"]').text()).toContain('2 min');
    await wrapper.get('[data-testid="launch"]').trigger('click');
    await flush();
    expect(client.calls.filter((c) => c.op === 'runs.start')).toHaveLength(1);
  });
});
