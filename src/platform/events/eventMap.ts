/**
 * Every domain event one capability publishes for others, with its payload: the contract between them.
 * A capability reacts to another's event by subscribing by name (DomainEventBus.subscribe), never by being
 * handed a closure into the other's internals. Payloads are JSON (stored in domain_event).
 */
export interface DomainEventMap {
  /**
   * Resignation: the leaver's last day has come, the archive is drained and the account disabled (when the
   * branch disables accounts): their parents and groups are to go to successors through WeCom's resigned
   * transfer. Handover starts the transfers.
   */
  "resignation.resigned_transfers_due": { caseId: string; employeeUserid: string };
}

export type DomainEventName = keyof DomainEventMap;
