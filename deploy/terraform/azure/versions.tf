# Providers for the Azure deployment of Kimi Platform.
#   terraform init && terraform validate && terraform plan -var-file=terraform.tfvars
terraform {
  required_version = ">= 1.6.0"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.42" # rbac_authorization_enabled on azurerm_key_vault needs 4.42
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
}

provider "azurerm" {
  features {
    key_vault {
      purge_soft_delete_on_destroy = false
    }
  }
  subscription_id = var.subscription_id
}

data "azurerm_client_config" "current" {}
