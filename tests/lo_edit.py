"""Edit a .docx in LibreOffice through UNO with change tracking on, as a person would (tests only).

Run with the system Python that has LibreOffice's ``uno`` module (python3-uno):
``/usr/bin/python3 tests/lo_edit.py IN.docx OUT.docx PROFILE_DIR EDITS.json``. EDITS is a list of
``["replace", old, new]`` (a tracked replacement of the first occurrence), ``["append", paragraph_start,
text]`` (Enter at the end of the paragraph that starts so, then the text) and ``["author", name]``.
"""

import json
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main():
    source, target, profile, edits = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(open(sys.argv[4]).read())
    pipe = "samverkan_test_%d" % os.getpid()
    office = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore", "--nologo",
                               "-env:UserInstallation=file://" + profile, "--accept=pipe,name=%s;urp;" % pipe],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(600):
            try:
                ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
                break
            except Exception:
                time.sleep(0.1)
        else:
            raise SystemExit("LibreOffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0,
                                           (prop("Hidden", True),))
        for edit in edits:
            if edit[0] == "author":
                settings = ctx.ServiceManager.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", ctx)
                access = settings.createInstanceWithArguments(
                    "com.sun.star.configuration.ConfigurationUpdateAccess",
                    (prop("nodepath", "/org.openoffice.UserProfile/Data"),))
                access.setPropertyValue("givenname", edit[1])
                access.setPropertyValue("sn", "")
                access.commitChanges()
        doc.RecordChanges = True
        text = doc.getText()
        for edit in edits:
            if edit[0] == "replace":
                search = doc.createSearchDescriptor()
                search.SearchString = edit[1]
                found = doc.findFirst(search)
                if found is None:
                    raise SystemExit("not found: " + edit[1])
                found.setString(edit[2])
            elif edit[0] == "append":
                enum = text.createEnumeration()
                while enum.hasMoreElements():
                    para = enum.nextElement()
                    if para.supportsService("com.sun.star.text.Paragraph") and para.getString().startswith(edit[1]):
                        cursor = text.createTextCursorByRange(para.getEnd())
                        text.insertControlCharacter(cursor, 0, False)  # PARAGRAPH_BREAK
                        text.insertString(cursor, edit[2], False)
                        break
                else:
                    raise SystemExit("no paragraph starts with: " + edit[1])
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(target)), (prop("FilterName", "MS Word 2007 XML"),))
        doc.close(True)
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()


if __name__ == "__main__":
    main()
