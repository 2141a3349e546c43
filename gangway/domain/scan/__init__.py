"""The scan decision: levels, reasons, identity, the crossing and offline rules."""
