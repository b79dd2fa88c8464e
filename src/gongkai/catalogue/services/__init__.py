"""State changes of proactive disclosure, one module per concern:
``editing`` (drafts, attachments), ``review`` (the chain, findings),
``publishing`` (index numbers, publication, withdrawal, validity) and
``columns``."""
