"""邮寄办: delivery of materials and results by post."""
