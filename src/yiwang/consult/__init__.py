"""咨询办: questions, hotline tickets and the public knowledge base."""
