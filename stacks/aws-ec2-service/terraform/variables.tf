variable "aws_region" {
  description = "Region the service runs in."
  type        = string
  default     = "eu-west-1"
}

variable "environment" {
  description = "Deployment environment (dev, staging, prod)."
  type        = string
  default     = "dev"
}

variable "owner" {
  description = "Backstage group owning the service."
  type        = string
}

variable "cost_center" {
  description = "Finance cost center, e.g. CC-1234."
  type        = string
}

variable "service_name" {
  description = "Short DNS-safe name used as a prefix for every resource."
  type        = string
}

variable "vpc_name" {
  description = "Name tag of the VPC to deploy into."
  type        = string
  default     = "main"
}

variable "instance_type" {
  description = "EC2 instance type of the Auto Scaling group."
  type        = string
  default     = "t3.medium"
}

variable "asg_min_size" {
  type    = number
  default = 2
}

variable "asg_max_size" {
  type    = number
  default = 4
}

variable "enable_detailed_monitoring" {
  type    = bool
  default = false
}

variable "ebs_volume_size" {
  description = "Root volume size in GB."
  type        = number
  default     = 30
}

variable "ebs_volume_type" {
  type    = string
  default = "gp3"
}

variable "ebs_iops" {
  description = "Provisioned IOPS, used for gp3 and io2 volumes only."
  type        = number
  default     = 3000
}

variable "listener_protocol" {
  type    = string
  default = "HTTPS"
}

variable "log_retention_days" {
  type    = number
  default = 30
}

variable "extra_tags" {
  description = "Tags added to every resource on top of the provider's default tags."
  type        = map(string)
  default     = {}
}
