"""SNMP: the sweep, the per-device inspection, and the data they hand to the classifiers."""
