"""The simulated school network: network namespaces, veth links, a bridge, a shaped uplink,
SNMP agents serving the project's own device recordings, a speed server and a district."""
