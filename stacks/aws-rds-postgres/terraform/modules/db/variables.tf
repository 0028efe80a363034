variable "identifier" {
  type = string
}

variable "db_name" {
  type = string
}

variable "engine_version" {
  type = string
}

variable "instance_class" {
  type    = string
  default = "db.t3.medium"
}

variable "allocated_storage" {
  type    = number
  default = 50
}

variable "storage_type" {
  type    = string
  default = "gp3"
}

variable "multi_az" {
  type    = bool
  default = false
}

variable "backup_retention_period" {
  type    = number
  default = 7
}

variable "maintenance_window" {
  type    = string
  default = "sun:02:00-sun:03:00"
}

variable "deletion_protection" {
  type    = bool
  default = true
}

variable "replica_count" {
  type    = number
  default = 0
}

variable "performance_insights_enabled" {
  type    = bool
  default = false
}

variable "master_password" {
  type      = string
  sensitive = true
}

variable "subnet_group_name" {
  type = string
}

variable "security_group_ids" {
  type = list(string)
}

variable "parameter_group_name" {
  type = string
}
