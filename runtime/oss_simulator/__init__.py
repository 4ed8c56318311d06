"""The OSS simulator: the network side of Switchboard for demos and tests.

It takes TMF641 v4 service orders (idempotent on `externalId`) and calls the Switchboard API back with
signed `ServiceOrderStateChangeEvent`s (acknowledged -> inProgress -> completed or failed), after
configurable delays, with configurable failures, duplicates and out-of-order deliveries. Its state is in
memory: a restart of the simulator forgets every service order, which is acceptable for a simulator.
See docs/oss-simulator.md.
"""
