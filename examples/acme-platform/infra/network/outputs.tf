output "vpc_id" {
  value = module.vpc.vpc_id
}

output "private_subnet_ids" {
  value = module.vpc.private_subnet_ids
}

output "public_subnet_ids" {
  value = module.vpc.public_subnet_ids
}

output "nat_public_ips" {
  description = "Egress addresses to give partners for allow lists."
  value       = module.vpc.nat_public_ips
}
