import type { Actor } from "../../shared/dispute/people";
import type { DirectoryPerson } from "../ports";

export const actorOf = (p: DirectoryPerson): Actor => ({
  kind: "person",
  person: { id: p.id, upn: p.upn, displayName: p.displayName },
  capabilities: p.capabilities,
});
