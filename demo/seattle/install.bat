@echo off
REM Demo stand-in for Seattle's install.bat: runs the stand-in installer.
cd /d "%~dp0seattle_repy"
python seattleinstaller.py %*
