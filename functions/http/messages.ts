import { processBotRequest } from "../../bot/botHttp";
import { getApp } from "../compose";
import { registerHttp } from "../host/registry";

/** The bot's endpoint: Bot Framework JWT checked by the adapter whenever an app id is configured. */
registerHttp({
  name: "messages",
  route: "messages",
  methods: ["POST"],
  handler: async (req) => {
    const bot = await (await getApp()).bot();
    return processBotRequest(bot.adapter, req, (context) => bot.handler.run(context));
  },
});
