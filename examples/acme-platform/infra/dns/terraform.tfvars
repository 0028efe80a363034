zone_name = "acme.example"

cnames = {
  status = "acme.statuspage.example"
  docs   = "acme-docs.netlify.example"
}
