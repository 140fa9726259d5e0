// How the outbox budget splits: producers may fill up to `producerBytes`; the rest is reserved
// for the agent's own OUTBOX_FULL / OUTBOX_RESUMED events. Collection resumes once the backlog
// falls to `resumeBytes` (hysteresis, so it does not flap on every ack).
export interface BudgetLimits {
  budgetBytes: number;
  producerBytes: number;
  resumeBytes: number;
}

export function budgetLimits(budgetBytes: number): BudgetLimits {
  const reserve = Math.max(1024, Math.min(1024 * 1024, Math.floor(budgetBytes * 0.05)));
  const producerBytes = budgetBytes - reserve;
  return { budgetBytes, producerBytes, resumeBytes: Math.floor(producerBytes * 0.75) };
}
