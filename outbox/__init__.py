"""Every email the summit sends: written to the outbox in the sender's transaction, delivered
after the response by a task, retried with backoff while the mail server fails."""
