"""Execute one notebook on the tslab kernel, cell by cell, and write the executed
notebook and its HTML renderings (full, and a code-hidden report; export_html.py). On a failing cell: print one line naming the notebook
and the cell, still write what ran (for inspection), and exit 1.

usage: execute_notebook.py NOTEBOOK OUTDIR [TIMEOUT_SECONDS]
"""
import os
import re
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError
from export_html import export


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
    executed = 0
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            try:
                client.execute_cell(cell, index)
                executed += 1
                # tslab reports no execution count: number the cells run, in order, so the
                # HTML shows In [n] as Jupyter would.
                if cell.get("execution_count") is None:
                    cell["execution_count"] = executed
                    for out in cell.get("outputs", []):
                        if out.get("output_type") == "execute_result":
                            out["execution_count"] = executed
            except (CellExecutionError, CellTimeoutError) as err:
                shown = os.path.relpath(path)
                failure = f"{shown}: cell {index + 1} ({first_line(cell.source)}) failed: {error_summary(cell, err)}"
                break
    os.makedirs(outdir, exist_ok=True)
    nbformat.write(nb, os.path.join(outdir, name + ".ipynb"))
    # NAME.html and the code-hidden NAME.report.html, both standing alone (export_html.py).
    too_big = export(nb, outdir, name)
    if too_big and not failure:
        failure = f"{os.path.relpath(path)}: {too_big}"
    if failure:
        print(failure, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
