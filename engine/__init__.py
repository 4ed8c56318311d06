"""Switchboard's pure core: spec model, validation, rules, eligibility, pricing, order-flow planning.

Nothing in this package does I/O beyond reading spec files handed to the loader, and nothing imports a web
framework, a database driver or Temporal.
"""
