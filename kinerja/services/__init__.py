"""Use cases that change state, one transaction each, each audited."""
