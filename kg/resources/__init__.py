"""Lexicons and the jieba user dictionary shipped with zonekg (data files only)."""
