output "endpoint" {
  description = "Host and port of the primary."
  value       = module.db.endpoint
}

output "replica_endpoints" {
  value = module.db.replica_endpoints
}

output "master_secret_arn" {
  description = "Secrets Manager secret holding the master credentials."
  value       = aws_secretsmanager_secret.master.arn
}
