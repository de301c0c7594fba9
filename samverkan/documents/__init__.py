"""Rendering an agreement as Word and PDF: template context, docx filling, LibreOffice conversion, PDF checks."""
