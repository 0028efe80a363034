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

variable "bucket_name" {
  description = "Globally unique bucket name."
  type        = string
}

variable "versioning" {
  type    = bool
  default = true
}

variable "index_document" {
  type    = string
  default = "index.html"
}

variable "error_document" {
  type    = string
  default = "404.html"
}

variable "noncurrent_version_expiration_days" {
  type    = number
  default = 30
}

variable "delivery" {
  description = "cloudfront, or s3-website for internal previews."
  type        = string
  default     = "cloudfront"
}

variable "domain_name" {
  description = "Custom domain of the CloudFront distribution; empty for none."
  type        = string
  default     = ""
}
