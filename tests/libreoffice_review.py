"""Accept All / Reject All in LibreOffice itself, driven headless by a Basic macro.

LibreOffice has no command-line switch for tracked changes, so a private
profile gets a small Basic library (``Redline.Batch``) that opens each file
hidden, dispatches ``.uno:AcceptAllTrackedChanges`` or
``.uno:RejectAllTrackedChanges`` (or nothing, to pass a file through
LibreOffice unchanged for comparison) and saves it as Word 2007 XML. All jobs
run in one LibreOffice start.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from samverkan.documents.convert import find_soffice

_MODULE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Redline" script:language="StarBasic">
Sub Batch(sJobs As String)
  Dim iFile As Integer, sLine As String
  iFile = FreeFile
  Open sJobs For Input As #iFile
  Do While Not EOF(iFile)
    Line Input #iFile, sLine
    If Len(sLine) &gt; 0 Then
      Dim parts() As String
      parts = Split(sLine, Chr(9))
      RunOne(parts(0), parts(1), parts(2))
    End If
  Loop
  Close #iFile
End Sub

Sub RunOne(sWhat As String, sIn As String, sOut As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  oDoc = StarDesktop.loadComponentFromURL(ConvertToURL(sIn), &quot;_blank&quot;, 0, args())
  oDisp = createUnoService(&quot;com.sun.star.frame.DispatchHelper&quot;)
  Dim none(0) As New com.sun.star.beans.PropertyValue
  If sWhat = &quot;accept&quot; Then
    oDisp.executeDispatch(oDoc.CurrentController.Frame, &quot;.uno:AcceptAllTrackedChanges&quot;, &quot;&quot;, 0, none())
  ElseIf sWhat = &quot;reject&quot; Then
    oDisp.executeDispatch(oDoc.CurrentController.Frame, &quot;.uno:RejectAllTrackedChanges&quot;, &quot;&quot;, 0, none())
  End If
  Dim sa(0) As New com.sun.star.beans.PropertyValue
  sa(0).Name = &quot;FilterName&quot;
  sa(0).Value = &quot;MS Word 2007 XML&quot;
  oDoc.storeToURL(ConvertToURL(sOut), sa())
  oDoc.close(True)
End Sub
</script:module>
"""


def run_jobs(jobs: list[tuple[str, Path, Path]], workdir: Path) -> None:
    """Run ("accept" | "reject" | "none", input .docx, output .docx) jobs in one LibreOffice start."""
    soffice = find_soffice()
    profile = workdir / "lo-profil"
    env = f"-env:UserInstallation={profile.as_uri()}"
    subprocess.run([soffice, env, "--headless", "--norestore", "--terminate_after_init"],
                   check=True, timeout=300, capture_output=True)
    library = profile / "user" / "basic" / "Standard"
    (library / "Redline.xba").write_text(_MODULE, encoding="utf-8")
    index = (library / "script.xlb").read_text(encoding="utf-8")
    if 'library:name="Redline"' not in index:
        index = index.replace("</library:library>", ' <library:element library:name="Redline"/>\n</library:library>')
        (library / "script.xlb").write_text(index, encoding="utf-8")
    listing = workdir / "jobs.txt"
    listing.write_text("".join(f"{what}\t{src}\t{dst}\n" for what, src, dst in jobs), encoding="utf-8")
    subprocess.run([soffice, env, "--headless", "--norestore", f'macro:///Standard.Redline.Batch("{listing}")'],
                   check=True, timeout=900, capture_output=True)
    missing = [str(dst) for _, _, dst in jobs if not dst.is_file()]
    assert not missing, f"LibreOffice wrote no result for {missing}"
