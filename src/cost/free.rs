//! Resource types that cost nothing by themselves (networks, IAM, security groups, resource
//! groups): they count as "free", not as "not supported".

/// True when the resource type has no charge of its own.
pub fn is_free(resource_type: &str) -> bool {
    FREE.binary_search(&resource_type).is_ok()
}

/// Sorted, so it can be searched.
pub const FREE: &[&str] = &[];
