import { randomUUID } from "node:crypto";
import { words } from "../../shared/cards/text";
import type { CalendarConfig } from "../../shared/calendar/workingDays";
import { BuiltInProcedureBodySchema, CalendarBodySchema, CoverBodySchema, PersonBodySchema, RoleBodySchema, TeamBodySchema, unknownFields } from "../../shared/directory/adminBodies";
import { type Cover, describeCover } from "../../shared/directory/cover";
import { type DirectoryChange, calendarWords } from "../../shared/directory/directoryChange";
import type { Rejection } from "../../shared/dispute/lifecycle";
import type { PersonRef } from "../../shared/dispute/people";
import { type Procedure, RoleIdSchema, describeIssues, parseProcedure } from "../../shared/procedure/procedureSchema";
import { builtInProcedures } from "../../shared/procedures";
import { roleTitle } from "../../shared/procedure/roleTitle";
import { type Result, err, ok } from "../../shared/result";
import type { DirectoryPerson, DirectoryWrite, TeamInfo } from "../ports";
import type { Services } from "./services";

/**
 * What an authority's administrators do themselves: people, teams, who holds each role, cover,
 * the working calendar and the procedure. Each change is checked, written with its audit record
 * (who, when, before, after) in one transaction, and live at once: the roster is read on every
 * raise, and the calendar and procedure are read afresh after a change.
 */

export const WIDE = "*";
/** Table Storage keeps a string property up to 64 KiB (32K UTF-16 characters). */
const MAX_PROCEDURE_CHARS = 30_000;

export interface Administrator {
  tenantId: string;
  person: DirectoryPerson;
}

export type Changed<T> = { changed: boolean; value: T };
type Outcome<T> = Promise<Result<Changed<T>, Rejection>>;

const invalid = (message: string): Result<never, Rejection> => err({ code: "invalid", message });

export const isAdministrator = (p: DirectoryPerson) => p.capabilities.includes("admin");

export function mayAdminister(p: DirectoryPerson): Result<true, Rejection> {
  return isAdministrator(p) ? ok(true) : err({ code: "forbidden", message: "Only the authority's administrators can change its directory." });
}

/** Check a strict body: every problem (an unknown field included) named by its field. */
function checked<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: import("zod").ZodError } }, body: unknown): Result<T, Rejection> {
  const parsed = schema.safeParse(body);
  return parsed.success ? ok(parsed.data) : invalid(describeIssues(parsed.error));
}

/**
 * Write the change with its audit record, if what it replaces is still at `stamp` (read before the
 * change was worked out); otherwise someone else changed it meanwhile and nothing is written.
 */
async function record(services: Services, who: Administrator, write: DirectoryWrite, change: Omit<DirectoryChange, "id" | "at" | "by">, stamp: string | null): Promise<Result<true, Rejection>> {
  const by: PersonRef = { id: who.person.id, upn: who.person.upn, displayName: who.person.displayName };
  const done = await services.administration.apply(who.tenantId, write, { id: randomUUID(), at: services.clock.now().toISOString(), by, ...change }, stamp);
  // What this instance keeps of the authority (people, roles, calendar, procedure) is read afresh.
  if (done.ok) services.forgetRuntime(who.tenantId);
  return done.ok ? ok(true) : err({ code: "conflict", message: `${change.subject}: someone else changed it at the same moment. Nothing was changed; look again and retry.` });
}

const CAPABILITY_WORDS: Record<string, string> = { iro: "IRO / CP chair", qa: "QA", admin: "administrator" };

function personWords(p: DirectoryPerson, teams: TeamInfo[]): string {
  const caps = p.capabilities.map((c) => CAPABILITY_WORDS[c] ?? c).join(", ");
  const inTeams = p.teams.map((t) => teams.find((x) => x.id === t)?.displayName ?? t).join(", ");
  return `${p.displayName} (${p.upn})${caps ? `; ${caps}` : ""}${inTeams ? `; ${inTeams}` : ""}`;
}

const samePersonRecord = (a: DirectoryPerson, b: DirectoryPerson) => JSON.stringify(a) === JSON.stringify(b);

