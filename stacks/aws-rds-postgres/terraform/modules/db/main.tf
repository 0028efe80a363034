resource "aws_db_instance" "primary" {
  identifier     = var.identifier
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class
  db_name        = var.db_name
  username       = "postgres"
  password       = var.master_password

  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.allocated_storage * 5
  storage_type          = var.storage_type
  storage_encrypted     = true

  multi_az               = var.multi_az
  db_subnet_group_name   = var.subnet_group_name
  vpc_security_group_ids = var.security_group_ids
  parameter_group_name   = var.parameter_group_name
  publicly_accessible    = false

  backup_retention_period   = var.backup_retention_period
  backup_window             = "00:30-01:30"
  maintenance_window        = var.maintenance_window
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = false
  final_snapshot_identifier = "${var.identifier}-final"
  copy_tags_to_snapshot     = true

  performance_insights_enabled    = var.performance_insights_enabled
  enabled_cloudwatch_logs_exports = ["postgresql"]
  auto_minor_version_upgrade      = true
}

resource "aws_db_instance" "replica" {
  count = var.replica_count

  identifier             = "${var.identifier}-replica-${count.index + 1}"
  replicate_source_db    = aws_db_instance.primary.identifier
  instance_class         = var.instance_class
  storage_type           = var.storage_type
  storage_encrypted      = true
  vpc_security_group_ids = var.security_group_ids
  parameter_group_name   = var.parameter_group_name
  publicly_accessible    = false
  skip_final_snapshot    = true

  performance_insights_enabled = var.performance_insights_enabled
}
