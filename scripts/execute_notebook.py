"""Execute one notebook on the tslab kernel, cell by cell, and write the executed
notebook and its HTML rendering. On a failing cell: print one line naming the notebook
and the cell, still write what ran (for inspection), and exit 1.

usage: execute_notebook.py NOTEBOOK OUTDIR [TIMEOUT_SECONDS]
"""
import os
import re
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError
from nbconvert import HTMLExporter


def first_line(source):
    for line in source.splitlines():
        if line.strip():
            return line.strip()[:60]
    return "(empty)"


def error_summary(cell, err):
    """One line saying why a cell failed. tslab reports both type errors and thrown
    exceptions as stderr text of the cell, not as an error output."""
    if isinstance(err, CellTimeoutError):
        return "timed out"
    text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stderr")
    text += "".join(o.get("evalue", "") for o in cell.get("outputs", []) if o.get("output_type") == "error")
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    for line in lines:
        if re.match(r"^[A-Za-z]*Error\b", line) or re.match(r"^\d+:\d+ - ", line):
            return line[:200]
    return lines[0][:200] if lines else type(err).__name__


def main():
    path, outdir = sys.argv[1], sys.argv[2]
    timeout = int(sys.argv[3]) if len(sys.argv) > 3 else 600
    name = os.path.splitext(os.path.basename(path))[0]
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="tslab",
        timeout=timeout,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    failure = None
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            try:
                client.execute_cell(cell, index)
            except (CellExecutionError, CellTimeoutError) as err:
                shown = os.path.relpath(path)
                failure = f"{shown}: cell {index + 1} ({first_line(cell.source)}) failed: {error_summary(cell, err)}"
                break
    os.makedirs(outdir, exist_ok=True)
    nbformat.write(nb, os.path.join(outdir, name + ".ipynb"))
    body, _ = HTMLExporter().from_notebook_node(nb)
    with open(os.path.join(outdir, name + ".html"), "w", encoding="utf-8") as f:
        f.write(body)
    if failure:
        print(failure, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
