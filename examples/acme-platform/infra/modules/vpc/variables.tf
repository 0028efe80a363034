variable "name" {
  description = "Name tag of the VPC; stacks look the VPC up by it."
  type        = string
}

variable "cidr_block" {
  type = string
}

variable "availability_zones" {
  description = "One public and one private subnet is created in each zone."
  type        = list(string)
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all zones (cheaper, not zone-redundant)."
  type        = bool
  default     = false
}

variable "tags" {
  type    = map(string)
  default = {}
}
