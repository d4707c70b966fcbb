/**
 * The codebase guards fire on planted violations (docs/decisions/0003-lint-and-layers.md): the
 * layer rules on test/fixtures/planted/, the type-aware linter on code it must refuse.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function cruise(cwd: string): string {
  try {
    execFileSync(join(ROOT, 'node_modules', '.bin', 'depcruise'), ['src', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--no-progress'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return '';
  } catch (e) {
    return String((e as { stdout?: string }).stdout);
  }
}

describe('layer rules', () => {
  it('refuse each planted violation', () => {
    const out = cruise(join(ROOT, 'test', 'fixtures', 'planted'));
    expect(out).toContain('domain-no-workers-api: src/domain/io.ts → cloudflare:workers');
    expect(out).toContain('routes-reach-storage-through-services: src/routes/direct.ts → src/storage/rows.ts');
    expect(out).toMatch(/no-circular: src\/services\/(a|b)\.ts/);
  }, 60_000);

  it('pass on the real tree', () => {
    expect(cruise(ROOT)).toBe('');
  }, 60_000);
});

describe('type-aware lint', () => {
  it('refuses a floating promise, a non-null assertion and an object in a template literal', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const code = [
      "import { BoundedCache } from './bounded-cache';",
      'const cache = new BoundedCache<string>(1, 1);',
      'async function later(): Promise<void> {}',
      'export function f(x: { a?: string }): string {',
      '  later();',
      '  return `${x}` + x.a! + String(cache.size);',
      '}',
    ].join('\n');
    // An existing file of the program, with other text: typed rules need the file in a tsconfig project.
    const [result] = await eslint.lintText(code, { filePath: join(ROOT, 'src', 'services', 'bounds.ts') });
    const rules = result.messages.map((m) => m.ruleId);
    expect(rules).toContain('@typescript-eslint/no-floating-promises');
    expect(rules).toContain('@typescript-eslint/no-non-null-assertion');
    expect(rules).toContain('@typescript-eslint/restrict-template-expressions');
  }, 60_000);
});
