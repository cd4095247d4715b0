"""Extractors: figures, dates, entities and initiatives, each with provenance (doc_id, offsets, quote, rule)."""
