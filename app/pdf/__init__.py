"""Portfolio PDFs, rendered by WeasyPrint in a separate low-priority worker process."""

from app.pdf.renderer import Pdf, PdfError, render_pdf

__all__ = ["Pdf", "PdfError", "render_pdf"]
