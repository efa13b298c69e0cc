"""Where work comes from: article identity, days, day lists and walks, planned into spider jobs."""
