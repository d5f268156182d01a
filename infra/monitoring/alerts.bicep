// The alert rules docs/operations.md explains: each is a log query over the workspace behind
// Application Insights, evaluated every 5 minutes, mailing the council's service desk.

param resourceBaseName string
param location string
param appInsightsId string
param alertEmail string

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

output ALERT_RULES array = [for (rule, i) in rules: alerts[i].name]
