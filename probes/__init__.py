"""Probes: each looks at the network one way and returns model objects.

A probe never prints, never exits and never decides pass/fail; a broken device or network
becomes data on the result (``snmp_status``, ``errors``, ``warnings``), not an exception.
"""
