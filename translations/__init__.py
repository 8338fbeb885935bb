"""Translations of the content people write: which language a text is in, and what is missing."""
