"""TMF notifications: hub subscriptions, a transactional outbox and the dispatcher that delivers it."""
