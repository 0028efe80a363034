output "public_zone_id" {
  value = aws_route53_zone.public.zone_id
}

output "name_servers" {
  description = "Delegate the domain to these at the registrar."
  value       = aws_route53_zone.public.name_servers
}
