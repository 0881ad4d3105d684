"""Reports for people: terminal tables, generated Markdown pages and figures.

:mod:`strait.report.validation` renders a :class:`~strait.analysis.validation.ValidationReport`
(``render_table``, ``write_validation_docs``, ``build_validation_docs``). Plotting libraries
(altair, vl-convert) are imported only when a figure is drawn.
"""

from strait.report.validation import (
    build_validation_docs,
    render_markdown,
    render_table,
    write_validation_docs,
)

__all__ = ["build_validation_docs", "render_markdown", "render_table", "write_validation_docs"]
