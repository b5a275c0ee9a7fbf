// Preloaded into a child process (node -r): prints the process's peak resident memory on exit, on
// standard error as one line `max-rss-kib N`, for tests that check memory does not grow with a file.
'use strict';
process.on('exit', () => {
  process.stderr.write(`\nmax-rss-kib ${process.resourceUsage().maxRSS}\n`);
});
