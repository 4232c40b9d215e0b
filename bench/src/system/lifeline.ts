/**
 * Preloaded (`--import`) into every process the benchmark starts: when the benchmark dies
 * without cleaning up (kill -9, a crash), its children notice they were orphaned and exit,
 * instead of holding ports, sockets and CPU on a shared machine.
 */
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(70);
}, 1000).unref();
