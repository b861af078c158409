"""Reviewing at scale (issue 16, point 6): the reviewer's inbox with its filters and the
revision to compare with (``queries``), approving several signed documents at once, each
checked and audited on its own (``operations``), and finding an office or a document from
the navigation bar (``pencarian``). Built on the document; the document knows nothing of it."""
