"""Shared pieces for the fake `soffice` scripts the tests put on PATH."""

# Shell lines that find --outdir and the input .docx files among soffice's arguments.
PARSE_ARGS = """\
outdir=""; inputs=""
while [ $# -gt 0 ]; do
  case "$1" in
    --outdir) outdir="$2"; shift ;;
    *.docx) inputs="$inputs $1" ;;
  esac
  shift
done
"""
