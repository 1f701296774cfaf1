#!/bin/sh
# Demo stand-in for Seattle's install.sh: runs the stand-in installer beside it.
cd "$(dirname "$0")/seattle_repy" && exec python3 seattleinstaller.py "$@"
