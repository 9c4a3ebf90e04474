"""Japanese news extraction pipeline."""
