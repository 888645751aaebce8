"""Headless core of lrec_desktop. Never imports Qt: the GUI and the CLI are thin shells over it."""
