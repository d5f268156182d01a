import { RestError, TableClient, TableServiceClient } from "@azure/data-tables";
import type { TokenCredential } from "@azure/core-auth";

/** Counts the requests sent to storage, for the benchmark and the sweep's "reads only what is due". */
export interface RequestCounter {
  count: number;
  /**
   * When present, the rows storage returned to reads. Every query is a key range, filtered at most
   * on rows about to be deleted, so this is also about what storage scanned to answer them.
   */
  rows?: number;
  /**
   * When present, round trips: a request sent while none was in flight starts one, so requests sent
   * side by side count once. Meaningful when one operation runs alone (the benchmarks' counts).
   */
  trips?: number;
}

type Policy = Parameters<TableClient["pipeline"]["addPolicy"]>[0];

function countingPolicy(counter: RequestCounter): Policy {
  let inFlight = 0;
  return {
    name: "resolve-request-counter",
    async sendRequest(request, next) {
      counter.count++;
      if (counter.trips !== undefined && inFlight === 0) counter.trips++;
      inFlight++;
      let response;
      try {
        response = await next(request);
      } finally {
        inFlight--;
      }
      if (counter.rows !== undefined && request.method === "GET" && response.status === 200 && response.bodyAsText) {
        const body = JSON.parse(response.bodyAsText) as { value?: unknown[] };
        counter.rows += Array.isArray(body.value) ? body.value.length : 1;
      }
      return response;
    },
  };
}

export interface Tables {
  client(name: string): TableClient;
  /** Create every table the service uses; safe to repeat. */
  ensure(names: readonly string[]): Promise<void>;
  counter: RequestCounter;
}

/**
 * Where the tables are: an account's table endpoint reached with a token credential (Azure: the
 * app's managed identity, shared keys off), or a connection string (Azurite on a developer's machine).
 */
export type TablesTarget = { endpoint: string; credential: TokenCredential; /** A private CA the endpoint's certificate chains to (a test's Azurite). */ ca?: string } | { connectionString: string };

export function connectTables(target: TablesTarget | string, counter: RequestCounter = { count: 0 }): Tables {
  const where = typeof target === "string" ? { connectionString: target } : target;
  const clients = new Map<string, TableClient>();
  const counting = countingPolicy(counter);
  let tableClient: (name: string) => TableClient;
  let serviceClient: () => TableServiceClient;
  if ("endpoint" in where) {
    const options = where.ca ? { tlsOptions: { ca: where.ca } } : {};
    tableClient = (name) => new TableClient(where.endpoint, name, where.credential, options);
    serviceClient = () => new TableServiceClient(where.endpoint, where.credential, options);
  } else {
    const options = { allowInsecureConnection: /UseDevelopmentStorage=true|127\.0\.0\.1|localhost/.test(where.connectionString) };
    const conn = where.connectionString === "UseDevelopmentStorage=true" ? AZURITE_DEFAULT : where.connectionString;
    tableClient = (name) => TableClient.fromConnectionString(conn, name, options);
    serviceClient = () => TableServiceClient.fromConnectionString(conn, options);
  }
  const client = (name: string) => {
    let c = clients.get(name);
    if (!c) {
      c = tableClient(name);
      c.pipeline.addPolicy(counting);
      clients.set(name, c);
    }
    return c;
  };
  return {
    client,
    counter,
    async ensure(names) {
      const service = serviceClient();
      await Promise.all(names.map((n) => service.createTable(n)));
    },
  };
}

const AZURITE_DEFAULT =
  "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

export const statusOf = (e: unknown): number | undefined => (e instanceof RestError ? e.statusCode : undefined);

/** Table properties hold at most 32K UTF-16 characters: long JSON is split across numbered columns. */
const CHUNK = 30_000;

export function jsonColumns(value: unknown): Record<string, string | number> {
  const text = JSON.stringify(value);
  const columns: Record<string, string | number> = { jsonChunks: Math.max(1, Math.ceil(text.length / CHUNK)) };
  for (let i = 0; i * CHUNK < text.length || i === 0; i++) columns[`json${i}`] = text.slice(i * CHUNK, (i + 1) * CHUNK);
  return columns;
}

/** The JSON text `jsonColumns` split across an entity's columns, joined again. */
export function jsonTextOf(entity: Record<string, unknown>): string {
  const chunks = Number(entity.jsonChunks ?? 1);
  let text = "";
  for (let i = 0; i < chunks; i++) text += String(entity[`json${i}`] ?? "");
  return text;
}

export function fromJsonColumns<T>(entity: Record<string, unknown>): T {
  return JSON.parse(jsonTextOf(entity)) as T;
}
