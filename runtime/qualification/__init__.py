"""TMF679 product offering qualification, and the evaluation it shares with cart quotes.

Decisions (details in docs/api-qualification-quote.md):
- Every qualification is evaluated synchronously and answered 201 with `state: done`, whatever
  `instantSyncQualification` says; the answer says `instantSyncQualification: true`.
- An offering the release does not have is a 404 (`UNKNOWN_ENTITY`, the engine's status); one it has but
  not in effect on the date qualifies as `unqualified` (`OFFERING_NOT_VALID`).
- A missing or ill-typed fact is a 422 `INVALID_FACT` naming the fact's path.
"""
