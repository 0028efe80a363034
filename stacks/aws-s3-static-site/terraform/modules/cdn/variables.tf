variable "bucket_regional_domain_name" {
  type = string
}

variable "origin_id" {
  type = string
}

variable "domain_name" {
  description = "Custom domain; empty for the CloudFront domain only."
  type        = string
  default     = ""
}

variable "acm_certificate_arn" {
  description = "Certificate (us-east-1) covering domain_name."
  type        = string
  default     = null
}

variable "price_class" {
  type    = string
  default = "PriceClass_100"
}

variable "default_ttl" {
  description = "Seconds objects are cached when the origin sends no Cache-Control."
  type        = number
  default     = 3600
}

variable "index_document" {
  type    = string
  default = "index.html"
}

variable "error_document" {
  type    = string
  default = "404.html"
}
