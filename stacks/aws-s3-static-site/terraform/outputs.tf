output "bucket" {
  value = aws_s3_bucket.site.bucket
}

output "url" {
  description = "Where the site is served."
  value       = local.cloudfront ? "https://${local.cdn_host}" : "http://${one(aws_s3_bucket_website_configuration.site[*].website_endpoint)}"
}
