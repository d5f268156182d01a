import { ok } from "../../result";
import type { Handler } from "./change";

// A note on the record: the history gains it, nothing else changes.

export const addNote: Handler<"add-note"> = (d, c) => ok({ dispute: d, effects: [], reschedule: false, detail: { note: c.note } });
