resource "random_id" "key_vault" {
  byte_length = 3
}

resource "azurerm_key_vault" "main" {
  name                          = "${var.name}-kv-${random_id.key_vault.hex}"
  location                      = azurerm_resource_group.main.location
  resource_group_name           = azurerm_resource_group.main.name
  tenant_id                     = data.azurerm_client_config.current.tenant_id
  sku_name                      = "standard"
  rbac_authorization_enabled    = true
  purge_protection_enabled      = true
  soft_delete_retention_days    = 30
  public_network_access_enabled = false
  tags                          = var.tags

  network_acls {
    default_action = "Deny"
    bypass         = "AzureServices"
  }
}

# why: the Secrets Store CSI driver's identity reads the platform's secrets (master key, database,
# Redis, provider keys) for the Helm chart's Key Vault option; it never writes them.
resource "azurerm_role_assignment" "secrets_provider_reads_key_vault" {
  scope                = azurerm_key_vault.main.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_kubernetes_cluster.main.key_vault_secrets_provider[0].secret_identity[0].object_id
}
