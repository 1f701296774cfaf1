#!/bin/sh
# Demo stand-in: a real Seattle base installer starts the node manager here.
echo "This is a demo base installer made by cib; it does not run a Seattle node."
