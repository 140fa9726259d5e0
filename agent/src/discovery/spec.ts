// What a scan may do and its limits, in one place (documented in agent/README.md "Scans").
export const SCAN_LIMITS = {
  /** NSE script output kept per script, UTF-8 bytes; longer output is cut with a marker. */
  maxScriptOutputBytes: 8 * 1024,
  /** Largest single element nmap may stream before the parser gives up (a broken stream). */
  maxElementBytes: 16 * 1024 * 1024,
  /** stderr kept for an NMAP_FAILED message. */
  maxStderrBytes: 2 * 1024,
  /** At most one TaskProgress per this many milliseconds. */
  progressIntervalMs: 1000,
  /** After SIGTERM, nmap gets this long before SIGKILL. */
  killGraceMs: 5000,
  /** --stats-every: how often nmap writes <taskprogress> into its XML stream. */
  statsEvery: '2s',
  /** TOP_PORTS / SERVICE without `ports`: how many top ports when the task says 0. */
  defaultTopPorts: 100,
  /** Hosts' ports listed per DiscoveredHost (an open-everything host stays bounded). */
  maxPortsPerHost: 10_000,
  maxScriptsPerPort: 100,
} as const;

export const TRUNCATED_MARKER = '\n…[truncated by watchpost-agent]';
