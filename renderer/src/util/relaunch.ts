import type { RunSummaryDto } from '../../../main/contract/api';
import { navigate } from '../router';
import { useRunDetailsStore } from '../stores/run-details';
import { useWizardStore } from '../stores/wizard';

/**
 * A run that failed before finishing a generation failed on its setup (its config, its data): resuming it would fail
 * again, so it offers "Edit and relaunch" (its config in the wizard) instead of Resume.
 */
export function failedOnSetup(r: Pick<RunSummaryDto, 'state' | 'lastGeneration'>): boolean {
  return r.state === 'failed' && r.lastGeneration < 0;
}

/** Open a run's config in the wizard's review step, to edit and launch it again. */
export async function editAndRelaunch(runId: string): Promise<void> {
  const details = useRunDetailsStore();
  const wizard = useWizardStore();
  const d = await details.get(runId, undefined, true);
  if (!d) return;
  if (!wizard.catalog) await wizard.init();
  wizard.importJson(JSON.stringify(d.config));
  wizard.study.enabled = false;
  wizard.goTo(wizard.issues.length ? 0 : 4);
  navigate({ name: 'wizard' });
}
