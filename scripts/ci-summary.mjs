// Sums the vitest JSON reports of every package into CI's closing line, "N passed, N failed".
// Steps that failed outside the test runner (type-check, a package whose tests did not run)
// count as failures too, so the line never reads green when something broke.
import { existsSync, readFileSync, readdirSync } from 'node:fs';

const extraFailures = Number(process.argv[2] ?? 0);
let passed = 0;
let failed = 0;
let skipped = 0;
for (const pkg of readdirSync('packages')) {
  const report = `packages/${pkg}/.vitest-report.json`;
  if (!existsSync(`packages/${pkg}/test`)) continue;
  if (!existsSync(report)) {
    console.error(`no test report from packages/${pkg} (its tests did not run)`);
    failed++;
    continue;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  if (r.numFailedTestSuites > 0 && r.numFailedTests === 0) failed += r.numFailedTestSuites;
}
failed += extraFailures;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
