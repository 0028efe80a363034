resource "aws_route53_zone" "public" {
  name    = var.zone_name
  comment = "Customer-facing sites (managed by team-platform)"
}

resource "aws_route53_zone" "internal" {
  name    = "internal.${var.zone_name}"
  comment = "Private zone of the main VPC"

  vpc {
    vpc_id = data.aws_vpc.main.id
  }
}

data "aws_vpc" "main" {
  tags = {
    Name = "main"
  }
}

resource "aws_route53_record" "mx" {
  zone_id = aws_route53_zone.public.zone_id
  name    = var.zone_name
  type    = "MX"
  ttl     = 3600
  records = [for priority, host in var.mail_records : "${priority} ${host}"]
}

resource "aws_route53_record" "spf" {
  zone_id = aws_route53_zone.public.zone_id
  name    = var.zone_name
  type    = "TXT"
  ttl     = 3600
  records = ["v=spf1 include:_spf.mail.acme.example -all"]
}

resource "aws_route53_record" "cname" {
  for_each = var.cnames

  zone_id = aws_route53_zone.public.zone_id
  name    = "${each.key}.${var.zone_name}"
  type    = "CNAME"
  ttl     = 300
  records = [each.value]
}

resource "aws_route53_health_check" "shop" {
  fqdn              = "shop.${var.zone_name}"
  port              = 443
  type              = "HTTPS"
  resource_path     = "/healthz"
  failure_threshold = 3
  request_interval  = 30
}
