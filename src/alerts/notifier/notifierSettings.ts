import { z } from "zod";
import type { AlertKind } from "../rules/alert";

const ALERT_KINDS = ["mass_messaging", "sensitive_content", "mass_deletion", "parent_left", "after_last_day_message"] as const;

const routeSchema = z.object({
  webhook: z.boolean().default(true),
  app: z.boolean().default(true),
  /** Hold this kind for the daily digest even when its rule says immediate. */
  digest: z.boolean().default(false),
});
export type KindRoute = z.infer<typeof routeSchema>;

/**
 * Where a branch's alerts go. The webhook reaches the HR group (with
 * @mentions); app messages reach named HR users as cards with buttons.
 */
export const notifierSettingsSchema = z.object({
  /** The group robot's key; without one the webhook channel is off. */
  webhookKey: z.string().min(1).optional(),
  /** Mentioned in the group markdown, besides the rule's auditor. */
  mentionUserIds: z.array(z.string().min(1)).max(50).default([]),
  /** Receive the card besides the rule's auditor. */
  hrUserIds: z.array(z.string().min(1)).max(50).default([]),
  routes: z.partialRecord(z.enum(ALERT_KINDS), routeSchema).default({}),
});
export type NotifierSettings = z.infer<typeof notifierSettingsSchema>;

export function routeFor(settings: NotifierSettings, kind: AlertKind): KindRoute {
  return settings.routes[kind] ?? { webhook: true, app: true, digest: false };
}
