"""Registry entries of the temporal contact datasets (filled in by the temporal work)."""
