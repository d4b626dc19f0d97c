locals {
  # Each service reached only through the VNet: its resource, its sub-resource, its private DNS zone.
  private_endpoints = {
    redis = {
      resource_id  = azurerm_redis_cache.main.id
      subresource  = "redisCache"
      dns_zone_key = "redis"
    }
    key_vault = {
      resource_id  = azurerm_key_vault.main.id
      subresource  = "vault"
      dns_zone_key = "key_vault"
    }
  }
}

resource "azurerm_private_endpoint" "private" {
  for_each            = local.private_endpoints
  name                = "${var.name}-${replace(each.key, "_", "-")}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  subnet_id           = azurerm_subnet.private_endpoints.id
  tags                = var.tags

  private_service_connection {
    name                           = each.key
    private_connection_resource_id = each.value.resource_id
    subresource_names              = [each.value.subresource]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = each.key
    private_dns_zone_ids = [azurerm_private_dns_zone.private[each.value.dns_zone_key].id]
  }
}
