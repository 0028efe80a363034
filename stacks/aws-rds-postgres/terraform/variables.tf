variable "aws_region" {
  type    = string
  default = "eu-west-1"
}

variable "environment" {
  type    = string
  default = "dev"
}

variable "owner" {
  description = "Backstage group owning the database."
  type        = string
}

variable "cost_center" {
  type = string
}

variable "db_name" {
  description = "Database created on the instance; also prefixes the instance identifier."
  type        = string
}

variable "engine_version" {
  type    = string
  default = "16.3"
}

variable "allocated_storage" {
  description = "Initial storage in GB; autoscaling may grow it up to five times."
  type        = number
  default     = 50
}

variable "multi_az" {
  type    = bool
  default = false
}

variable "backup_retention_period" {
  description = "Days automated backups are kept."
  type        = number
  default     = 7
}

variable "replica_count" {
  description = "Read replicas of the primary (ha use case)."
  type        = number
  default     = 0
}

variable "maintenance_window" {
  type    = string
  default = "sun:02:00-sun:03:00"
}

variable "deletion_protection" {
  type    = bool
  default = true
}

variable "allowed_cidrs" {
  description = "Networks allowed to reach PostgreSQL."
  type        = list(string)
  default     = ["10.0.0.0/8"]
}

variable "vpc_name" {
  type    = string
  default = "main"
}