export async function putPerson(services: Services, who: Administrator, upn: string, body: unknown): Outcome<DirectoryPerson> {
  const allowed = mayAdminister(who.person);
  if (!allowed.ok) return allowed;
  const b = checked(PersonBodySchema, body);
  if (!b.ok) return b;
  if (!/^[^@\s]+@[^@\s]+$/.test(upn)) return invalid(`upn: "${upn}" is not a user principal name (name@domain).`);
  const teams = await services.directory.teams(who.tenantId);
  const unknown = b.value.teams.findIndex((t) => !teams.some((x) => x.id === t));
  if (unknown >= 0) return invalid(`teams[${unknown}]: there is no team "${b.value.teams[unknown]}" in this authority; add it first.`);
  const stamp = await services.administration.stamp(who.tenantId, { kind: "person", upn });
  const existing = await services.directory.personByUpn(who.tenantId, upn);
  if (existing && b.value.entraId && b.value.entraId !== existing.id) return invalid(`entraId: ${upn} is already in the directory with another Entra object id.`);
  const id = existing?.id ?? b.value.entraId ?? randomUUID();
  if (!existing) {
    const clash = await services.directory.personById(who.tenantId, id);
    if (clash) return err({ code: "conflict", message: `entraId: that Entra object id is already ${clash.displayName} (${clash.upn}).` });
  }
  const person: DirectoryPerson = {
    id,
    upn: existing?.upn ?? upn.toLowerCase(),
    displayName: b.value.displayName,
    capabilities: b.value.capabilities,
    serviceAreas: b.value.serviceAreas ?? existing?.serviceAreas ?? [],
    teams: b.value.teams,
  };
  if (existing && samePersonRecord(existing, person)) return ok({ changed: false, value: person });
  if (existing && isAdministrator(existing) && !isAdministrator(person)) {
    // An authority with no administrator could never change its directory again.
    const others = (await services.administration.people(who.tenantId)).filter((p) => p.id !== existing.id && isAdministrator(p));
    if (!others.length) return invalid(`capabilities: ${existing.displayName} is the authority's only administrator; make someone else an administrator first.`);
  }
  const done = await record(
    services,
    who,
    { kind: "person", person },
    { kind: "person", subject: person.displayName, was: existing ? personWords(existing, teams) : null, now: personWords(person, teams), before: existing ?? null, after: person },
    stamp,
  );
  return done.ok ? ok({ changed: true, value: person }) : done;
}

export async function putTeam(services: Services, who: Administrator, teamId: string, body: unknown): Outcome<TeamInfo> {
  const allowed = mayAdminister(who.person);
  if (!allowed.ok) return allowed;
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(teamId)) return invalid(`teamId: "${teamId}" must be an id in lower-case-with-hyphens.`);
  const b = checked(TeamBodySchema, body);
  if (!b.ok) return b;
  const stamp = await services.administration.stamp(who.tenantId, { kind: "team", id: teamId });
  const existing = await services.directory.team(who.tenantId, teamId);
  const team: TeamInfo = { id: teamId, displayName: b.value.displayName, serviceArea: b.value.serviceArea };
  if (existing && existing.displayName === team.displayName && existing.serviceArea === team.serviceArea) return ok({ changed: false, value: team });
  const teamWords = (t: TeamInfo) => `${t.displayName}, service area ${words(t.serviceArea)}`;
  const done = await record(services, who, { kind: "team", team }, { kind: "team", subject: `Team ${team.displayName}`, was: existing ? teamWords(existing) : null, now: teamWords(team), before: existing ?? null, after: team }, stamp);
  return done.ok ? ok({ changed: true, value: team }) : done;
}


