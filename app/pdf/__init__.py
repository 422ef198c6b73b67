"""Portfolio PDFs, rendered by WeasyPrint in a separate low-priority worker process."""

from app.pdf.renderer import PdfError, render_pdf

__all__ = ["PdfError", "render_pdf"]
