// Resolve in a council's subscription: the Function App (Flex Consumption, Node 22), its storage
// (shared keys off, reached by the app's managed identity), the Azure Bot on that identity,
// Application Insights on a Log Analytics workspace, and the alert rules the runbook explains.
// Plain Bicep with local modules only (no registry), deployed by `arm/deploy` in m365agents.yml.

@maxLength(20)
@minLength(4)
@description('Used to name every resource; lower-case letters and digits.')
param resourceBaseName string

param location string = resourceGroup().location

@description('The API\'s Entra app (client) id, created by aadApp/create: Entra v2 tokens carry it as their audience.')
param apiClientId string

@maxLength(42)
param botDisplayName string = 'Resolve'

@description('The mailbox Resolve sends mail from (Exchange RBAC for Applications limits the identity to it).')
param mailSender string

@description('The Actionable Email provider id (a GUID from the Actionable Email Developer Dashboard): alert mail carries the live card. Empty: the letter alone (docs/outlook-actionable-messages.md).')
param outlookOriginator string = ''

@description('Who receives the alert rules\' notices (the council\'s service desk).')
param alertEmail string

@description('Largest number of instances Flex Consumption may scale to.')
param maximumInstanceCount int = 40

var storageName = toLower(replace('st${resourceBaseName}', '-', ''))
var deploymentContainer = 'app-package'

// One user-assigned identity: storage, Graph (app roles granted after provision, docs/deploy.md),
// Application Insights ingestion, and the bot's own identity. No secret anywhere.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${resourceBaseName}'
  location: location
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource packageContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainer
}

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// The host's own state and the deployment package (blob), its timers' leases (blob, queue),
// and the dispute tables (table data: the app never holds an account key).
resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [roles.storageBlobDataOwner, roles.storageTableDataContributor, roles.storageQueueDataContributor]: {
  name: guid(storage.id, identity.id, role)
  scope: storage
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${resourceBaseName}'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 90
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${resourceBaseName}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    // Ingestion by Entra identity only: the connection string alone cannot write telemetry.
    DisableLocalAuth: true
  }
}

resource appInsightsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${resourceBaseName}'
  location: location
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

var functionAppName = 'func-${resourceBaseName}'
var hostName = '${functionAppName}.azurewebsites.net'

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: 2048
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        // The Functions host's own storage, by identity.
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.properties.clientId};Authorization=AAD' }
        // DefaultAzureCredential picks the user-assigned identity by this id.
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        // What functions/settings.ts reads (test/unit/infra.test.ts checks the two agree).
        { name: 'RESOLVE_MODE', value: 'azure' }
        { name: 'RESOLVE_TABLES_ENDPOINT', value: storage.properties.primaryEndpoints.table }
        { name: 'RESOLVE_API_AUDIENCE', value: 'api://${apiClientId}' }
        { name: 'MicrosoftAppId', value: identity.properties.clientId }
        { name: 'MicrosoftAppType', value: 'UserAssignedMSI' }
        { name: 'MicrosoftAppTenantId', value: identity.properties.tenantId }
        { name: 'RESOLVE_GRAPH_MANAGED_IDENTITY', value: identity.properties.clientId }
        { name: 'RESOLVE_MAIL_SENDER', value: mailSender }
        { name: 'RESOLVE_OUTLOOK_ORIGINATOR', value: outlookOriginator }
      ]
    }
  }
  dependsOn: [storageRoles, appInsightsRole, packageContainer]
}

module bot './botRegistration/azurebot.bicep' = {
  name: 'Azure-Bot-registration'
  params: {
    resourceBaseName: resourceBaseName
    botDisplayName: botDisplayName
    identityResourceId: identity.id
    identityClientId: identity.properties.clientId
    identityTenantId: identity.properties.tenantId
    botAppDomain: hostName
  }
}

module alerts './monitoring/alerts.bicep' = {
  name: 'Alert-rules'
  params: {
    resourceBaseName: resourceBaseName
    location: location
    appInsightsId: appInsights.id
    alertEmail: alertEmail
    readinessUrl: 'https://${hostName}/api/health/ready'
  }
}

// Written to env/.env.<environment> by arm/deploy; the yml and the app package read them.
output FUNCTION_APP_RESOURCE_ID string = functionApp.id
output FUNCTION_APP_DOMAIN string = hostName
output FUNCTION_APP_ENDPOINT string = 'https://${hostName}'
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output MANAGED_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
output STORAGE_TABLE_ENDPOINT string = storage.properties.primaryEndpoints.table
