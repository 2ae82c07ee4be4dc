import { z } from "zod";

const id = z.string().min(1).max(128);
const optionalDate = z.coerce.date().optional();
const paging = { cursor: z.string().min(1).max(512).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) };

/** Keyword search runs on the blind index across the reader's scope; one search covers at most the retention period. */
export const MAX_SEARCH_DAYS = 1100;

const orderedRange = <T extends { from?: Date; to?: Date }>(v: T) => !v.from || !v.to || v.from < v.to;
const rangeMessage = { message: "开始时间必须早于结束时间", path: ["from"] };

export const staffParams = z.object({ userid: id });
export const parentParams = z.object({ externalUserid: id });
/** A page of threads within an optional time range (the subject is the URL's). */
export const threadListQuery = z.object({ from: optionalDate, to: optionalDate, ...paging }).refine(orderedRange, rangeMessage);

export const threadSchema = z
  .object({ staff: id.optional(), parent: id.optional(), room: id.optional(), from: optionalDate, to: optionalDate, ...paging })
  .refine((v) => (v.room !== undefined ? v.staff === undefined && v.parent === undefined : v.staff !== undefined && v.parent !== undefined), {
    message: "请指定 staff 与 parent（单聊），或 room（群聊）",
    path: ["room"],
  })
  .refine(orderedRange, rangeMessage);
export type ThreadInput = z.infer<typeof threadSchema>;

export const searchSchema = z
  .object({
    staff: id.optional(),
    parent: id.optional(),
    room: id.optional(),
    q: z.string().trim().min(1).max(50),
    from: z.coerce.date(),
    to: z.coerce.date(),
    page: z.coerce.number().int().min(1).max(1000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  })
  .refine((v) => v.room === undefined || (v.staff === undefined && v.parent === undefined), {
    message: "群聊不能与员工或家长同时指定",
    path: ["room"],
  })
  .refine(orderedRange, rangeMessage)
  .refine((v) => v.to.getTime() - v.from.getTime() <= MAX_SEARCH_DAYS * 86_400_000, {
    message: `检索时间范围不能超过 ${MAX_SEARCH_DAYS} 天`,
    path: ["to"],
  });
export type SearchInput = z.infer<typeof searchSchema>;

export const exportSchema = z
  .object({ staff: id, parent: id.optional(), format: z.enum(["json", "md"]).default("json"), from: optionalDate, to: optionalDate })
  .refine(orderedRange, rangeMessage);
export type ExportInput = z.infer<typeof exportSchema>;

/** One file of an archived message: a mixed message carries several (part 1, 2, …). */
export const mediaParams = z.object({ msgid: z.string().min(1).max(256) });
export const mediaQuery = z.object({ part: z.coerce.number().int().min(1).max(100).default(1) });
