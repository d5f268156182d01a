/**
 * The directory's side of Microsoft Graph, app-only: finding the council's people by name to add
 * them (`/users?$search`, User.ReadBasic.All), adding a group's members to a team (`/groups`,
 * GroupMember.Read.All) and asking whether someone's automatic replies are on
 * (`mailboxSettings/automaticRepliesSetting`, MailboxSettings.Read).
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { londonInstant } from "../../shared/calendar/londonTime";
import type { Absence } from "../../shared/directory/cover";
import { type Result, err, ok } from "../../shared/result";
import type { AbsenceLookup, EntraDirectory, EntraPerson } from "../ports";
import { deliveryFailure } from "./graphSink";

interface GraphUser {
  id: string;
  displayName: string | null;
  userPrincipalName: string | null;
}

/** `$search` takes "property:words" clauses in double quotes; a quote or backslash typed would end the clause. */
const clause = (property: string, text: string) => `"${property}:${text.replace(/["\\]/g, " ").trim()}"`;

const toPeople = (users: GraphUser[] | undefined): EntraPerson[] =>
  (users ?? []).filter((u) => u.id && u.userPrincipalName).map((u) => ({ entraId: u.id, upn: u.userPrincipalName!.toLowerCase(), displayName: u.displayName ?? u.userPrincipalName! }));

/**
 * A next link as a path under the client's base: the client takes only Graph's own hosts (and its
 * custom hosts) as absolute URLs, so the link is made relative, its version left to the client.
 */
const pathOf = (link: string) => {
  const url = new URL(link);
  return `${url.pathname.replace(/^\/(v1\.0|beta)(?=\/)/, "")}${url.search}`;
};

/** At most this many pages of a group's members (999 each): a team is never that large. */
const MAX_PAGES = 10;

export function createGraphEntraDirectory(client: Client): EntraDirectory {
  /** One Graph read; a failure becomes a reason a person can read, naming the permission it needs. */
  async function read<T>(what: string, permission: string, request: () => Promise<T>, notFound?: T): Promise<Result<T>> {
    try {
      return ok(await request());
    } catch (e) {
      if (notFound !== undefined && (e as { statusCode?: number }).statusCode === 404) return ok(notFound);
      const failure = deliveryFailure(e, what);
      return err(`Entra could not be read (${failure.error}); try again, or check the app has ${permission}.`);
    }
  }
  return {
    // $search on directory objects needs the advanced-query header.
    search: (text) =>
      read("people search", "User.ReadBasic.All", async () => {
        const res = (await client
          .api("/users")
          .header("ConsistencyLevel", "eventual")
          .search(`${clause("displayName", text)} OR ${clause("mail", text)}`)
          .select(["id", "displayName", "userPrincipalName"])
          .top(25)
          .get()) as { value?: GraphUser[] };
        return toPeople(res.value);
      }),
    groups: (text) =>
      read("group search", "GroupMember.Read.All", async () => {
        const res = (await client.api("/groups").header("ConsistencyLevel", "eventual").search(clause("displayName", text)).select(["id", "displayName"]).top(25).get()) as { value?: { id: string; displayName: string | null }[] };
        return (res.value ?? []).map((g) => ({ groupId: g.id, displayName: g.displayName ?? g.id }));
      }),
    members: (groupId) =>
      read<EntraPerson[] | null>("group members", "GroupMember.Read.All", async () => {
        const people: EntraPerson[] = [];
        // The cast segment keeps users only; Graph pages with @odata.nextLink.
        let page = (await client.api(`/groups/${encodeURIComponent(groupId)}/members/microsoft.graph.user`).select(["id", "displayName", "userPrincipalName"]).top(999).get()) as { value?: GraphUser[]; "@odata.nextLink"?: string };
        people.push(...toPeople(page.value));
        for (let n = 1; page["@odata.nextLink"] && n < MAX_PAGES; n++) {
          page = (await client.api(pathOf(page["@odata.nextLink"])).get()) as typeof page;
          people.push(...toPeople(page.value));
        }
        return people;
      }, null),
  };
}

interface DateTimeTimeZone {
  dateTime: string;
  timeZone: string;
}

interface AutomaticRepliesSetting {
  status: "disabled" | "alwaysEnabled" | "scheduled";
  scheduledStartDateTime?: DateTimeTimeZone;
  scheduledEndDateTime?: DateTimeTimeZone;
}

/** Graph writes these times without an offset, in the zone it names: UTC unless the mailbox says London. */
function instantOf(t: DateTimeTimeZone | undefined): Date | undefined {
  if (!t?.dateTime) return undefined;
  const local = t.dateTime.replace(/\.\d+$/, "");
  if (/GMT Standard Time|Europe\/London/i.test(t.timeZone)) return londonInstant(local.slice(0, 10), local.slice(11, 16));
  const at = new Date(`${local}Z`);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

export function createGraphAbsence(client: Client): AbsenceLookup {
  return {
    async absence(person, at): Promise<Absence | undefined> {
      let setting: AutomaticRepliesSetting;
      try {
        setting = (await client.api(`/users/${encodeURIComponent(person.upn)}/mailboxSettings/automaticRepliesSetting`).get()) as AutomaticRepliesSetting;
      } catch {
        // Not knowing is not a reason to hold an alert back: it goes to the holder as usual.
        return undefined;
      }
      if (setting.status === "alwaysEnabled") return {};
      if (setting.status !== "scheduled") return undefined;
      const from = instantOf(setting.scheduledStartDateTime);
      const until = instantOf(setting.scheduledEndDateTime);
      if (!from || !until || at < from || at >= until) return undefined;
      return { until: until.toISOString() };
    },
  };
}
