"""The built-in facilitator: the method's kop, romp and staart as a guided conversation."""
