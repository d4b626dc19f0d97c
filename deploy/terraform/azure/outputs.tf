output "resource_group_name" {
  description = "Resource group holding every resource."
  value       = azurerm_resource_group.main.name
}

output "aks_cluster_name" {
  description = "AKS cluster name (az aks get-credentials --name ...)."
  value       = azurerm_kubernetes_cluster.main.name
}

output "aks_oidc_issuer_url" {
  description = "OIDC issuer for workload identity federation."
  value       = azurerm_kubernetes_cluster.main.oidc_issuer_url
}

output "key_vault_name" {
  description = "Key Vault to put the platform's secrets in."
  value       = azurerm_key_vault.main.name
}

output "key_vault_secrets_provider_client_id" {
  description = "Client id of the identity the Secrets Store CSI driver uses (Helm value for the Key Vault option)."
  value       = azurerm_kubernetes_cluster.main.key_vault_secrets_provider[0].secret_identity[0].client_id
}

output "postgres_fqdn" {
  description = "Private host name of PostgreSQL."
  value       = azurerm_postgresql_flexible_server.main.fqdn
}

output "database_url" {
  description = "DATABASE_URL for the platform; store it in Key Vault."
  value       = "postgres://${var.postgres_administrator_login}:${random_password.postgres.result}@${azurerm_postgresql_flexible_server.main.fqdn}:5432/${azurerm_postgresql_flexible_server_database.kimi.name}?sslmode=require"
  sensitive   = true
}

output "redis_url" {
  description = "REDIS_URL for the platform (TLS); store it in Key Vault."
  value       = "rediss://:${azurerm_redis_cache.main.primary_access_key}@${azurerm_redis_cache.main.hostname}:${azurerm_redis_cache.main.ssl_port}"
  sensitive   = true
}

output "log_analytics_workspace_id" {
  description = "Log Analytics workspace of the cluster's logs."
  value       = azurerm_log_analytics_workspace.main.id
}
