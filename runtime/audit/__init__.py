"""The append-only audit log of every write: who, what, before and after, when."""
