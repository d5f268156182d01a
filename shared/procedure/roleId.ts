import { z } from "zod";

/** A role in an authority's structure ("team-manager", "dcs"); the directory says who holds it. */
export const RoleIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, "must be a role id in lower-case-with-hyphens");
export type RoleId = z.infer<typeof RoleIdSchema>;
