"""Uploaded files: typing by content, upload checks and text extraction.

A plain package (no models, no Django): ``filetypes`` decides what a file is from its
bytes and refuses what must not be stored; ``extraction`` turns an accepted document
into text for the sensitive-information scanner (``gongkai.law.scanner``).
"""
