"""The spec language: frozen typed objects for every kind, their JSON Schemas, the loader and the release."""
