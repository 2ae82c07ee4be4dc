import type { EntityManager } from "typeorm";

export interface InheritedThreads {
  predecessor: string;
  externalUserIds: string[];
}

/**
 * Who handed which parents to a successor — the handover capability knows
 * (its transfers), the conversation policy needs it (记录继承: a successor may
 * read a predecessor's history with the parents WeCom confirmed). The handover
 * module provides it at composition, so conversations does not depend on handover.
 */
export type InheritedThreadsSource = (manager: EntityManager, successorUserid: string) => Promise<InheritedThreads[]>;
