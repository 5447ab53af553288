import { formatNumber, type StatValue } from './number-format';

/**
 * Text and numbers for LaTeX that compiles with plain pdflatex (no package beyond what a table needs: booktabs):
 * special characters escaped, the metric catalog's symbols (W₁, Tr(Σ̄), ‖μ − μ*‖, ∫, ψ, …) and every number as math.
 * Node-free: the engine's study tables and the renderer's comparison table both use it.
 */

/** Phrases of the catalog's labels written as one formula; the longest first. */
const LATEX_PHRASES: [string, string][] = [
  ['‖Σ − Σ*‖/‖Σ*‖', '\\|\\Sigma - \\Sigma^*\\|/\\|\\Sigma^*\\|'],
  ['‖μ − μ*‖', '\\|\\mu - \\mu^*\\|'],
  ['∫E‖e‖²', '\\int E\\|e\\|^2'],
  ['∫‖Πe‖²', '\\int \\|\\Pi e\\|^2'],
  ['Tr(Σ̄)', '\\mathrm{Tr}(\\bar{\\Sigma})'],
  ['Tr(Σ)', '\\mathrm{Tr}(\\Sigma)'],
  ['W₁', 'W_1'],
  ['W₂', 'W_2'],
];

/** Single characters written as math. */
const LATEX_MATH_CHARS: Record<string, string> = {
  '±': '\\pm',
  '−': '-',
  '×': '\\times',
  '·': '\\cdot',
  '≤': '\\leq',
  '≥': '\\geq',
  '≈': '\\approx',
  '∞': '\\infty',
  '∫': '\\int',
  '‖': '\\|',
  '²': '^2',
  '³': '^3',
  '₀': '_0',
  '₁': '_1',
  '₂': '_2',
  α: '\\alpha',
  β: '\\beta',
  γ: '\\gamma',
  δ: '\\delta',
  ε: '\\varepsilon',
  θ: '\\theta',
  λ: '\\lambda',
  μ: '\\mu',
  π: '\\pi',
  ρ: '\\rho',
  σ: '\\sigma',
  τ: '\\tau',
  φ: '\\phi',
  ψ: '\\psi',
  ω: '\\omega',
  Δ: '\\Delta',
  Π: '\\Pi',
  Σ: '\\Sigma',
  Ω: '\\Omega',
};

/** Single characters written as text. */
const LATEX_TEXT_CHARS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  _: '\\_',
  '%': '\\%',
  '&': '\\&',
  '#': '\\#',
  $: '\\$',
  '{': '\\{',
  '}': '\\}',
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  '|': '\\textbar{}',
  '—': '---',
  '–': '--',
  '…': '\\ldots{}',
  '‘': '`',
  '’': "'",
  '“': '``',
  '”': "''",
  '\n': ' ',
  '\r': ' ',
};

/** U+0304, the combining macron of Σ̄: a bar over the character before it. */
const COMBINING_MACRON = '\u0304';

/**
 * Text for LaTeX: special characters escaped, the catalog's symbols as math (adjacent formulas merged into one), a
 * combining macron as a bar over its letter. A character it does not know outside ASCII is written as `?`, since
 * pdflatex stops at it.
 */
export function latexText(s: string): string {
  const parts: { math: boolean; tex: string }[] = [];
  const push = (math: boolean, tex: string) => {
    const last = parts[parts.length - 1];
    if (last && last.math && math) last.tex += tex.startsWith('^') || tex.startsWith('_') ? tex : ` ${tex}`;
    else parts.push({ math, tex });
  };
  let i = 0;
  outer: while (i < s.length) {
    for (const [phrase, tex] of LATEX_PHRASES) {
      if (s.startsWith(phrase, i)) {
        push(true, tex);
        i += phrase.length;
        continue outer;
      }
    }
    const c = s[i];
    i += 1;
    if (c === COMBINING_MACRON) {
      const last = parts[parts.length - 1];
      if (last?.math) last.tex = last.tex.replace(/(\\[A-Za-z]+|.)$/, '\\bar{$1}');
      else if (last) last.tex = last.tex.replace(/(.)$/, '\\={$1}');
      continue;
    }
    if (c in LATEX_MATH_CHARS) push(true, LATEX_MATH_CHARS[c]);
    else push(false, LATEX_TEXT_CHARS[c] ?? (c.charCodeAt(0) > 0x7e ? '?' : c));
  }
  return parts.map((p) => (p.math ? `$${p.tex}$` : p.tex)).join('');
}

/** A number as math: `-0.25`, `1.083 \times 10^{-5}`, `\infty` (without the surrounding `$`). */
export function latexNumberMath(x: number): string {
  if (Number.isNaN(x)) return '\\mathrm{NaN}';
  if (!Number.isFinite(x)) return x > 0 ? '\\infty' : '-\\infty';
  const [mantissa, exponent] = formatNumber(x).split('e');
  return exponent === undefined ? mantissa : `${mantissa} \\times 10^{${exponent}}`;
}

/** A number as inline math: `$1.083 \times 10^{-5}$`. */
export function latexNumber(x: number): string {
  return `$${latexNumberMath(x)}$`;
}

/** `mean ± sd (n)` with the numbers as one formula: `$0.25 \pm 0.01$ (3)`; sd left out when null. */
export function latexStat(s: StatValue): string {
  const formula = s.sd === null ? latexNumberMath(s.mean) : `${latexNumberMath(s.mean)} \\pm ${latexNumberMath(s.sd)}`;
  return `$${formula}$ (${s.n})`;
}
