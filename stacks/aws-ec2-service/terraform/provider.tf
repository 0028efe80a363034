terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
}

provider "aws" {
  region = var.aws_region

  # Every resource of the stack carries the mandatory tags, whatever module creates it.
  default_tags {
    tags = {
      owner           = var.owner
      cost-center     = var.cost_center
      environment     = var.environment
      service         = var.service_name
      managed-by      = "terraform"
      stackgate-stack = "aws-ec2-service"
    }
  }
}
