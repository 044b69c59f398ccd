"""Evaluation: the graph scored against hand-made gold annotations.

Owns the graph read back in the gold format (:mod:`.predictions`), gold files
(:mod:`.gold`), name matching (:mod:`.names`), alignment and scoring (:mod:`.score`)
and the report with every error (:mod:`.report`).

May import: the layers below.
"""
