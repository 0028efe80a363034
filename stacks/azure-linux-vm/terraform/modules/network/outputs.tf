output "subnet_id" {
  value = azurerm_subnet.vm.id
}

output "vnet_id" {
  value = azurerm_virtual_network.this.id
}
