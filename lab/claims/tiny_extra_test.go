package claims

// extraTiny adds experiments to the tiny suite that need packages still
// being written (set in runtime_cost_test.go when present).
var extraTiny = ""
