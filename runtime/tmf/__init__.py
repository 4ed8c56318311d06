"""The TM Forum Open API v4 contract: the official swagger files, and validation against their definitions."""
