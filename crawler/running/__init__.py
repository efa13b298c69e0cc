"""Running crawls: one after another or on a schedule, with progress, a summary, health and status."""
