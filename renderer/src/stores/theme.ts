import { defineStore } from 'pinia';
import { computed, ref, watchEffect } from 'vue';

export type ThemeChoice = 'system' | 'light' | 'dark';

/** Light, dark, or the system's choice (prefers-color-scheme), kept across sessions; applied as <html data-theme>. */
export const useThemeStore = defineStore('theme', () => {
  const stored = safeGet('lab-theme');
  const choice = ref<ThemeChoice>(stored === 'light' || stored === 'dark' ? stored : 'system');
  const media = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  const systemDark = ref(media?.matches ?? false);
  media?.addEventListener?.('change', (e) => (systemDark.value = e.matches));

  const theme = computed<'light' | 'dark'>(() => (choice.value === 'system' ? (systemDark.value ? 'dark' : 'light') : choice.value));

  watchEffect(() => {
    if (typeof document !== 'undefined') document.documentElement.dataset.theme = theme.value;
  });

  function set(c: ThemeChoice): void {
    choice.value = c;
    safeSet('lab-theme', c);
  }

  /** Cycle system → light → dark → system. */
  function toggle(): void {
    set(choice.value === 'system' ? 'light' : choice.value === 'light' ? 'dark' : 'system');
  }

  return { choice, theme, set, toggle };
});

function safeGet(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function safeSet(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage may be unavailable (privacy mode); the choice holds for this session
  }
}
