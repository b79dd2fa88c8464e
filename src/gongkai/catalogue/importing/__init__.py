"""Bringing legacy items into the catalogue: rows from JSONL or CSV files
(``sources``), crawls of an old website in the crawler's text form or as saved
HTML pages (``crawl``, ``crawl_text``, ``crawl_html``), their validation
(``validation``) and the bulk write (``service``); ``restore`` reads back what
``gongkai.catalogue.exporting`` wrote. ``addresses`` maps old addresses to items."""
