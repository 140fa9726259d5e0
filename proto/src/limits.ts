// Protocol limits with their defaults. The hub may lower or raise them (config) and tells each
// agent the values in force in Welcome.limits.
export const DEFAULT_LIMITS = {
  /** Largest WebSocket frame either side accepts. */
  maxFrameBytes: 4 * 1024 * 1024,
  /** Sequenced messages an agent may send before it must wait for an Ack. */
  maxInFlight: 1024,
  /** Sustained sequenced messages per second per agent (token bucket, burst = 2 s worth). */
  maxMessagesPerSecond: 20_000,
  /** Seconds an agent may take to send Enroll/Hello after the Challenge. */
  handshakeTimeoutS: 10,
  /** Seconds between heartbeats; the hub marks an agent offline after 3 missed. */
  heartbeatIntervalS: 30,
  /** Longest the hub waits to gather more messages into one committed batch. */
  maxBatchDelayMs: 5,
  /** Most messages committed in one batch. */
  maxBatch: 500,
} as const;

export type Limits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };
