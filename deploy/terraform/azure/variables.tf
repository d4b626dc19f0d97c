variable "subscription_id" {
  description = "Azure subscription to deploy into."
  type        = string
}

variable "name" {
  description = "Prefix of every resource name (lower case letters and digits)."
  type        = string
  default     = "kimi"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,11}$", var.name))
    error_message = "name must be 2-12 lower case letters and digits, starting with a letter."
  }
}

variable "location" {
  description = "Azure region."
  type        = string
  default     = "westeurope"
}

variable "tags" {
  description = "Tags put on every resource."
  type        = map(string)
  default     = {}
}

variable "vnet_address_space" {
  description = "Address space of the private network."
  type        = string
  default     = "10.40.0.0/16"
}

variable "aks_subnet_prefix" {
  description = "Subnet of the AKS nodes and pods (Azure CNI overlay keeps pods off it)."
  type        = string
  default     = "10.40.0.0/20"
}

variable "postgres_subnet_prefix" {
  description = "Subnet delegated to PostgreSQL Flexible Server."
  type        = string
  default     = "10.40.16.0/24"
}

variable "private_endpoints_subnet_prefix" {
  description = "Subnet of the private endpoints (Redis, Key Vault)."
  type        = string
  default     = "10.40.17.0/24"
}

variable "kubernetes_version" {
  description = "AKS Kubernetes version; null takes the region's default."
  type        = string
  default     = null
}

variable "system_node_pool" {
  description = "System pool: cluster add-ons only (CriticalAddonsOnly taint)."
  type = object({
    vm_size   = string
    min_count = number
    max_count = number
  })
  default = {
    vm_size   = "Standard_D2s_v5"
    min_count = 2
    max_count = 3
  }
}

variable "app_node_pool" {
  description = "App pool: the API replicas (kimi-platform serve)."
  type = object({
    vm_size   = string
    min_count = number
    max_count = number
  })
  default = {
    vm_size   = "Standard_D4s_v5"
    min_count = 2
    max_count = 10
  }
}

variable "worker_node_pool" {
  description = "Worker pool: swarm and batch workers (kimi-platform worker), scaled on queue depth."
  type = object({
    vm_size   = string
    min_count = number
    max_count = number
  })
  default = {
    vm_size   = "Standard_D4s_v5"
    min_count = 1
    max_count = 20
  }
}

variable "postgres_sku" {
  description = "PostgreSQL Flexible Server SKU."
  type        = string
  default     = "GP_Standard_D2ds_v5"
}

variable "postgres_version" {
  description = "PostgreSQL major version."
  type        = string
  default     = "16"
}

variable "postgres_storage_mb" {
  description = "PostgreSQL storage in MB."
  type        = number
  default     = 65536
}

variable "postgres_high_availability" {
  description = "Zone-redundant standby for PostgreSQL."
  type        = bool
  default     = true
}

variable "postgres_administrator_login" {
  description = "PostgreSQL administrator user name."
  type        = string
  default     = "kimiadmin"
}

variable "redis_sku" {
  description = "Azure Cache for Redis SKU: Basic, Standard or Premium."
  type        = string
  default     = "Standard"
}

variable "redis_family" {
  description = "Redis family: C for Basic/Standard, P for Premium."
  type        = string
  default     = "C"
}

variable "redis_capacity" {
  description = "Redis size within its family."
  type        = number
  default     = 1
}

variable "log_retention_days" {
  description = "Log Analytics retention in days."
  type        = number
  default     = 30
}
