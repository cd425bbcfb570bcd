package core

// The alias assertions run in every test of this package, as Java's surefire runs with -ea.
func init() { assertAliases = true }
