// The alert rules docs/operations.md explains, mailing the council's service desk: three log
// queries over Application Insights, evaluated every 5 minutes, and an availability test of the
// readiness route (Flex Consumption has no platform health check) with its own alert.

param resourceBaseName string
param location string
param appInsightsId string
param alertEmail string
@description('https://<host>/api/health/ready')
param readinessUrl string

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-${resourceBaseName}'
  location: 'global'
  properties: {
    groupShortName: 'resolve'
    enabled: true
    emailReceivers: [
      { name: 'service-desk', emailAddress: alertEmail, useCommonAlertSchema: true }
    ]
  }
}

var rules = [
  {
    name: 'failed-deliveries'
    description: 'A notice, mail or calendar entry was parked as failed after its last attempt (resolve.deliveries, outcome failed).'
    severity: 2
    window: 'PT15M'
    query: 'customMetrics | where name == "resolve.deliveries" and tostring(customDimensions.outcome) == "failed" | summarize failed = sum(valueSum) | where failed > 0'
  }
  {
    name: 'sweep-heartbeat-missing'
    description: 'No sweep has reported for 15 minutes (resolve.sweep.lag): deadlines, reminders and escalations are not being acted on.'
    severity: 1
    window: 'PT15M'
    query: 'customMetrics | where name == "resolve.sweep.lag" | summarize runs = count() | where runs == 0'
  }
  {
    name: 'server-errors'
    description: 'More than 5% of requests answered 5xx over 15 minutes (at least 20 requests).'
    severity: 2
    window: 'PT15M'
    query: 'requests | summarize total = count(), failed = countif(toint(resultCode) >= 500) | where total >= 20 and todouble(failed) / total > 0.05'
  }
]

resource alerts 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = [for rule in rules: {
  name: 'alert-${resourceBaseName}-${rule.name}'
  location: location
  properties: {
    displayName: 'Resolve: ${rule.name}'
    description: rule.description
    severity: rule.severity
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: rule.window
    criteria: {
      allOf: [
        {
          query: rule.query
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: [actionGroup.id] }
  }
}]

resource readiness 'Microsoft.Insights/webtests@2022-06-15' = {
  name: 'readiness-${resourceBaseName}'
  location: location
  // Ties the test to the Application Insights resource (the portal's convention).
  tags: { 'hidden-link:${appInsightsId}': 'Resource' }
  kind: 'standard'
  properties: {
    SyntheticMonitorId: 'readiness-${resourceBaseName}'
    Name: 'Resolve: readiness'
    Kind: 'standard'
    Enabled: true
    Frequency: 300
    Timeout: 30
    RetryEnabled: true
    // UK South, West Europe, France Central.
    Locations: [{ Id: 'emea-gb-db3-azr' }, { Id: 'emea-nl-ams-azr' }, { Id: 'emea-fr-pra-edge' }]
    Request: { RequestUrl: readinessUrl, HttpVerb: 'GET', ParseDependentRequests: false }
    ValidationRules: { ExpectedHttpStatusCode: 200, SSLCheck: true, SSLCertRemainingLifetimeCheck: 7 }
  }
}

resource readinessAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'alert-${resourceBaseName}-not-ready'
  location: 'global'
  properties: {
    description: 'The readiness route (storage reachable) failed from two or more locations.'
    severity: 1
    enabled: true
    scopes: [readiness.id, appInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.WebtestLocationAvailabilityCriteria'
      webTestId: readiness.id
      componentId: appInsightsId
      failedLocationCount: 2
    }
    actions: [{ actionGroupId: actionGroup.id }]
  }
}

output ALERT_RULES array = [for (rule, i) in rules: alerts[i].name]
