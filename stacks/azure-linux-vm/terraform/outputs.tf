output "vm_id" {
  value = azurerm_linux_virtual_machine.vm.id
}

output "private_ip" {
  value = azurerm_network_interface.vm.private_ip_address
}

output "public_ip" {
  value = one(azurerm_public_ip.vm[*].ip_address)
}
