"""The incident engine: a runbook run during an incident, recorded as files.

``events`` (one JSON line per event, the schema's types), ``log`` (the folder: append under a
lock, fsync, read back), ``state`` (a pure replay of the log, and what is due), ``engine`` (the
operations the CLI and the live console share), ``drafts`` (updates filled from the incident and
checked for honesty), ``delivery`` (the webhook and its outbox), ``report`` (status and the
postmortem's export). The product contract is the spec's incident.md.
"""
