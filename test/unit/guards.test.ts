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
  it('refuses a floating promise, an always-true condition and an object in a template literal', async () => {
    // A real file with its own tsconfig (typed rules need a program); fixtures are otherwise ignored.
    const planted = join(ROOT, 'test', 'fixtures', 'planted');
    const eslint = new ESLint({
      cwd: ROOT,
      ignore: false,
      overrideConfig: { languageOptions: { parserOptions: { project: [join(planted, 'tsconfig.json')], tsconfigRootDir: planted } } },
    });
    const [result] = await eslint.lintFiles([join(planted, 'src', 'services', 'lint.ts')]);
    const rules = result.messages.map((m) => m.ruleId);
    expect(rules).toContain('@typescript-eslint/no-floating-promises');
    expect(rules).toContain('@typescript-eslint/no-unnecessary-condition');
    expect(rules).toContain('@typescript-eslint/restrict-template-expressions');
  }, 60_000);
});
