locals {
  identifier = "${replace(var.db_name, "_", "-")}-${var.environment}"
  major      = split(".", var.engine_version)[0]
}

data "aws_vpc" "selected" {
  tags = {
    Name = var.vpc_name
  }
}

data "aws_subnets" "private" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.selected.id]
  }

  tags = {
    tier = "private"
  }
}

resource "aws_db_subnet_group" "this" {
  name       = local.identifier
  subnet_ids = data.aws_subnets.private.ids
}

resource "aws_security_group" "db" {
  name_prefix = "${local.identifier}-"
  description = "PostgreSQL access to ${local.identifier}"
  vpc_id      = data.aws_vpc.selected.id

  ingress {
    description = "PostgreSQL"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = var.allowed_cidrs
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_parameter_group" "this" {
  name_prefix = "${local.identifier}-"
  family      = "postgres${local.major}"

  parameter {
    name  = "log_min_duration_statement"
    value = "500"
  }

  parameter {
    name  = "log_connections"
    value = "1"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "random_password" "master" {
  length  = 32
  special = false
}

resource "aws_secretsmanager_secret" "master" {
  name_prefix = "rds/${local.identifier}/master-"
  description = "Master credentials of ${local.identifier}"
}

resource "aws_secretsmanager_secret_version" "master" {
  secret_id = aws_secretsmanager_secret.master.id
  secret_string = jsonencode({
    username = "postgres"
    password = random_password.master.result
    host     = module.db.address
    port     = 5432
    dbname   = var.db_name
  })
}

module "db" {
  source = "./modules/db"

  identifier              = local.identifier
  db_name                 = var.db_name
  engine_version          = var.engine_version
  allocated_storage       = var.allocated_storage
  multi_az                = var.multi_az
  backup_retention_period = var.backup_retention_period
  maintenance_window      = var.maintenance_window
  deletion_protection     = var.deletion_protection
  replica_count           = var.replica_count
  master_password         = random_password.master.result
  subnet_group_name       = aws_db_subnet_group.this.name
  security_group_ids      = [aws_security_group.db.id]
  parameter_group_name    = aws_db_parameter_group.this.name

  # Set by the stack's form.
  instance_class               = "db.t3.medium"
  storage_type                 = "gp3"
  performance_insights_enabled = false
}
