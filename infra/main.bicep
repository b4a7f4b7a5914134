// ReviewBot on Azure Container Apps: the webhook service scaled on queue length, a user-assigned managed
// identity that reads the App key from Key Vault (RBAC) and uses the Storage queue and tables, and Log Analytics.
// Deploy: see infra/README.md.
targetScope = 'resourceGroup'

@description('Azure region of every resource.')
param location string = resourceGroup().location

@description('Prefix of resource names (lowercase letters and digits, 3-11 characters).')
@minLength(3)
@maxLength(11)
param namePrefix string = 'reviewbot'

@description('The GitHub App ID (from the App settings page or the /setup flow).')
param githubAppId string

@description('Container image of the service, e.g. ghcr.io/your-org/reviewbot:1.0.0.')
param containerImage string

@description('Webhook secret of the GitHub App; stored in Key Vault, never in the app settings.')
@secure()
param githubWebhookSecret string

@description('Name of the Key Vault key that holds the App private key (import it non-exportable; see README).')
param signingKeyName string = 'github-app'

@description('GitHub REST base URL; change it for GitHub Enterprise Server.')
param githubApiBaseUrl string = 'https://api.github.com/'

@description('Replicas kept running even with an empty queue (1 keeps webhook acks fast).')
@minValue(0)
param minReplicas int = 1

@description('Upper bound of replicas under load.')
@minValue(1)
param maxReplicas int = 10

@description('Waiting messages per replica before another replica is added.')
@minValue(1)
param queueMessagesPerReplica int = 20

var suffix = uniqueString(resourceGroup().id, namePrefix)
var queueName = 'reviewbot-work'
var tablePrefix = 'reviewbot'

// Built-in role definition ids (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var roles = {
  keyVaultCryptoUser: '12338af0-0e69-4776-bea7-57ae8d297424'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${namePrefix}-logs-${suffix}'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-id-${suffix}'
  location: location
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('${namePrefix}kv${suffix}', 24)
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource webhookSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'github-webhook-secret'
  properties: {
    value: githubWebhookSecret
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take('${namePrefix}st${suffix}', 24)
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false // identity only: no account keys to leak
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource workQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: queueName
}

// Background work (onboarding, redelivery): read only when the work queue is empty, so reviews go first.
resource backgroundQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: '${queueName}-bg'
}

resource poisonQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: '${queueName}-poison'
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deliveriesTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: '${tablePrefix}deliveries'
}

resource pullRequestsTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: '${tablePrefix}pullrequests'
}

// What registries said about base images (a digest's config, a tag's digest for 10 minutes), shared by the replicas.
resource imagesTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: '${tablePrefix}images'
}

resource cryptoUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, identity.id, roles.keyVaultCryptoUser)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultCryptoUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, roles.storageQueueDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, roles.storageTableDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource environment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: '${namePrefix}-env-${suffix}'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
  }
}

resource app 'Microsoft.App/containerApps@2025-01-01' = {
  name: '${namePrefix}-app'
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    environmentId: environment.id
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: 8080
        transport: 'auto'
        allowInsecure: false
      }
      secrets: [
        {
          name: 'github-webhook-secret'
          keyVaultUrl: webhookSecret.properties.secretUri
          identity: identity.id
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'reviewbot'
          image: containerImage
          resources: { cpu: json('0.5'), memory: '1Gi' }
          env: [
            { name: 'GitHub__AppId', value: githubAppId }
            { name: 'GitHub__SigningKeyUri', value: '${vault.properties.vaultUri}keys/${signingKeyName}' }
            { name: 'GitHub__WebhookSecret', secretRef: 'github-webhook-secret' }
            { name: 'GitHub__ApiBaseUrl', value: githubApiBaseUrl }
            { name: 'Queue__Provider', value: 'AzureStorage' }
            { name: 'Queue__ServiceUri', value: storage.properties.primaryEndpoints.queue }
            { name: 'Queue__Name', value: queueName }
            { name: 'State__Provider', value: 'AzureTables' }
            { name: 'State__ServiceUri', value: storage.properties.primaryEndpoints.table }
            { name: 'State__TablePrefix', value: tablePrefix }
            // DefaultAzureCredential picks the user-assigned identity by this client id.
            { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
          ]
          probes: [
            {
              type: 'Liveness'
              httpGet: { path: '/healthz', port: 8080 }
              periodSeconds: 10
            }
            {
              type: 'Readiness'
              httpGet: { path: '/readyz', port: 8080 }
              periodSeconds: 5
            }
          ]
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: [
          {
            name: 'work-queue-length'
            azureQueue: {
              accountName: storage.name
              queueName: queueName
              queueLength: queueMessagesPerReplica
              identity: identity.id
            }
          }
          {
            name: 'background-queue-length'
            azureQueue: {
              accountName: storage.name
              queueName: '${queueName}-bg'
              queueLength: queueMessagesPerReplica
              identity: identity.id
            }
          }
        ]
      }
    }
  }
  dependsOn: [
    cryptoUser
    secretsUser
    queueContributor
    tableContributor
    workQueue
    backgroundQueue
    poisonQueue
    deliveriesTable
    pullRequestsTable
    imagesTable
  ]
}

@description('Set this as the GitHub App webhook URL.')
output webhookUrl string = 'https://${app.properties.configuration.ingress.fqdn}/api/github/webhooks'

@description('Open this to create the GitHub App from app-manifest.yml.')
output setupUrl string = 'https://${app.properties.configuration.ingress.fqdn}/setup'

@description('Import the App private key here (non-exportable).')
output keyVaultName string = vault.name

output signingKeyUri string = '${vault.properties.vaultUri}keys/${signingKeyName}'

output storageAccountName string = storage.name

output managedIdentityClientId string = identity.properties.clientId
