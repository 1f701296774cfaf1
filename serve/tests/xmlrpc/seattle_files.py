"""What the XML-RPC clients check installers by: each platform's installer file name, and
where the vesselinfo sits in it. Read by Python 3 and by Python 2.7 (Jython) alike."""

PLATFORMS = {
    "linux": "seattle_linux.tgz",
    "mac": "seattle_mac.tgz",
    "windows": "seattle_win.zip",
    "android": "seattle_android.zip",
}
VESSELINFO = "seattle/seattle_repy/vesselinfo"
