output "public_ip" {
  value = aws_eip.vm.public_ip
}
