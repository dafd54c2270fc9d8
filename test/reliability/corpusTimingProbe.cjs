// Preloaded (node -r) into the CLI processes of the corpus run: per-file time without a
// clock in the engine. A single-threaded `check` reads each file just before analysing
// it, so the time from one given file's first read to the next one's (the last ends at
// the report's first write) is that file's parse plus rules plus any type-checker build
// it caused. A file first read as another file's import has its analysis counted with
// whichever file came before it: an approximation that can only move time, never hide it.
// On exit the timings go to the file named by RESILINT_CORPUS_TIMINGS as [[path, ms], ...].
const fs = require('node:fs');
const path = require('node:path');

const target = process.env.RESILINT_CORPUS_TIMINGS;
if (target) {
  const given = new Set(process.argv.filter((arg) => path.isAbsolute(arg) && /\.(?:[cm]?ts|tsx)$/.test(arg)));
  const marks = [];
  const seen = new Set();
  const mark = (file) => {
    if (!given.has(file) || seen.has(file)) return;
    seen.add(file);
    marks.push([file, performance.now()]);
  };
  const readFileSync = fs.readFileSync;
  fs.readFileSync = function (file, ...rest) {
    if (typeof file === 'string') mark(file);
    return readFileSync.call(this, file, ...rest);
  };
  let end;
  const write = process.stdout.write;
  process.stdout.write = function (...args) {
    end ??= performance.now();
    return write.apply(this, args);
  };
  process.on('exit', () => {
    const stop = end ?? performance.now();
    const timings = marks.map(([file, start], i) => [file, Math.round(((marks[i + 1]?.[1] ?? stop) - start) * 10) / 10]);
    fs.writeFileSync(target, JSON.stringify(timings));
  });
}