export async function putRole(services: Services, who: Administrator, teamId: string, role: string, body: unknown): Outcome<{ scope: string; role: string; holder: PersonRef }> {
  const allowed = mayAdminister(who.person);
  if (!allowed.ok) return allowed;
  if (!RoleIdSchema.safeParse(role).success) return invalid(`roleId: "${role}" must be a role id in lower-case-with-hyphens.`);
  const team = teamId === WIDE ? undefined : await services.directory.team(who.tenantId, teamId);
  if (teamId !== WIDE && !team) return err({ code: "not-found", message: `There is no team "${teamId}" in this authority.` });
  const b = checked(RoleBodySchema, body);
  if (!b.ok) return b;
  const holder = await services.directory.personByUpn(who.tenantId, b.value.upn);
  if (!holder) return invalid(`upn: nobody with the UPN ${b.value.upn} is in the directory; add them first.`);
  const stamp = await services.administration.stamp(who.tenantId, { kind: "role", scope: teamId, role });
  const current = (await services.administration.roles(who.tenantId)).find((r) => r.scope === teamId && r.role === role);
  const holderRef = { id: holder.id, upn: holder.upn, displayName: holder.displayName };
  if (current?.personId === holder.id) return ok({ changed: false, value: { scope: teamId, role, holder: holderRef } });
  const before = current ? await services.directory.personById(who.tenantId, current.personId) : undefined;
  const runtime = await services.runtime(who.tenantId);
  const done = await record(
    services,
    who,
    { kind: "role", scope: teamId, role, personId: holder.id },
    {
      kind: "role",
      subject: `${roleTitle(runtime?.procedure, role)}, ${team ? team.displayName : "authority-wide"}`,
      was: current ? (before?.displayName ?? "someone no longer in the directory") : null,
      now: holder.displayName,
      before: current ? { personId: current.personId, upn: before?.upn ?? null } : null,
      after: { personId: holder.id, upn: holder.upn },
    },
    stamp,
  );
  return done.ok ? ok({ changed: true, value: { scope: teamId, role, holder: holderRef } }) : done;
}

export async function putCalendar(services: Services, who: Administrator, body: unknown): Outcome<CalendarConfig> {
  const allowed = mayAdminister(who.person);
  if (!allowed.ok) return allowed;
  const b = checked(CalendarBodySchema, body);
  if (!b.ok) return b;
  const stamp = await services.administration.stamp(who.tenantId, { kind: "config" });
  const config = await services.directory.tenant(who.tenantId);
  if (!config) return err({ code: "not-found", message: `No authority "${who.tenantId}".` });
  const calendar = { closureDays: [...b.value.closureDays].sort(), endOfDay: b.value.endOfDay };
  const before = { closureDays: config.calendar.closureDays ?? [], endOfDay: config.calendar.endOfDay ?? "17:00" };
  if (JSON.stringify(before) === JSON.stringify(calendar)) return ok({ changed: false, value: calendar });
  const done = await record(services, who, { kind: "config", config: { ...config, calendar } }, { kind: "calendar", subject: "Working calendar", was: calendarWords(before), now: calendarWords(calendar), before, after: calendar }, stamp);
  return done.ok ? ok({ changed: true, value: calendar }) : done;
}

/**
 * Put a procedure in place: a built-in (`{ "builtIn": "lambeth" }`) or a council's own JSON,
 * checked with the schema and strict about unknown fields. Each is a new version; running
 * disputes keep the ladder copied onto them when they were raised.
 */
