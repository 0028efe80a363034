variable "aws_region" {
  type    = string
  default = "eu-west-1"
}

variable "environment" {
  description = "The network is shared; it is tagged with the most sensitive environment it serves."
  type        = string
  default     = "prod"
}

variable "vpc_cidr" {
  type    = string
  default = "10.0.0.0/16"
}

variable "availability_zones" {
  type    = list(string)
  default = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}

variable "flow_log_retention_days" {
  type    = number
  default = 90
}
