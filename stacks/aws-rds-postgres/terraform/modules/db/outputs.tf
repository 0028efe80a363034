output "endpoint" {
  value = aws_db_instance.primary.endpoint
}

output "address" {
  value = aws_db_instance.primary.address
}

output "replica_endpoints" {
  value = aws_db_instance.replica[*].endpoint
}
