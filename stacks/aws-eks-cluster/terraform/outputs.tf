output "cluster_name" {
  value = aws_eks_cluster.this.name
}

output "cluster_endpoint" {
  value = aws_eks_cluster.this.endpoint
}

output "oidc_provider_arn" {
  description = "For IAM roles of service accounts."
  value       = aws_iam_openid_connect_provider.this.arn
}

output "node_role_arn" {
  value = module.node_group.role_arn
}
