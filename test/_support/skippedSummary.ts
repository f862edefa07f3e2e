import type { Reporter, TestCase, TestModule, TestSuite } from 'vitest/node';

// A reporter that makes skipped suites loud: the default summary only counts them ("212
// skipped"), and a run without ../shared/vectors would look green. After the summary it names
// every skipped suite with its reason (the suites put it in their name) and says that CI refuses
// the run (.ci/run fails on any skipped test).

/** The outermost skipped suite holding `test` (the test itself when it was skipped alone). */
function skippedRoot(test: TestCase): TestCase | TestSuite {
  let root: TestCase | TestSuite = test;
  for (let p = test.parent; p.type === 'suite' && p.state() === 'skipped'; p = p.parent) root = p;
  return root;
}

export default class SkippedSummary implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const groups = new Map<string, number>();
    let skipped = 0;
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        if (test.result().state !== 'skipped') continue;
        skipped++;
        const key = `${module.relativeModuleId}: ${skippedRoot(test).name}`;
        groups.set(key, (groups.get(key) ?? 0) + 1);
      }
    }
    if (skipped === 0) return;
    const lines = [...groups].map(([suite, n]) => `  ${suite} (${n} test${n === 1 ? '' : 's'})`);
    process.stdout.write(
      `\n!!! ${skipped} test${skipped === 1 ? '' : 's'} SKIPPED: this run lacks their coverage, and CI (.ci/run) fails on any skipped test.\n${lines.join('\n')}\n\n`,
    );
  }
}
