export { Outbox, type OutboxBody, type OutboxEntry, type OutboxStats } from './outbox.js';
export { budgetLimits } from './budget.js';
