/**
 * The directory's side of Microsoft Graph, app-only: finding the council's people by name to add
 * them (`/users?$search`, User.ReadBasic.All) and asking whether someone's automatic replies are
 * on (`mailboxSettings/automaticRepliesSetting`, MailboxSettings.Read).
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { londonInstant } from "../../shared/calendar/londonTime";
import type { Absence } from "../../shared/directory/cover";
import { err, ok } from "../../shared/result";
import type { AbsenceLookup, EntraPerson, PeopleSearch } from "../ports";
import { deliveryFailure } from "./graphSink";

interface GraphUser {
  id: string;
  displayName: string | null;
  userPrincipalName: string | null;
}

/** `$search` takes "property:words" clauses in double quotes; a quote or backslash typed would end the clause. */
const clause = (property: string, text: string) => `"${property}:${text.replace(/["\\]/g, " ").trim()}"`;

export function createGraphPeopleSearch(client: Client): PeopleSearch {
  return {
    async search(text) {
      try {
        // $search on directory objects needs the advanced-query header.
        const res = (await client
          .api("/users")
          .header("ConsistencyLevel", "eventual")
          .search(`${clause("displayName", text)} OR ${clause("mail", text)}`)
          .select(["id", "displayName", "userPrincipalName"])
          .top(25)
          .get()) as { value?: GraphUser[] };
        const people: EntraPerson[] = (res.value ?? [])
          .filter((u) => u.id && u.userPrincipalName)
          .map((u) => ({ entraId: u.id, upn: u.userPrincipalName!.toLowerCase(), displayName: u.displayName ?? u.userPrincipalName! }));
        return ok(people);
      } catch (e) {
        const failure = deliveryFailure(e, "people search");
        return err(`Entra could not be searched (${failure.error}); try again, or check the app has User.ReadBasic.All.`);
      }
    },
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
