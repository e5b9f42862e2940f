"""Validators generated from the schemas; see ``icrunbook.validation.generate``."""
