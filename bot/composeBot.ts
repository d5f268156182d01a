/**
 * The Teams side, composed once: botbuilder's adapter (Bot Framework tokens checked whenever an
 * app id is set), the bot's activity handler and the Teams delivery. Loaded on demand by the
 * composition root, so the Functions host's cold import does not pay for botbuilder.
 */
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from "botbuilder";
import type { ConversationStore } from "../functions/adapters/tableConversations";
import type { EffectSink } from "../functions/ports";
import type { Settings } from "../functions/settings";
import type { Services } from "../functions/usecases/services";
import { ResolveBot } from "./resolveBot";
import { createRoutingSink, createTeamsSink } from "./teamsSink";

export interface BotParts {
  adapter: CloudAdapter;
  handler: ResolveBot;
  /** Teams notices to the bot, mail and calendar entries to `mail`. */
  sink: EffectSink;
}

export function composeBot(deps: { settings: Settings; services: Services; conversations: ConversationStore; mail: EffectSink; kick(tenantId: string, disputeId: string): void; outlookOriginator?: string }): BotParts {
  const { settings, services, conversations } = deps;
  const appId = settings.MicrosoftAppId ?? "";
  // With no app id (local mode) the adapter accepts the Agents Playground without tokens.
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: appId,
      MicrosoftAppPassword: settings.MicrosoftAppPassword ?? "",
      // SingleTenant needs an app id; with none (local mode) the type is left out.
      ...(appId ? { MicrosoftAppType: settings.MicrosoftAppType } : {}),
      MicrosoftAppTenantId: settings.MicrosoftAppTenantId ?? "",
    } as never),
  );
  adapter.onTurnError = async (context, error) => {
    console.error(`bot: turn failed (${context.activity.type}, ${context.activity.id ?? "no id"}): ${error.message}`);
  };
  const sink = createRoutingSink({ mail: deps.mail, teams: createTeamsSink({ adapter, appId, services, conversations, startChats: settings.RESOLVE_TEAMS_NEW_CHATS === "on" }) });
  return { adapter, handler: new ResolveBot({ services, conversations, kick: deps.kick, ...(deps.outlookOriginator ? { outlookOriginator: deps.outlookOriginator } : {}) }), sink };
}
