variable "aws_region" {
  type    = string
  default = "eu-west-1"
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

variable "instance_type" {
  type    = string
  default = "t3.medium"
}

variable "hostname" {
  type    = string
  default = "legacy-01"
}

variable "volume_size" {
  type    = number
  default = 40
}
