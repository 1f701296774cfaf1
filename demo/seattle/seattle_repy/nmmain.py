"""Demo stand-in for Seattle's node manager: the real one runs the vessels."""

print("This is a demo base installer made by cib; it does not run a Seattle node.")
