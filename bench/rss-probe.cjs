// Preloaded into the measured CLI process (`node --require bench/rss-probe.cjs bin/kafkaform.js`):
// on exit, writes the process's peak resident set size (bytes) and CPU time to
// $KAFKAFORM_BENCH_RSS_FILE. The kernel's high-water mark is exact, where polling /proc from
// outside could miss the peak.
'use strict';
const { writeFileSync } = require('node:fs');

const file = process.env.KAFKAFORM_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRss: usage.maxRSS * 1024, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
  });
}
