variable "aws_region" {
  type    = string
  default = "eu-west-1"
}

variable "zone_name" {
  description = "Public zone of the company's customer-facing sites."
  type        = string
  default     = "acme.example"
}

variable "mail_records" {
  description = "MX records of the zone, by priority."
  type        = map(string)
  default = {
    "10" = "mx1.mail.acme.example"
    "20" = "mx2.mail.acme.example"
  }
}

variable "cnames" {
  description = "Aliases of services hosted elsewhere."
  type        = map(string)
  default     = {}
}
