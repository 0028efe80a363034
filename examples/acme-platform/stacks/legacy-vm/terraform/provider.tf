terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      owner       = var.owner
      cost-center = var.cost_center
      environment = var.environment
      managed-by  = "terraform"
    }
  }
}
