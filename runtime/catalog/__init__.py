"""The catalog store: immutable published releases, drafts with optimistic concurrency, the loaded-release
cache, and the TMF620 projection of the engine's spec model.
"""
