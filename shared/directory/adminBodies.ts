import { z } from "zod";
import { CalendarConfigSchema } from "../calendar/workingDays";
import { isLocalDate } from "../calendar/londonTime";
import { CapabilitySchema } from "../dispute/people";
import { formatPath } from "../procedure/procedureSchema";

/**
 * The bodies of the administration API (PUT /api/admin/…), strict: a field the API does not know
 * is refused by name rather than silently dropped, so a typo never looks like a change that took.
 */

const teamId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "must be a team id in lower-case-with-hyphens").max(64);
const localDate = z.string().refine(isLocalDate, "must be a date written YYYY-MM-DD");

export const PersonBodySchema = z.strictObject({
  displayName: z.string().trim().min(1).max(120),
  capabilities: z.array(CapabilitySchema).max(3).refine((c) => new Set(c).size === c.length, "must not repeat a capability"),
  teams: z.array(teamId).max(50),
  /** The service areas a manager sees on the dashboard. */
  serviceAreas: z.array(teamId).max(20).optional(),
  /** The person's Entra object id, when imported from Entra; a new person without one gets an id of their own. */
  entraId: z.string().min(1).max(64).optional(),
});
export type PersonBody = z.infer<typeof PersonBodySchema>;

export const TeamBodySchema = z.strictObject({
  displayName: z.string().trim().min(1).max(120),
  serviceArea: teamId,
});
export type TeamBody = z.infer<typeof TeamBodySchema>;

export const RoleBodySchema = z.strictObject({ upn: z.string().min(3).max(254) });

export const CalendarBodySchema = z.strictObject(CalendarConfigSchema.shape).extend({
  closureDays: z.array(localDate).max(366).refine((d) => new Set(d).size === d.length, "must not repeat a day"),
});
export type CalendarBody = z.infer<typeof CalendarBodySchema>;

export const BuiltInProcedureBodySchema = z.strictObject({ builtIn: z.string().min(1) });

export const CoverBodySchema = z
  .strictObject({ coverUpn: z.string().min(3).max(254), from: localDate, until: localDate })
  .refine((c) => c.from <= c.until, { path: ["until"], message: "must be on or after from" });
export type CoverBody = z.infer<typeof CoverBodySchema>;

/** A search by name or part of one: Entra people or groups, or the authority's own people (GET /api/people). */
export const EntraSearchSchema = z.strictObject({ search: z.string().trim().min(2, "type at least 2 letters").max(64) });

/** Add an Entra group's members to a team. */
export const ImportGroupBodySchema = z.strictObject({ groupId: z.string().min(1).max(64) });

/**
 * Fields in `input` that a schema's output dropped: every unknown field, at any depth, by its path
 * ("stages[1].colour"), for schemas that strip rather than refuse (a procedure file).
 */
export function unknownFields(input: unknown, parsed: unknown, path: (string | number)[] = []): string[] {
  if (Array.isArray(input) && Array.isArray(parsed)) return input.flatMap((v, i) => unknownFields(v, parsed[i], [...path, i]));
  if (!isRecord(input) || !isRecord(parsed)) return [];
  return Object.keys(input).flatMap((k) => (k in parsed ? unknownFields(input[k], parsed[k], [...path, k]) : [formatPath([...path, k])]));
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
