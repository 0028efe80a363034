//! Plain Terraform: local modules under `infra/modules/` and roots under `infra/<env>/`, sized
//! so that exactly the requested number of `.tf` files is written.

use crate::{ENVIRONMENTS, Out, Rng, TEAMS};
use std::io;

/// Module kinds, each three files (variables.tf, main.tf, outputs.tf).
const KINDS: &[&str] = &["service", "buckets", "queues", "database", "network"];

/// Root files, in the order they are added as a root grows; blocks of a missing file go to main.tf.
const ROOT_FILES: &[&str] = &[
    "main.tf",
    "variables.tf",
    "providers.tf",
    "locals.tf",
    "outputs.tf",
];

/// Writes `budget` `.tf` files; returns (roots, modules).
pub fn write(out: &mut Out, rng: &mut Rng, budget: usize) -> io::Result<(usize, usize)> {
    // About one module per twenty files; every module is called by at least one root.
    let modules = if budget >= 8 {
        (budget / 20).max(1)
    } else if budget >= 4 {
        1
    } else {
        0
    };
    let mut names = Vec::new();
    for m in 0..modules {
        let kind = KINDS[m % KINDS.len()];
        let name = format!("{kind}-{m:03}");
        let dir = format!("infra/modules/{name}");
        let (variables, main, outputs) = module(kind);
        out.write(&format!("{dir}/variables.tf"), &variables)?;
        out.write(&format!("{dir}/main.tf"), &main)?;
        out.write(&format!("{dir}/outputs.tf"), outputs)?;
        names.push((name, kind));
    }
    let mut left = budget - 3 * modules;
    let mut roots = 0;
    while left > 0 {
        let files = left.min(ROOT_FILES.len());
        let env = ENVIRONMENTS[roots % ENVIRONMENTS.len()];
        let (team, cc, _) = TEAMS[(roots / ENVIRONMENTS.len()) % TEAMS.len()];
        let dir = format!("infra/{env}/{team}-{roots:04}");
        let mut calls = Vec::new();
        if !names.is_empty() {
            calls.push(&names[roots % names.len()]);
            if names.len() > 1 && roots % 3 == 0 {
                calls.push(&names[(roots * 7 + 3) % names.len()]);
            }
        }
        let blocks = root_blocks(rng, env, team, cc, &calls);
        let mut texts: Vec<String> = vec![String::new(); files];
        for (file, block) in blocks {
            let slot = ROOT_FILES[..files]
                .iter()
                .position(|f| *f == file)
                .unwrap_or(0);
            if !texts[slot].is_empty() {
                texts[slot].push('\n');
            }
            texts[slot].push_str(&block);
        }
        for (file, text) in ROOT_FILES.iter().zip(&texts) {
            out.write(&format!("{dir}/{file}"), text)?;
        }
        left -= files;
        roots += 1;
    }
    Ok((roots, modules))
}

/// The blocks of one root, each with the file it belongs in.
fn root_blocks(
    rng: &mut Rng,
    env: &str,
    team: &str,
    cc: &str,
    calls: &[&(String, &str)],
) -> Vec<(&'static str, String)> {
    let region = rng.pick(&[
        "eu-west-1",
        "eu-west-1",
        "eu-central-1",
        "eu-west-3",
        "us-east-1",
    ]);
    let streams = ["app", "access", "audit", "jobs"][..rng.range(1, 4) as usize]
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let mut blocks = vec![
        (
            "providers.tf",
            format!(
                r#"terraform {{
  required_version = ">= 1.5.0"

  required_providers {{
    aws = {{
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }}
  }}
}}

provider "aws" {{
  region = var.region

  default_tags {{
    tags = {{
      owner       = "team-{team}"
      cost-center = "{cc}"
      environment = var.environment
      managed-by  = "terraform"
    }}
  }}
}}
"#
            ),
        ),
        (
            "variables.tf",
            format!(
                r#"variable "region" {{
  type    = string
  default = "{region}"
}}

variable "environment" {{
  type    = string
  default = "{env}"
}}

variable "log_streams" {{
  description = "One log group per stream."
  type        = list(string)
  default     = [{streams}]
}}

variable "log_retention_days" {{
  type    = number
  default = {retention}
}}

