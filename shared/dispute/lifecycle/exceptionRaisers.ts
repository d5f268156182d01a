import { DEFAULT_EXCEPTION_RAISERS, type ExceptionRaiser, type Procedure } from "../../procedure/procedureSchema";
import { roleTitle } from "../../procedure/roleTitle";
import { type Actor, type Roster, samePerson } from "../people";

// Who may raise an exception, and as what: whoever first comes to know (Lambeth 9), as the procedure narrows it.

/** The procedure's raisers, or anyone in the authority's directory when it names none. */
export const exceptionRaisers = (procedure: Procedure): readonly ExceptionRaiser[] => procedure.exceptions.raisedBy ?? DEFAULT_EXCEPTION_RAISERS;

/**
 * The party this person raises an exception as: "iro" first (the IRO's own rules apply), then "qa",
 * a role they hold for the child's team, then "staff"; undefined when the procedure lets them not.
 * Everyone who reaches the lifecycle is in the authority's directory, so "staff" is anyone.
 */
export function raisesExceptionAs(procedure: Procedure, actor: Actor, roster: Roster): ExceptionRaiser | undefined {
  if (actor.kind !== "person") return undefined;
  const allowed = exceptionRaisers(procedure);
  if (allowed.includes("iro") || allowed.includes("staff")) {
    if (actor.capabilities.includes("iro")) return "iro";
  }
  if (allowed.includes("qa") && actor.capabilities.includes("qa")) return "qa";
  const role = allowed.find((party) => party !== "iro" && party !== "qa" && party !== "staff" && samePerson(roster[party], actor.person));
  if (role) return role;
  return allowed.includes("staff") ? "staff" : undefined;
}

/** Who the procedure lets raise an exception, in words for a refusal. */
export function raisersInWords(procedure: Procedure): string {
  const words = exceptionRaisers(procedure).map((p) =>
    p === "staff" ? "anyone in the authority" : p === "iro" ? "an IRO or CP chair" : p === "qa" ? "the QA service" : `the ${roleTitle(procedure, p)}`,
  );
  return words.length > 1 ? `${words.slice(0, -1).join(", ")} or ${words.at(-1)}` : words[0]!;
}
