// Preloaded (node -r) into every measured process: on exit it writes the process's own
// resource usage (peak RSS over all threads, CPU time) to the file named by
// RESILINT_BENCH_USAGE. Portable where /usr/bin/time -v is not, and identical for the
// parse floor and the scan, so neither pays for the measurement differently.
const fs = require('node:fs');

const target = process.env.RESILINT_BENCH_USAGE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    fs.writeFileSync(target, JSON.stringify({ maxRssKb: usage.maxRSS, userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000 }));
  });
}
