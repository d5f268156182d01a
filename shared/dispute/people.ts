import { z } from "zod";
import { RoleIdSchema } from "../procedure/procedureSchema";

/** Someone in the authority's directory, by their Entra object id. */
export const PersonRefSchema = z.object({
  id: z.string().min(1).max(64),
  upn: z.string().min(3).max(254),
  displayName: z.string().min(1).max(120),
});
export type PersonRef = z.infer<typeof PersonRefSchema>;

/** A person to choose by name (reassign, good practice): what a picker shows, and the UPN it sends. */
export type PersonChoice = Pick<PersonRef, "displayName" | "upn">;

/** Who holds each role for a child's team, as the directory said when the dispute was raised. */
export const RosterSchema = z.record(RoleIdSchema, PersonRefSchema);
export type Roster = z.infer<typeof RosterSchema>;

/**
 * What a person may do beyond their place on a dispute: raise as an IRO / CP chair, oversee as QA,
 * administer the authority's directory (people, roles, cover, calendar, procedure).
 */
export const CapabilitySchema = z.enum(["iro", "qa", "admin"]);
export type Capability = z.infer<typeof CapabilitySchema>;

export type Actor =
  | {
      kind: "person";
      person: PersonRef;
      capabilities: readonly Capability[];
      /** The holder whose cover stands for this person now (resolved by the caller): they may answer in the holder's place. */
      coverFor?: PersonRef;
    }
  | { kind: "system" };

export const SYSTEM: Actor = { kind: "system" };

/** Where a command came from, kept on every audit event. */
export const SourceSchema = z.enum(["teams", "outlook", "tab", "api", "mail", "system"]);
export type Source = z.infer<typeof SourceSchema>;

/** "Adele Vance, covering for Megan Bowen" for someone acting in a holder's place; otherwise just their name. */
export const actingName = (person: PersonRef, coveringFor?: PersonRef, name: (p: PersonRef) => string = (p) => p.displayName) =>
  coveringFor ? `${name(person)}, covering for ${name(coveringFor)}` : name(person);

export const samePerson = (a: PersonRef | undefined, b: PersonRef | undefined) =>
  !!a && !!b && a.id === b.id;
