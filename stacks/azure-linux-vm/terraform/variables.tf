variable "location" {
  type    = string
  default = "westeurope"
}

variable "environment" {
  type    = string
  default = "dev"
}

variable "owner" {
  type = string
}

variable "cost_center" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "vm_name" {
  type = string
}

variable "vm_size" {
  type    = string
  default = "Standard_B2ms"
}

variable "accelerated_networking" {
  type    = bool
  default = true
}

variable "image" {
  description = "ubuntu-2204, ubuntu-2404 or debian-12."
  type        = string
  default     = "ubuntu-2204"
}

variable "admin_username" {
  type    = string
  default = "azureuser"
}

variable "admin_ssh_public_key" {
  type = string
}

variable "os_disk_type" {
  type    = string
  default = "StandardSSD_LRS"
}

variable "os_disk_size_gb" {
  type    = number
  default = 64
}

variable "data_disk_size_gb" {
  description = "Size of the managed data disk; 0 for none."
  type        = number
  default     = 0
}

variable "public_ip" {
  type    = bool
  default = false
}
