/**
 * Traces, logs and metrics to Application Insights through the Azure Monitor OpenTelemetry
 * distro, only where APPLICATIONINSIGHTS_CONNECTION_STRING is set (Azure). With
 * APPLICATIONINSIGHTS_AUTHENTICATION_STRING naming `Authorization=AAD` (the resource's local
 * auth is off) the exporter signs in with the app's managed identity. Loaded on demand, so a
 * process without it never pays for the distro.
 */
import type { Settings } from "../settings";

let started: Promise<void> | undefined;

export function startTelemetry(settings: Settings): Promise<void> {
  const connectionString = settings.APPLICATIONINSIGHTS_CONNECTION_STRING;
  if (!connectionString) return Promise.resolve();
  started ??= (async () => {
    const [{ useAzureMonitor }, { DefaultAzureCredential }] = await Promise.all([import("@azure/monitor-opentelemetry"), import("@azure/identity")]);
    const aad = /Authorization=AAD/i.test(settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING ?? "");
    useAzureMonitor({
      azureMonitorExporterOptions: { connectionString, ...(aad ? { credential: new DefaultAzureCredential() } : {}) },
      // Request bodies and headers are never recorded; spans carry routes and ids.
      instrumentationOptions: { http: { enabled: true }, azureSdk: { enabled: true } },
      enableLiveMetrics: false,
    });
  })();
  return started;
}
