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

variable "cluster_name" {
  type = string
}

variable "kubernetes_version" {
  type    = string
  default = "1.30"
}

variable "endpoint_access" {
  description = "private, or public (public and private)."
  type        = string
  default     = "private"
}

variable "public_access_cidrs" {
  type    = list(string)
  default = ["203.0.113.0/24"]
}

variable "log_retention_days" {
  type    = number
  default = 30
}

variable "vpc_name" {
  type    = string
  default = "main"
}

variable "node_architecture" {
  description = "x86_64 or arm64; selects the node AMI type."
  type        = string
  default     = "x86_64"
}
