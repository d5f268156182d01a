// The Azure Bot on the app's user-assigned managed identity (no app secret), with the channels
// Resolve uses: Teams (chat and alert cards), Outlook (Actionable Messages, Universal Actions) and
// Microsoft 365 extensions (the same app in Outlook and the Microsoft 365 app).

@maxLength(20)
@minLength(4)
param resourceBaseName string

@maxLength(42)
param botDisplayName string

param identityResourceId string
param identityClientId string
param identityTenantId string
param botAppDomain string

resource botService 'Microsoft.BotService/botServices@2022-09-15' = {
  name: 'bot-${resourceBaseName}'
  location: 'global'
  kind: 'azurebot'
  // Teams and Outlook are standard channels: the free tier carries them.
  sku: { name: 'F0' }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${botAppDomain}/api/messages'
    msaAppId: identityClientId
    msaAppMSIResourceId: identityResourceId
    msaAppTenantId: identityTenantId
    msaAppType: 'UserAssignedMSI'
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

resource outlook 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  name: 'OutlookChannel'
  location: 'global'
  properties: {
    channelName: 'OutlookChannel'
  }
}

resource m365 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  name: 'M365Extensions'
  location: 'global'
  properties: {
    channelName: 'M365Extensions'
  }
}

output BOT_SERVICE_NAME string = botService.name
