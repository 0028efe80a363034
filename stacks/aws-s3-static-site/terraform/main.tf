locals {
  cloudfront = var.delivery == "cloudfront"
  # Internal previews are readable from the office and VPN ranges only.
  preview_cidrs = ["203.0.113.0/24", "198.51.100.0/24"]
  cdn_host      = var.domain_name != "" ? var.domain_name : one(module.cdn[*].domain_name)
}

resource "aws_s3_bucket" "site" {
  bucket = var.bucket_name

  # Kept inline (rather than as a separate resource) so policy checks see it on the bucket.
  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "AES256"
      }
    }
  }
}

resource "aws_s3_bucket_versioning" "site" {
  bucket = aws_s3_bucket.site.id

  versioning_configuration {
    status = var.versioning ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "site" {
  bucket = aws_s3_bucket.site.id

  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

resource "aws_s3_bucket_public_access_block" "site" {
  bucket                  = aws_s3_bucket.site.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = local.cloudfront
  restrict_public_buckets = local.cloudfront
}

resource "aws_s3_bucket_website_configuration" "site" {
  count  = local.cloudfront ? 0 : 1
  bucket = aws_s3_bucket.site.id

  index_document {
    suffix = var.index_document
  }

  error_document {
    key = var.error_document
  }
}

data "aws_iam_policy_document" "site" {
  dynamic "statement" {
    for_each = local.cloudfront ? [1] : []
    content {
      sid       = "CloudFrontRead"
      actions   = ["s3:GetObject"]
      resources = ["${aws_s3_bucket.site.arn}/*"]

      principals {
        type        = "Service"
        identifiers = ["cloudfront.amazonaws.com"]
      }

      condition {
        test     = "StringEquals"
        variable = "AWS:SourceArn"
        values   = [module.cdn[0].distribution_arn]
      }
    }
  }

  dynamic "statement" {
    for_each = local.cloudfront ? [] : [1]
    content {
      sid       = "PreviewRead"
      actions   = ["s3:GetObject"]
      resources = ["${aws_s3_bucket.site.arn}/*"]

      principals {
        type        = "*"
        identifiers = ["*"]
      }

      condition {
        test     = "IpAddress"
        variable = "aws:SourceIp"
        values   = local.preview_cidrs
      }
    }
  }
}

resource "aws_s3_bucket_policy" "site" {
  bucket     = aws_s3_bucket.site.id
  policy     = data.aws_iam_policy_document.site.json
  depends_on = [aws_s3_bucket_public_access_block.site]
}

module "cdn" {
  source = "./modules/cdn"
  count  = local.cloudfront ? 1 : 0

  bucket_regional_domain_name = aws_s3_bucket.site.bucket_regional_domain_name
  origin_id                   = var.bucket_name
  domain_name                 = var.domain_name
  index_document              = var.index_document
  error_document              = var.error_document

  # Set by the stack's form.
  acm_certificate_arn = null
  price_class         = "PriceClass_100"
  default_ttl         = 3600
}
