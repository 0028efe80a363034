variable "name" {
  type = string
}

variable "location" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "vnet_cidr" {
  description = "Address space of the virtual network; the VM subnet is its first /24."
  type        = string
  default     = "10.20.0.0/16"
}

variable "ssh_source_cidr" {
  description = "The only range allowed to reach port 22."
  type        = string
  default     = "203.0.113.0/24"
}

variable "tags" {
  type    = map(string)
  default = {}
}
