output "load_balancer_dns_name" {
  description = "DNS name of the load balancer; point the service's record at it."
  value       = module.alb.dns_name
}

output "autoscaling_group_name" {
  value = aws_autoscaling_group.service.name
}

output "log_group_name" {
  value = aws_cloudwatch_log_group.service.name
}
