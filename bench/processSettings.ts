/**
 * The process settings the server is shipped with (infra/Dockerfile, infra/systemd; see
 * broker/README.md): a smaller V8 young generation (-10 MB with 1,000 boxes; 4 MB saves more but
 * costs 15-25 % of QoS 0 throughput), and scrypt's 16 MiB buffers handed back to the system after
 * each login (glibc otherwise keeps them in its per-thread arenas: +34 MB). The benchmarks run the
 * LikeBox processes with them; BENCH_DEFAULT_ENV=1 measures with Node's defaults instead.
 */
export const PRODUCTION_ENV: Readonly<Record<string, string>> =
  process.env.BENCH_DEFAULT_ENV === '1'
    ? {}
    : { NODE_OPTIONS: '--max-semi-space-size=8', MALLOC_MMAP_THRESHOLD_: '131072' };
