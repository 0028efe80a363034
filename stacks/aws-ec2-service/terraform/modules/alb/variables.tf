variable "name" {
  description = "Prefix of every resource of the load balancer."
  type        = string
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  description = "Public subnets the load balancer listens in."
  type        = list(string)
}

variable "listener_protocol" {
  description = "HTTPS or HTTP."
  type        = string
  default     = "HTTPS"
}

variable "certificate_arn" {
  description = "ACM certificate of the HTTPS listener; required when listener_protocol is HTTPS."
  type        = string
  default     = null
}

variable "target_port" {
  type    = number
  default = 8080
}

variable "health_check_path" {
  type    = string
  default = "/healthz"
}

variable "idle_timeout" {
  description = "Seconds a connection may stay idle."
  type        = number
  default     = 60
}

variable "tags" {
  type    = map(string)
  default = {}
}
