// Child process for the crash test: rewrites the snapshot in a loop until it is killed.
import { writeFileAtomic } from '../../../src/targets/snapshot/file.js';

const [file, a, b] = process.argv.slice(2) as [string, string, string];
const { readFileSync } = await import('node:fs');
const texts = [readFileSync(a, 'utf8'), readFileSync(b, 'utf8')];
for (let i = 0; ; i++) {
  await writeFileAtomic(file, texts[i % 2]!);
  process.stdout.write('wrote\n');
}