variable "enable_alerts" {{
  type    = bool
  default = {alerts}
}}
"#,
                retention = rng.pick(&["7", "30", "90"]),
                alerts = env == "prod",
            ),
        ),
        (
            "locals.tf",
            format!(
                r#"locals {{
  name_prefix = "{team}-${{var.environment}}"
  settings = {{
    log_level  = var.environment == "prod" ? "info" : "debug"
    region     = var.region
    owner_team = "{team}"
  }}
}}
"#
            ),
        ),
    ];
    let mut main = String::from(
        r#"resource "aws_cloudwatch_log_group" "app" {
  for_each          = toset(var.log_streams)
  name              = "/${var.environment}/${local.name_prefix}/${each.key}"
  retention_in_days = var.log_retention_days
}

resource "aws_ssm_parameter" "setting" {
  for_each = local.settings
  name     = "/${var.environment}/${local.name_prefix}/${each.key}"
  type     = "String"
  value    = each.value
}

resource "aws_sns_topic" "alerts" {
  count = var.enable_alerts ? 1 : 0
  name  = "${local.name_prefix}-alerts"
}
"#,
    );
    let mut outputs = String::from(
        r#"output "log_groups" {
  value = { for k, g in aws_cloudwatch_log_group.app : k => g.name }
}
"#,
    );
    for (i, (name, kind)) in calls.iter().enumerate() {
        let label = format!("{kind}_{i}");
        let args = match *kind {
            "service" => format!(
                "  instance_type  = \"{}\"\n  instance_count = {}\n",
                rng.pick(&["t3.small", "t3.medium", "m5.large", "m6i.large"]),
                rng.range(1, 4)
            ),
            "buckets" => format!(
                "  suffixes = [\"assets\", \"exports\"{}]\n",
                if rng.chance(50) { ", \"backups\"" } else { "" }
            ),
            "queues" => "  queues = {\n    orders = 345600\n    events = 86400\n  }\n".to_string(),
            "network" => format!(
                "  cidr  = \"10.{}.0.0/16\"\n  zones = [\"a\", \"b\"{}]\n",
                rng.range(0, 250),
                if rng.chance(50) { ", \"c\"" } else { "" }
            ),
            _ => format!(
                "  instance_class    = \"{}\"\n  allocated_storage = {}\n",
                rng.pick(&["db.t3.micro", "db.t3.small", "db.t3.medium"]),
                rng.range(20, 200)
            ),
        };
        main.push_str(&format!(
            "\nmodule \"{label}\" {{\n  source = \"../../modules/{name}\"\n\n  name = \"${{local.name_prefix}}-{i}\"\n\n{args}}}\n"
        ));
        outputs.push_str(&format!(
            "\noutput \"{label}\" {{\n  value = module.{label}\n}}\n"
        ));
    }
    blocks.push(("main.tf", main));
    blocks.push(("outputs.tf", outputs));
    blocks
}

/// (variables.tf, main.tf, outputs.tf) of a module kind.
fn module(kind: &str) -> (String, String, &'static str) {
    let common = r#"variable "name" {
  description = "Prefix of every resource."
  type        = string
}

variable "tags" {
  type    = map(string)
  default = {}
}
"#;
    match kind {
        "service" => (
            format!(
                r#"{common}
variable "instance_type" {{
  type    = string
  default = "t3.medium"
}}

variable "instance_count" {{
  type    = number
  default = 2
}}
"#
            ),
            r#"data "aws_ami" "al2023" {
  most_recent = true
  owners      = ["amazon"]

  filter {
    name   = "name"
    values = ["al2023-ami-*-x86_64"]
  }
}

resource "aws_security_group" "this" {
  name_prefix = "${var.name}-"
  description = "Instances of ${var.name}"
  tags        = var.tags

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "this" {
  count                  = var.instance_count
  ami                    = data.aws_ami.al2023.id
  instance_type          = var.instance_type
  vpc_security_group_ids = [aws_security_group.this.id]
  tags                   = merge(var.tags, { Name = "${var.name}-${count.index}" })

  root_block_device {
    volume_size = 20
    volume_type = "gp3"
    encrypted   = true
  }

  metadata_options {
    http_tokens = "required"
  }
}
"#
            .to_string(),
            r#"output "instance_ids" {
  value = aws_instance.this[*].id
}

output "security_group_id" {
  value = aws_security_group.this.id
}
"#,
        ),
        "buckets" => (
            format!(
                r#"{common}
variable "suffixes" {{
  description = "One bucket per suffix."
  type        = set(string)
  default     = ["assets"]
}}
"#
            ),
            r#"resource "aws_s3_bucket" "this" {
  for_each = var.suffixes
  bucket   = "${var.name}-${each.key}"
  tags     = var.tags

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "aws:kms"
      }
    }
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each                = aws_s3_bucket.this
  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
"#
            .to_string(),
            r#"output "bucket_arns" {
  value = { for k, b in aws_s3_bucket.this : k => b.arn }
}
"#,
        ),
        "queues" => (
            format!(
                r#"{common}
variable "queues" {{
  description = "Queue name => message retention in seconds."
  type        = map(number)
  default     = {{}}
}}
"#
            ),
            r#"resource "aws_sqs_queue" "dead_letter" {
  for_each                  = var.queues
  name                      = "${var.name}-${each.key}-dlq"
  message_retention_seconds = 1209600
  tags                      = var.tags
}

resource "aws_sqs_queue" "this" {
  for_each                  = var.queues
  name                      = "${var.name}-${each.key}"
  message_retention_seconds = each.value
  tags                      = var.tags

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letter[each.key].arn
    maxReceiveCount     = 5
  })
}
"#
            .to_string(),
            r#"output "queue_urls" {
  value = { for k, q in aws_sqs_queue.this : k => q.url }
}
"#,
        ),
        "network" => (
            format!(
                r#"{common}
variable "cidr" {{
  type = string
}}

variable "zones" {{
  type = list(string)
}}

variable "tiers" {{
  type = map(object({{
    newbits = number
    public  = optional(bool, false)
    ports   = optional(list(number), [])
  }}))
  default = {{
    public  = {{ newbits = 8, public = true, ports = [80, 443] }}
    private = {{ newbits = 8 }}
    data    = {{ newbits = 10, ports = [5432] }}
  }}
}}
"#
            ),
            r#"data "aws_region" "current" {}

locals {
  region = data.aws_region.current.name
  # One subnet per tier and zone, numbered so that tiers never overlap.
  subnets = {
    for pair in setproduct(keys(var.tiers), var.zones) :
    "${pair[0]}-${pair[1]}" => {
      tier   = pair[0]
      zone   = "${local.region}${pair[1]}"
      cidr   = cidrsubnet(var.cidr, var.tiers[pair[0]].newbits, index(keys(var.tiers), pair[0]) * 16 + index(var.zones, pair[1]))
      public = var.tiers[pair[0]].public
    }
  }
  public_subnets = [for k, s in local.subnets : k if s.public]
  by_tier        = { for k, s in local.subnets : s.tier => k... }
  open_ports     = distinct(flatten([for t in values(var.tiers) : t.ports]))
  description    = "%{if length(local.public_subnets) > 0}public and private%{else}private only%{endif} network ${var.name}"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [for p in local.open_ports : { Sid = "Allow${p}", Port = p }]
  })
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  enable_dns_hostnames = true
  tags                 = merge(var.tags, { Name = var.name, Description = local.description })
}

resource "aws_subnet" "this" {
  for_each                = local.subnets
  vpc_id                  = aws_vpc.this.id
  cidr_block              = each.value.cidr
  availability_zone       = each.value.zone
  map_public_ip_on_launch = each.value.public
  tags                    = merge(var.tags, { Name = "${var.name}-${each.key}", Tier = each.value.tier })
}

resource "aws_security_group" "edge" {
  name   = "${var.name}-edge"
  vpc_id = aws_vpc.this.id
  tags   = var.tags

  dynamic "ingress" {
    for_each = local.open_ports
    iterator = port
    content {
      from_port   = port.value
      to_port     = port.value
      protocol    = "tcp"
      cidr_blocks = [for k in try(local.by_tier["public"], []) : aws_subnet.this[k].cidr_block]
    }
  }
}

resource "aws_ssm_parameter" "layout" {
  name  = "/network/${var.name}/layout"
  type  = "String"
  value = local.policy
  tags  = var.tags
}
"#
            .to_string(),
            r#"output "subnet_ids" {
  value = { for k, s in aws_subnet.this : k => s.id }
}

output "public_subnets" {
  value = local.public_subnets
}
"#,
        ),
        _ => (
            format!(
                r#"{common}
variable "instance_class" {{
  type    = string
  default = "db.t3.micro"
}}

variable "allocated_storage" {{
  type    = number
  default = 20
}}
"#
            ),
            r#"resource "aws_db_instance" "this" {
  identifier                  = var.name
  engine                      = "postgres"
  engine_version              = "16.3"
  instance_class              = var.instance_class
  allocated_storage           = var.allocated_storage
  storage_type                = "gp3"
  storage_encrypted           = true
  username                    = "app"
  manage_master_user_password = true
  skip_final_snapshot         = true
  tags                        = var.tags
}
"#
            .to_string(),
            r#"output "endpoint" {
  value = aws_db_instance.this.endpoint
}
"#,
        ),
    }
}
