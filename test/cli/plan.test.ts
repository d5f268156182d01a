import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { builtInProcedures } from "../../shared/procedures";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** `npm run plan -- …`, as a child process: node with tsx's loader, from the project root. */
function plan(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/plan.ts", ...args], { cwd: root, env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const dir = mkdtempSync(join(tmpdir(), "resolve-plan-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A council's own procedure: Lambeth's shape with three stages of 7 working days. */
const anytown = {
  ...builtInProcedures["lambeth"]!,
  id: "anytown",
  authority: "Anytown Council",
  title: "Anytown IRO escalation",
  source: "Anytown Council, IRO escalation protocol, 2026",
  stages: [
    { stage: 1, role: "team-manager", title: "Team Manager", responseDays: 7, mode: "written", notify: [] },
    { stage: 2, role: "head-of-service", title: "Head of Service", responseDays: 7, mode: "written", notify: [] },
    { stage: 3, role: "dcs", title: "Director of Children's Services", responseDays: 7, mode: "written", notify: [] },
  ],
  exceptions: { ...builtInProcedures["lambeth"]!.exceptions, stage: 3 },
  reverse: undefined,
};

describe.concurrent("npm run plan: the escalation plan from the command line", () => {
  it("Lambeth from Monday 21 December 2026: the exact JSON, five stages of 4 working days fitting the cap", async () => {
    const r = await plan("--procedure", "lambeth", "--received", "2026-12-21T10:00:00Z");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(["procedure", "receivedAt", "stages", "capDate", "exceedsCapAtStage"]);
    for (const s of out.stages) expect(Object.keys(s)).toEqual(["stage", "role", "responseDays", "receivedAt", "dueAt", "dueDate"]);
    expect(out).toEqual({
      procedure: "lambeth",
      receivedAt: "2026-12-21T10:00:00.000Z",
      stages: [
        { stage: 1, role: "team-manager", responseDays: 4, receivedAt: "2026-12-21T10:00:00.000Z", dueAt: "2026-12-29T17:00:00.000Z", dueDate: "2026-12-29" },
        { stage: 2, role: "service-manager", responseDays: 4, receivedAt: "2026-12-29T17:00:00.000Z", dueAt: "2027-01-05T17:00:00.000Z", dueDate: "2027-01-05" },
        { stage: 3, role: "assistant-director", responseDays: 4, receivedAt: "2027-01-05T17:00:00.000Z", dueAt: "2027-01-11T17:00:00.000Z", dueDate: "2027-01-11" },
        { stage: 4, role: "director-csc", responseDays: 4, receivedAt: "2027-01-11T17:00:00.000Z", dueAt: "2027-01-15T17:00:00.000Z", dueDate: "2027-01-15" },
        { stage: 5, role: "dcs", responseDays: 4, receivedAt: "2027-01-15T17:00:00.000Z", dueAt: "2027-01-21T17:00:00.000Z", dueDate: "2027-01-21" },
      ],
      capDate: "2027-01-21",
      exceedsCapAtStage: null,
    });
  });

  it("Redbridge from Monday 21 December 2026: six stages of 5 working days, stage 5 the first past the cap", async () => {
    const r = await plan("--procedure", "redbridge", "--received", "2026-12-21T10:00:00Z");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.stages.map((s: { stage: number; dueDate: string }) => [s.stage, s.dueDate])).toEqual([
      [1, "2026-12-30"],
      [2, "2027-01-07"],
      [3, "2027-01-14"],
      [4, "2027-01-21"],
      [5, "2027-01-28"],
      [6, "2027-02-04"],
    ]);
    expect(out.capDate).toBe("2027-01-21");
    expect(out.exceedsCapAtStage).toBe(5);
  });

  it("--start-stage 3: Lambeth from the Assistant Director up, across Easter 2027 in British Summer Time, with an offset on --received", async () => {
    const r = await plan("--procedure", "lambeth", "--received", "2027-03-22T09:00:00+00:00", "--start-stage", "3");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      procedure: "lambeth",
      receivedAt: "2027-03-22T09:00:00.000Z",
      stages: [
        { stage: 3, role: "assistant-director", responseDays: 4, receivedAt: "2027-03-22T09:00:00.000Z", dueAt: "2027-03-30T16:00:00.000Z", dueDate: "2027-03-30" },
        { stage: 4, role: "director-csc", responseDays: 4, receivedAt: "2027-03-30T16:00:00.000Z", dueAt: "2027-04-05T16:00:00.000Z", dueDate: "2027-04-05" },
        { stage: 5, role: "dcs", responseDays: 4, receivedAt: "2027-04-05T16:00:00.000Z", dueAt: "2027-04-09T16:00:00.000Z", dueDate: "2027-04-09" },
      ],
      capDate: "2027-04-21",
      exceedsCapAtStage: null,
    });
  });

  it("a council's own procedure file: three stages of 7 working days, the third past the cap", async () => {
    const file = join(dir, "anytown.json");
    writeFileSync(file, JSON.stringify(anytown, null, 2));
    const r = await plan("--procedure", file, "--received", "2027-02-01T10:00:00Z");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      procedure: "anytown",
      receivedAt: "2027-02-01T10:00:00.000Z",
      stages: [
        { stage: 1, role: "team-manager", responseDays: 7, receivedAt: "2027-02-01T10:00:00.000Z", dueAt: "2027-02-10T17:00:00.000Z", dueDate: "2027-02-10" },
        { stage: 2, role: "head-of-service", responseDays: 7, receivedAt: "2027-02-10T17:00:00.000Z", dueAt: "2027-02-19T17:00:00.000Z", dueDate: "2027-02-19" },
        { stage: 3, role: "dcs", responseDays: 7, receivedAt: "2027-02-19T17:00:00.000Z", dueAt: "2027-03-02T17:00:00.000Z", dueDate: "2027-03-02" },
      ],
      capDate: "2027-03-01",
      exceedsCapAtStage: 3,
    });
  });

  it("a stage with no timescale (a report to the director): null days and dates, said so, and the stages after it undated", async () => {
    const file = join(dir, "anytown-report.json");
    const stages = anytown.stages.map((s) => (s.stage === 2 ? { stage: 2, role: "head-of-service", title: "Report to the Head of Service", timescale: "none", mode: "written", notify: [] } : s));
    writeFileSync(file, JSON.stringify({ ...anytown, stages }));
    const r = await plan("--procedure", file, "--received", "2027-02-01T10:00:00Z");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      procedure: "anytown",
      receivedAt: "2027-02-01T10:00:00.000Z",
      stages: [
        { stage: 1, role: "team-manager", responseDays: 7, receivedAt: "2027-02-01T10:00:00.000Z", dueAt: "2027-02-10T17:00:00.000Z", dueDate: "2027-02-10" },
        { stage: 2, role: "head-of-service", responseDays: null, receivedAt: "2027-02-10T17:00:00.000Z", dueAt: null, dueDate: null, noTimescale: true },
        { stage: 3, role: "dcs", responseDays: 7, receivedAt: null, dueAt: null, dueDate: null },
      ],
      capDate: "2027-03-01",
      exceedsCapAtStage: null,
    });
  });

  it("a stage with neither working days nor timescale none is refused, naming it", async () => {
    const file = join(dir, "anytown-forgot.json");
    const stages = anytown.stages.map((s) => (s.stage === 2 ? { stage: 2, role: "head-of-service", title: "Head of Service", mode: "written", notify: [] } : s));
    writeFileSync(file, JSON.stringify({ ...anytown, stages }));
    const r = await plan("--procedure", file, "--received", "2027-02-01T10:00:00Z");
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('stages[1].responseDays: give the working days to answer, or timescale "none" where the procedure sets none');
    expect(r.status).not.toBe(0);
  });

  it("a council's procedure with a 5 working day first response: the plan holds stage 1 to it, as raising would", async () => {
    const file = join(dir, "anytown-first-response.json");
    writeFileSync(file, JSON.stringify({ ...anytown, firstResponseMaxDays: 5 }));
    const r = await plan("--procedure", file, "--received", "2027-02-01T10:00:00Z");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.stages.map((s: { responseDays: number; dueDate: string }) => [s.responseDays, s.dueDate])).toEqual([
      [5, "2027-02-08"],
      [7, "2027-02-17"],
      [7, "2027-02-26"],
    ]);
    expect(out.exceedsCapAtStage).toBeNull();
  });

  it("--start-stage 0: Lambeth's informal stage is planned as stage 0, and the formal process and its cap start when it falls due", async () => {
    const r = await plan("--procedure", "lambeth", "--received", "2026-12-21T10:00:00Z", "--start-stage", "0");
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(["procedure", "receivedAt", "stages", "capDate", "exceedsCapAtStage"]);
    expect(out.stages.slice(0, 2)).toEqual([
      // 22, 23, 24, 29, 30 December: Christmas Day and the Boxing Day holiday skipped.
      { stage: 0, role: "team-manager", responseDays: 5, receivedAt: "2026-12-21T10:00:00.000Z", dueAt: "2026-12-30T17:00:00.000Z", dueDate: "2026-12-30" },
      { stage: 1, role: "team-manager", responseDays: 4, receivedAt: "2026-12-30T17:00:00.000Z", dueAt: "2027-01-06T17:00:00.000Z", dueDate: "2027-01-06" },
    ]);
    expect(out.capDate).toBe("2027-01-28");
    expect(out.exceedsCapAtStage).toBeNull();
  });

  it("--start-stage 0 --review-date: the guidance's informal stage runs 5 working days from a review held before Easter 2027", async () => {
    const r = await plan("--procedure", "iro-guidance-three-stage", "--received", "2027-03-25T10:00:00Z", "--start-stage", "0", "--review-date", "2027-03-24");
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    expect(out.stages.map((s: { stage: number; receivedAt: string; dueDate: string }) => [s.stage, s.receivedAt, s.dueDate])).toEqual([
      // Thu 25 March, Good Friday and Easter Monday skipped, Tue 30, Wed 31, Thu 1, Fri 2 April.
      [0, "2027-03-25T10:00:00.000Z", "2027-04-02"],
      [1, "2027-04-02T16:00:00.000Z", "2027-04-09"],
      [2, "2027-04-09T16:00:00.000Z", "2027-04-16"],
      [3, "2027-04-16T16:00:00.000Z", "2027-04-23"],
    ]);
    expect(out.capDate).toBe("2027-04-30");
  });

  it("--closure-days: the authority's closure between Christmas and New Year is skipped like a bank holiday", async () => {
    const r = await plan("--procedure", "lambeth", "--received", "2026-12-21T10:00:00Z", "--closure-days", "2026-12-29,2026-12-30,2026-12-31");
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    // 22, 23, 24 December and Monday 4 January: stage 1 was due on 29 December without the closure.
    expect(out.stages.map((s: { stage: number; dueDate: string }) => [s.stage, s.dueDate])).toEqual([
      [1, "2027-01-04"],
      [2, "2027-01-08"],
      [3, "2027-01-14"],
      [4, "2027-01-20"],
      [5, "2027-01-26"],
    ]);
    expect(out.capDate).toBe("2027-01-26");
  });

  it("--vacant: Redbridge with no service manager marks stage 2 skipped, and stage 3 follows stage 1", async () => {
    const r = await plan("--procedure", "redbridge", "--received", "2027-02-01T10:00:00Z", "--vacant", "service-manager");
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    expect(out.stages.slice(0, 3)).toEqual([
      { stage: 1, role: "team-manager", responseDays: 5, receivedAt: "2027-02-01T10:00:00.000Z", dueAt: "2027-02-08T17:00:00.000Z", dueDate: "2027-02-08" },
      { stage: 2, role: "service-manager", skipped: true },
      { stage: 3, role: "head-of-service", responseDays: 5, receivedAt: "2027-02-08T17:00:00.000Z", dueAt: "2027-02-15T17:00:00.000Z", dueDate: "2027-02-15" },
    ]);
    expect(out.exceedsCapAtStage).toBe(6);
  });

  const errors: [string, string[], RegExp][] = [
    ["an unknown procedure id", ["--procedure", "southwark", "--received", "2026-12-21T10:00:00Z"], /^plan: No procedure "southwark": use one of lambeth, redbridge, iro-guidance-three-stage, blackburn-with-darwen, cumberland, or the path of a \.json file\./],
    ["a missing procedure file", ["--procedure", join(dir, "missing.json"), "--received", "2026-12-21T10:00:00Z"], /^plan: Cannot read procedure file .*missing\.json: ENOENT/],
    ["a --received without its offset", ["--procedure", "lambeth", "--received", "2026-12-21T10:00:00"], /^plan: --received must be an ISO date and time with its offset, e\.g\. 2026-12-21T10:00:00Z; got "2026-12-21T10:00:00"/],
    ["a --received on a day that does not exist", ["--procedure", "lambeth", "--received", "2027-02-30T10:00:00Z"], /^plan: --received must be an ISO date and time with its offset, e\.g\. 2026-12-21T10:00:00Z; got "2027-02-30T10:00:00Z"/],
    ["no --received", ["--procedure", "lambeth"], /^plan: --received is required/],
    ["--start-stage 9 on a five-stage ladder", ["--procedure", "lambeth", "--received", "2026-12-21T10:00:00Z", "--start-stage", "9"], /^plan: --start-stage must be a stage of lambeth, 1 to 5; got "9"/],
    ["an unknown flag", ["--procedure", "lambeth", "--received", "2026-12-21T10:00:00Z", "--colour"], /^plan: Unknown option '--colour'/],
    ["--start-stage 0 where there is no informal stage", ["--procedure", "blackburn-with-darwen", "--received", "2026-12-21T10:00:00Z", "--start-stage", "0"], /^plan: --start-stage must be a stage of blackburn-with-darwen, 1 to 5; got "0"\n/],
    ["an informal stage counted from the review, with no --review-date", ["--procedure", "iro-guidance-three-stage", "--received", "2027-03-25T10:00:00Z", "--start-stage", "0"], /^plan: --review-date is required: iro-guidance-three-stage counts the informal stage from the review/],
    ["a --review-date the plan would not use", ["--procedure", "lambeth", "--received", "2027-03-25T10:00:00Z", "--review-date", "2027-03-24"], /^plan: --review-date is used only with --start-stage 0 where the procedure counts the informal stage from the review/],
    ["a --review-date that is not a date", ["--procedure", "iro-guidance-three-stage", "--received", "2027-03-25T10:00:00Z", "--start-stage", "0", "--review-date", "24/03/2027"], /^plan: --review-date must be a date written YYYY-MM-DD; got "24\/03\/2027"/],
    ["a closure day that is not a date", ["--procedure", "lambeth", "--received", "2026-12-21T10:00:00Z", "--closure-days", "2026-12-29,2026-12-32"], /^plan: --closure-days must be dates written YYYY-MM-DD, separated by commas; got "2026-12-32"/],
  ];
  for (const [what, args, message] of errors) {
    it(`${what}: a clear message on stderr, nothing on stdout, a non-zero exit`, async () => {
      const r = await plan(...args);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain("usage: npm run plan -- --procedure <id|path.json> --received <ISO datetime> [--start-stage N]");
      expect(r.status).not.toBe(0);
    });
  }

  it("a procedure file that is not valid JSON", async () => {
    const file = join(dir, "broken.json");
    writeFileSync(file, '{ "id": "broken", ');
    const r = await plan("--procedure", file, "--received", "2026-12-21T10:00:00Z");
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^plan: .*broken\.json is not valid JSON: /);
    expect(r.status).not.toBe(0);
  });

  it("a procedure file that is not a valid procedure: the message names every bad field", async () => {
    const file = join(dir, "invalid.json");
    const stages = anytown.stages.map((s) => (s.stage === 2 ? { ...s, responseDays: 0 } : s));
    writeFileSync(file, JSON.stringify({ ...anytown, stages, onDeadline: "shrug" }));
    const r = await plan("--procedure", file, "--received", "2026-12-21T10:00:00Z");
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^plan: .*invalid\.json is not a valid procedure \(fields named by their path in the file\): /);
    expect(r.stderr).toContain("stages[1].responseDays: ");
    expect(r.stderr).toContain("onDeadline: ");
    expect(r.status).not.toBe(0);
  });

  it("a misspelt key in a procedure file is refused, naming it, rather than silently telling nobody", async () => {
    const file = join(dir, "misspelt.json");
    const { notify, ...rest } = anytown;
    writeFileSync(file, JSON.stringify({ ...rest, notify: { ...notify, onResolve: undefined, onResovle: ["ad-quality-assurance"] } }));
    const r = await plan("--procedure", file, "--received", "2026-12-21T10:00:00Z");
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("notify.onResovle: is not a field here (misspelt?)");
    expect(r.status).not.toBe(0);
  });
});
