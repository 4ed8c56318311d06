"""Rules: condition trees evaluated by durable-rules, with a pure-Python reference that defines them.

- `values`: the typed fact values and rule operands both sides accept.
- `reference`: the reference interpreter, `evaluate(condition, facts)`.
- `encoding`, `compiler`: condition trees to durable's JSON ruleset form, exactly (see each module).
- `durable_adapter`: the only module that imports durable; it contains durable's measured defects.
"""
