"""What the order workflow's activities call: planning, the OSS client, inventory on completion."""
