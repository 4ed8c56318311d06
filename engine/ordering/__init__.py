"""The product order: TMF622 states and their transition tables, and the pure checks of order capture."""
