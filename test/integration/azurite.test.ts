import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TableClient } from "@azure/data-tables";
import { afterAll, describe, expect, inject, it } from "vitest";
import { freePort, portIsFree, startAzurite } from "../../scripts/azurite";

function table(connectionString: string, name: string): TableClient {
  return TableClient.fromConnectionString(connectionString, name, { allowInsecureConnection: true });
}

function portOf(connectionString: string): number {
  const m = /TableEndpoint=http:\/\/127\.0\.0\.1:(\d+)\//.exec(connectionString);
  if (!m) throw new Error(`No table endpoint in ${connectionString}`);
  return Number(m[1]);
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe("Azurite (real process)", () => {
  it("the run's global Azurite answers, through inject and the environment", async () => {
    const conn = inject("tablesConnection");
    expect(conn).toMatch(/^DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=.+;TableEndpoint=http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1;$/);
    expect(process.env.RESOLVE_TABLES_CONNECTION).toBe(conn);
    const client = table(conn, `global${Date.now()}`);
    await client.createTable();
    await client.upsertEntity({ partitionKey: "p", rowKey: "r", value: 42 });
    const entity = await client.getEntity<{ value: number }>("p", "r");
    expect(entity.value).toBe(42);
    await client.deleteTable();
  });

  it("finds an entity by both its keys when other partitions hold the same row key (looked up by row key first)", async () => {
    const client = table(inject("tablesConnection"), `keys${Date.now()}`);
    await client.createTable();
    try {
      for (const pk of ["a", "b", "c"]) for (const rk of ["r", "s"]) await client.createEntity({ partitionKey: pk, rowKey: rk, value: `${pk}${rk}` });
      expect((await client.getEntity<{ value: string }>("b", "r")).value).toBe("br");
      await client.updateEntity({ partitionKey: "b", rowKey: "r", value: "changed" }, "Merge");
      await client.submitTransaction([["upsert", { partitionKey: "c", rowKey: "r", value: "batched" }, "Replace"], ["delete", { partitionKey: "c", rowKey: "s" }]]);
      await client.deleteEntity("a", "s");
      await expect(client.createEntity({ partitionKey: "a", rowKey: "r" })).rejects.toMatchObject({ statusCode: 409 });
      const rows: string[] = [];
      for await (const e of client.listEntities<{ value: string }>()) rows.push(`${e.partitionKey}/${e.rowKey}=${e.value}`);
      expect(rows).toEqual(["a/r=ar", "b/r=changed", "b/s=bs", "c/r=batched"]);
    } finally {
      await client.deleteTable();
    }
  });

  it("a second Azurite starts on a free port, answers and stops (freeing the port)", async () => {
    const started = performance.now();
    const azurite = await startAzurite();
    const startMs = performance.now() - started;
    try {
      expect(azurite.port).not.toBe(portOf(inject("tablesConnection")));
      expect(startMs).toBeLessThan(15_000);
      const client = table(azurite.connectionString, "second");
      await client.createTable();
      await client.upsertEntity({ partitionKey: "p", rowKey: "r" });
      const entities = [];
      for await (const e of client.listEntities()) entities.push(e);
      expect(entities).toHaveLength(1);
    } finally {
      await azurite.stop();
    }
    expect(await portIsFree(azurite.port)).toBe(true);
    await azurite.stop(); // idempotent
  });

  it("refuses a port that is already taken, with a clear message", async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(port, "127.0.0.1", r));
    try {
      await expect(startAzurite({ port })).rejects.toThrow(
        `Port ${port} is in use: stop the other Azurite or set RESOLVE_TABLE_PORT`,
      );
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
    // Another Azurite on the port (the usual case): the same message.
    const globalPort = portOf(inject("tablesConnection"));
    await expect(startAzurite({ port: globalPort })).rejects.toThrow(`Port ${globalPort} is in use`);
  });

  it("a persisted Azurite keeps an entity across a stop and a restart", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "resolve-azurite-")), "data"); // created by startAzurite
    tempDirs.push(dir);
    const first = await startAzurite({ persistDir: dir });
    try {
      const client = table(first.connectionString, "kept");
      await client.createTable();
      await client.upsertEntity({ partitionKey: "dispute-1", rowKey: "state", stage: "stage-2" });
    } finally {
      await first.stop();
    }
    const second = await startAzurite({ persistDir: dir });
    try {
      const entity = await table(second.connectionString, "kept").getEntity<{ stage: string }>("dispute-1", "state");
      expect(entity.stage).toBe("stage-2");
    } finally {
      await second.stop();
    }
  });
});
