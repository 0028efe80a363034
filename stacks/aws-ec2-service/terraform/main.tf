locals {
  name = "${var.service_name}-${var.environment}"
  tags = merge(var.extra_tags, { Name = local.name })
  # gp2 volumes have no configurable IOPS.
  volume_iops = contains(["gp3", "io2"], var.ebs_volume_type) ? var.ebs_iops : null
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

data "aws_subnets" "public" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.selected.id]
  }

  tags = {
    tier = "public"
  }
}

data "aws_ami" "al2023" {
  most_recent = true
  owners      = ["amazon"]

  filter {
    name   = "name"
    values = [startswith(var.instance_type, "t4g") ? "al2023-ami-*-arm64" : "al2023-ami-*-x86_64"]
  }
}

resource "aws_security_group" "instances" {
  name_prefix = "${local.name}-instances-"
  description = "Traffic from the load balancer to ${local.name}"
  vpc_id      = data.aws_vpc.selected.id
  tags        = local.tags

  ingress {
    description     = "HTTP from the load balancer"
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [module.alb.security_group_id]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_iam_role" "instance" {
  name_prefix = "${local.name}-"
  tags        = local.tags

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "ssm" {
  role       = aws_iam_role.instance.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_instance_profile" "instance" {
  name_prefix = "${local.name}-"
  role        = aws_iam_role.instance.name
}

resource "aws_launch_template" "service" {
  name_prefix   = "${local.name}-"
  image_id      = data.aws_ami.al2023.id
  instance_type = var.instance_type
  tags          = local.tags

  iam_instance_profile {
    arn = aws_iam_instance_profile.instance.arn
  }

  vpc_security_group_ids = [aws_security_group.instances.id]

  monitoring {
    enabled = var.enable_detailed_monitoring
  }

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size           = var.ebs_volume_size
      volume_type           = var.ebs_volume_type
      iops                  = local.volume_iops
      encrypted             = true
      delete_on_termination = true
    }
  }

  metadata_options {
    http_tokens = "required"
  }

  tag_specifications {
    resource_type = "instance"
    tags          = local.tags
  }
}

resource "aws_autoscaling_group" "service" {
  name_prefix         = "${local.name}-"
  min_size            = var.asg_min_size
  max_size            = var.asg_max_size
  vpc_zone_identifier = data.aws_subnets.private.ids
  target_group_arns   = [module.alb.target_group_arn]
  health_check_type   = "ELB"

  launch_template {
    id      = aws_launch_template.service.id
    version = "$Latest"
  }

  instance_refresh {
    strategy = "Rolling"
  }
}

resource "aws_cloudwatch_log_group" "service" {
  name              = "/acme/${var.environment}/${var.service_name}"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

module "alb" {
  source = "./modules/alb"

  name              = local.name
  vpc_id            = data.aws_vpc.selected.id
  subnet_ids        = data.aws_subnets.public.ids
  listener_protocol = var.listener_protocol
  target_port       = 8080
  tags              = local.tags

  # Set by the stack's form.
  certificate_arn   = null
  health_check_path = "/healthz"
  idle_timeout      = 60
}
