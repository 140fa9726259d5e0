// Vulnerability-intelligence benchmarks (#5). Each engineer owns one section module registered
// below; a section prints its own markdown table and compares against a baseline measured in
// the same run. Run all: scripts/bench/intel; one: scripts/bench/intel <section-name>.
// Prints figures; asserts nothing.
import { importsSection } from './intel-imports.js';
import { earlyWarningSection, matchingSection } from './intel-matching.js';
import { feedImportSection } from './intel-feeds.js';

export interface BenchSection {
  /** Short name used on the command line. */
  name: string;
  title: string;
  run(): Promise<void>;
}

// C1 (feeds / matching) and C2 (early warning) append their sections here.
const sections: BenchSection[] = [importsSection, matchingSection, earlyWarningSection, feedImportSection];

const wanted = process.argv.slice(2);
for (const s of sections) {
  if (wanted.length > 0 && !wanted.includes(s.name)) continue;
  console.log(`\n## ${s.title}\n`);
  await s.run();
}
