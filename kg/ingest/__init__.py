"""Reading: input files to normalised text.

Owns finding the input files (:mod:`.files`), decoding bytes whatever their encoding
(:mod:`.decode`), one module per input format (:mod:`.html`, :mod:`.pdf`, :mod:`.docx`;
plain text is :mod:`.decode`'s), the dispatch by content (:mod:`.reader`), and the
normalisation every article goes through before extraction, with its map back to
source offsets (:mod:`.normalize`).

May import: nothing else of ``kg`` (it is the bottom of the stack).
"""