export async function putProcedure(services: Services, who: Administrator, body: unknown): Outcome<{ id: string; title: string; version: number }> {
  const allowed = mayAdminister(who.person);
  if (!allowed.ok) return allowed;
  const stamp = await services.administration.stamp(who.tenantId, { kind: "config" });
  const config = await services.directory.tenant(who.tenantId);
  if (!config) return err({ code: "not-found", message: `No authority "${who.tenantId}".` });
  const isBuiltIn = typeof body === "object" && body !== null && "builtIn" in body;
  let procedure: Procedure;
  let json: string | undefined;
  if (isBuiltIn) {
    const b = checked(BuiltInProcedureBodySchema, body);
    if (!b.ok) return b;
    const found = builtInProcedures[b.value.builtIn];
    if (!found) return invalid(`builtIn: there is no built-in procedure "${b.value.builtIn}"; choose one of ${Object.keys(builtInProcedures).join(", ")}.`);
    procedure = found;
  } else {
    const parsed = parseProcedure(body, "This file");
    if (!parsed.ok) return invalid(parsed.error);
    const extra = unknownFields(body, parsed.value);
    if (extra.length) return invalid(`This file is not a valid procedure: ${extra.map((f) => `${f}: is not a field of a procedure`).join("; ")}`);
    json = JSON.stringify(body);
    if (json.length > MAX_PROCEDURE_CHARS) return invalid(`The procedure is ${json.length} characters long; the most it may be is ${MAX_PROCEDURE_CHARS}.`);
    procedure = parsed.value;
  }
  const version = (config.procedureVersion ?? 0) + 1;
  const before = { procedure: config.procedure, version: config.procedureVersion ?? 0 };
  const after = { procedure: json ? "uploaded" : procedure.id, version, id: procedure.id };
  const runtime = await services.runtime(who.tenantId);
  const describe = (p: Procedure | undefined, fallback: string) => (p ? `${p.authority}: ${p.title}` : fallback);
  const done = await record(
    services,
    who,
    { kind: "config", config: { calendar: config.calendar, procedure: after.procedure, procedureVersion: version }, ...(json ? { uploaded: { version, json } } : {}) },
    { kind: "procedure", subject: "Procedure", was: describe(runtime?.procedure, config.procedure), now: `${describe(procedure, procedure.id)} (version ${version}${json ? ", uploaded" : ""})`, before, after },
    stamp,
  );
  return done.ok ? ok({ changed: true, value: { id: procedure.id, title: procedure.title, version } }) : done;
}

/** Cover is set by an administrator, or by the holder for themselves ("I am away from … to …"). */
async function coverTarget(services: Services, who: Administrator, upn: string): Promise<Result<DirectoryPerson, Rejection>> {
  const self = who.person.upn.toLowerCase() === upn.toLowerCase();
  if (!self && !isAdministrator(who.person)) return err({ code: "forbidden", message: "Only an administrator, or the person themselves, can set who covers for them." });
  const holder = await services.directory.personByUpn(who.tenantId, upn);
  return holder ? ok(holder) : err({ code: "not-found", message: `Nobody with the UPN ${upn} is in the directory.` });
}

const ref = (p: PersonRef): PersonRef => ({ id: p.id, upn: p.upn, displayName: p.displayName });

export async function putCover(services: Services, who: Administrator, upn: string, body: unknown): Outcome<Cover> {
  const holder = await coverTarget(services, who, upn);
  if (!holder.ok) return holder;
  const b = checked(CoverBodySchema, body);
  if (!b.ok) return b;
  const coverPerson = await services.directory.personByUpn(who.tenantId, b.value.coverUpn);
  if (!coverPerson) return invalid(`coverUpn: nobody with the UPN ${b.value.coverUpn} is in the directory.`);
  if (coverPerson.id === holder.value.id) return invalid("coverUpn: a person cannot cover for themselves.");
  const cover: Cover = { holder: ref(holder.value), cover: ref(coverPerson), from: b.value.from, until: b.value.until };
  const stamp = await services.administration.stamp(who.tenantId, { kind: "cover", personId: holder.value.id });
  const before = await services.administration.cover(who.tenantId, holder.value.id);
  if (before && JSON.stringify(before) === JSON.stringify(cover)) return ok({ changed: false, value: cover });
  const subject = `Cover for ${holder.value.displayName}`;
  const done = await record(services, who, { kind: "cover", personId: holder.value.id, cover }, { kind: "cover", subject, was: before ? describeCover(before) : null, now: describeCover(cover), before: before ?? null, after: cover }, stamp);
  return done.ok ? ok({ changed: true, value: cover }) : done;
}

export async function endCover(services: Services, who: Administrator, upn: string): Outcome<null> {
  const holder = await coverTarget(services, who, upn);
  if (!holder.ok) return holder;
  const stamp = await services.administration.stamp(who.tenantId, { kind: "cover", personId: holder.value.id });
  const before = await services.administration.cover(who.tenantId, holder.value.id);
  if (!before) return ok({ changed: false, value: null });
  const done = await record(services, who, { kind: "cover", personId: holder.value.id, cover: null }, { kind: "cover", subject: `Cover for ${holder.value.displayName}`, was: describeCover(before), now: null, before, after: null }, stamp);
  return done.ok ? ok({ changed: true, value: null }) : done;
}
