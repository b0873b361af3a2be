"""Write an executed notebook as HTML that stands alone, twice: the full notebook
(NAME.html, code and execution counts) and a code-hidden report (NAME.report.html) for
readers who only want the argument. Standing alone: no script or style is loaded from
anywhere (nbconvert's templates point at require.js and MathJax as file:// URLs of the
Debian packages, which a reader who was mailed the file does not have; the notebooks use
neither: no widgets, no TeX), every image is inline (embed_images; figures are inline SVG
already), and each file stays under MAX_BYTES.
"""
import os
import re

from nbconvert import HTMLExporter

MAX_BYTES = 2 * 1024 * 1024

# A <script src=...></script> or a <link ... href=...> that is not inline data.
_EXTERNAL_SCRIPT = re.compile(r'<script\b[^>]*\bsrc\s*=\s*"(?!data:)[^"]*"[^>]*>\s*</script>', re.I)
_EXTERNAL_LINK = re.compile(r'<link\b[^>]*\bhref\s*=\s*"(?!data:|#)[^"]*"[^>]*>', re.I)


def standalone(html):
    """The page without anything it would fetch."""
    return _EXTERNAL_LINK.sub("", _EXTERNAL_SCRIPT.sub("", html))


def export(nb, outdir, name):
    """Writes NAME.html and NAME.report.html; returns a problem (str) or None."""
    problems = []
    for suffix, report in (("", False), (".report", True)):
        exporter = HTMLExporter(
            embed_images=True,
            exclude_input=report,
            exclude_input_prompt=report,
            exclude_output_prompt=report,
        )
        body, _ = exporter.from_notebook_node(nb)
        body = standalone(body)
        path = os.path.join(outdir, name + suffix + ".html")
        with open(path, "w", encoding="utf-8") as f:
            f.write(body)
        size = len(body.encode("utf-8"))
        if size > MAX_BYTES:
            problems.append(f"{os.path.relpath(path)} is {size} bytes, more than {MAX_BYTES}")
    return "; ".join(problems) or None
