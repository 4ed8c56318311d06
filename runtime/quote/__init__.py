"""Cart quotes (`POST /api/v1/quote`): qualification and price of a cart together, with their traces.

TMF648 (Quote Management) is not among the definitions Switchboard conforms to, so the shape is
Switchboard's own, documented in docs/api-qualification-quote.md.
"""
